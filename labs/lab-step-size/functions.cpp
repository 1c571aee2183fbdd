// lab-step-size's exact derivatives, and its problems rounded to float (see functions.hpp).
#include "functions.hpp"

#include "gradlab/ops/batchnorm.hpp"

using namespace gradlab;

namespace lab_step_size {

double exact_derivative(const Problem& p) {
  const long double x = p.x0;
  switch (p.kind) {
    case Kind::tanh: {
      const long double t = std::tanh(x);
      return static_cast<double>((1.0L - t) * (1.0L + t));
    }
    case Kind::sigmoid: {
      const long double s = 1.0L / (1.0L + std::exp(-x));
      return static_cast<double>(s * (1.0L - s));
    }
    case Kind::softmax_ce: {
      // dL/dz_index = softmax_index - 1[index = label]
      long double m = -HUGE_VALL, sum = 0.0L;
      std::vector<long double> z(p.other.begin(), p.other.end());
      z[p.index] = x;
      for (long double v : z) m = std::max(m, v);
      for (long double v : z) sum += std::exp(v - m);
      return static_cast<double>(std::exp(z[p.index] - m) / sum - (p.index == p.label ? 1.0L : 0.0L));
    }
    case Kind::batchnorm: {
      // The library's closed batch form, d phi / dX = batchnorm_backward(G).dX.
      arma::mat X(1, p.other.size());
      for (std::size_t b = 0; b < p.other.size(); ++b) X(0, b) = b == p.index ? p.x0 : p.other[b];
      arma::mat G(1, p.G.size());
      for (std::size_t b = 0; b < p.G.size(); ++b) G(0, b) = p.G[b];
      const arma::vec gamma{p.gamma}, beta{p.beta};
      const ops::BatchNormForward f = ops::batchnorm_forward(X, gamma, beta, p.bn_eps);
      return ops::batchnorm_backward(G, gamma, f.cache).dX(0, p.index);
    }
  }
  return 0.0;
}

Problem rounded_to_float(Problem p) {
  auto r = [](double v) { return static_cast<double>(static_cast<float>(v)); };
  p.x0 = r(p.x0);
  for (double& v : p.other) v = r(v);
  for (double& v : p.G) v = r(v);
  p.gamma = r(p.gamma);
  p.beta = r(p.beta);
  p.bn_eps = r(p.bn_eps);
  if (p.kind == Kind::batchnorm) p.other[p.index] = p.x0;
  return p;
}

}  // namespace lab_step_size
