#include "gradlab/nn/cnn.hpp"

#include "gradlab/nn/activations.hpp"
#include "gradlab/nn/conv2d.hpp"
#include "gradlab/nn/flatten.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/pool2d.hpp"
#include "gradlab/shape.hpp"

#include <cctype>
#include <memory>
#include <sstream>

namespace gradlab::nn {

namespace {

bool is_number(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  for (char ch : s)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

// The network without its weights drawn: every token checked and its layers added.
Sequential build(const ops::ImageShape& in, const std::string& stack, arma::uword classes) {
  require(classes >= 1, "make_cnn", "classes must be at least 1");
  Sequential net;
  ops::ImageShape image = in;
  arma::uword features = 0;  // 0 while the activations are still images
  auto flatten = [&] {
    if (features != 0) return;
    net.add(std::make_unique<Flatten>(image));
    features = image.size();
  };
  std::stringstream tokens(stack);
  std::string token;
  while (!stack.empty() && std::getline(tokens, token, '-')) {
    auto where = [&] { return "stack \"" + stack + "\", token \"" + token + "\""; };
    try {
      if (token.size() > 1 && token[0] == 'c' && is_number(token.substr(1))) {
        require(features == 0, "make_cnn", [&] { return where() + ": a convolution after a dense layer"; });
        const arma::uword kernels = std::stoul(token.substr(1));
        require(kernels >= 1, "make_cnn", [&] { return where() + ": 0 kernels"; });
        auto conv = std::make_unique<Conv2d>(image, kernels);
        image = conv->out_shape();
        net.add(std::move(conv));
        net.add(std::make_unique<ReLU>());
      } else if (token == "p" || token == "a") {
        require(features == 0, "make_cnn", [&] { return where() + ": a pool after a dense layer"; });
        std::unique_ptr<Layer> pool;
        if (token == "p") {
          auto max = std::make_unique<MaxPool2d>(image);
          image = max->out_shape();
          pool = std::move(max);
        } else {
          auto avg = std::make_unique<AvgPool2d>(image);
          image = avg->out_shape();
          pool = std::move(avg);
        }
        net.add(std::move(pool));
      } else if (is_number(token)) {
        const arma::uword units = std::stoul(token);
        require(units >= 1, "make_cnn", [&] { return where() + ": 0 units"; });
        flatten();
        net.add(std::make_unique<Linear>(features, units));
        net.add(std::make_unique<ReLU>());
        features = units;
      } else {
        throw std::invalid_argument("make_cnn: " + where() +
                                    ": unknown (known: cK convolution, p max pool, a average "
                                    "pool, N dense layer)");
      }
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      if (what.rfind("make_cnn", 0) == 0) throw;
      throw std::invalid_argument("make_cnn: " + where() + " on images of " +
                                  ops::to_string(image) + ": " + what);
    }
  }
  flatten();
  net.add(std::make_unique<Linear>(features, classes));
  return net;
}

}  // namespace

Sequential make_cnn(const ops::ImageShape& in, const std::string& stack, arma::uword classes,
                    const std::string& init, Rng& rng) {
  Sequential net = build(in, stack, classes);
  initialise(net, init, rng);  // every Conv2d and Linear in layer order; throws for a bad name
  return net;
}

}  // namespace gradlab::nn
