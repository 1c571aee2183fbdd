// Bad input to the library and faults while writing results. Empty matrices: an elementwise op
// maps an empty matrix to an empty one of the same shape (nothing to compute, nothing to get
// wrong), while everything that reduces over a batch (softmax, losses, batch norm) or is a layer
// refuses it with std::invalid_argument naming itself and the shape. Result files are written
// whole or not at all. A diverged or interrupted run's figure says so.
#include "gradlab/programs/lab.hpp"

#include "gradlab/data/batches.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/nn/activations.hpp"
#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/dropout.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/avg_pool2d.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/conv2d.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/l2_penalty.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/max_pool2d.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/multiclass_hinge.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/output/figure.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/train/metrics.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include "support.hpp"

namespace fs = std::filesystem;
using namespace gradlab;
using Catch::Matchers::Contains;

using namespace gradlab::checks;

namespace {

const arma::mat empty_00, empty_30(3, 0), empty_03(0, 3);
const arma::uvec no_labels;

}  // namespace

TEST_CASE("empty matrices: elementwise ops map empty to empty, shape kept", "[robust][empty]") {
  Rng rng(1);
  for (const arma::mat* E : {&empty_00, &empty_30, &empty_03}) {
    INFO("shape " << E->n_rows << "x" << E->n_cols);
    CHECK(arma::size(ops::relu_forward(*E)) == arma::size(*E));
    CHECK(arma::size(ops::relu_backward(*E, *E)) == arma::size(*E));
    CHECK(arma::size(ops::leaky_relu_forward(*E)) == arma::size(*E));
    CHECK(arma::size(ops::leaky_relu_backward(*E, *E)) == arma::size(*E));
    CHECK(arma::size(ops::tanh_forward(*E)) == arma::size(*E));
    CHECK(arma::size(ops::tanh_backward(*E, *E)) == arma::size(*E));
    CHECK(arma::size(ops::sigmoid_forward(*E)) == arma::size(*E));
    CHECK(arma::size(ops::sigmoid_backward(*E, *E)) == arma::size(*E));
    CHECK(arma::size(ops::dropout_forward(*E, 0.5, rng).Y) == arma::size(*E));
    CHECK(arma::size(ops::dropout_backward(*E, *E)) == arma::size(*E));
    CHECK(arma::size(ops::l2_penalty_backward(*E, 0.1)) == arma::size(*E));
    CHECK(ops::l2_penalty_forward(*E, 0.1) == 0.0);  // an empty sum
  }
  // An affine map of a batch of no samples is a batch of no samples.
  const arma::mat W(2, 3, arma::fill::ones);
  const arma::vec b(2, arma::fill::ones);
  CHECK(arma::size(ops::affine_forward(W, b, empty_30)) == arma::size(2, 0));
  const ops::AffineGrads g = ops::affine_backward(arma::mat(2, 0), W, empty_30);
  CHECK(arma::size(g.dX) == arma::size(3, 0));
  CHECK(arma::size(g.dW) == arma::size(2, 3));
  CHECK(arma::accu(arma::abs(g.dW)) == 0.0);
  // ... and still needs matching shapes.
  CHECK_THAT(error_of<std::invalid_argument>([&] { ops::affine_forward(W, b, empty_03); }), Contains("affine_forward") && Contains("0x3"));
}

TEST_CASE("empty matrices: the image ops map a batch of no images to no images, the output's rows kept", "[robust][empty]") {
  // Each image is computed on its own: no image, nothing to compute; an empty image is refused.
  const ops::ImageShape in{2, 5, 5};
  const arma::mat none(in.size(), 0);
  const arma::mat W(3, 18, arma::fill::ones);
  CHECK(arma::size(ops::conv2d_forward(none, in, W, arma::vec(3, arma::fill::ones), {3, 3, 1, 1})) == arma::size(75, 0));
  const ops::Conv2dGrads g = ops::conv2d_backward(arma::mat(75, 0), none, in, W, {3, 3, 1, 1});
  CHECK(arma::size(g.dX) == arma::size(50, 0));
  CHECK(arma::accu(arma::abs(g.dW)) == 0.0);
  const ops::MaxPool2dForward f = ops::max_pool2d_forward(none, in, {2, 2, 2});
  CHECK(arma::size(f.Y) == arma::size(8, 0));
  CHECK(arma::size(ops::max_pool2d_backward(f.Y, f.argmax, in)) == arma::size(50, 0));
  CHECK(arma::size(ops::avg_pool2d_forward(none, in, {2, 2, 2})) == arma::size(8, 0));
  CHECK_THAT(error_of<std::invalid_argument>([&] { ops::avg_pool2d_forward(empty_00, {0, 5, 5}, {2, 2, 2}); }),
             Contains("avg_pool2d_forward") && Contains("0x5x5"));
}

TEST_CASE("empty matrices: reductions over the batch refuse them naming the function and the shape", "[robust][empty]") {
  const arma::vec ones3(3, arma::fill::ones), zeros3(3, arma::fill::zeros);
  for (const arma::mat* E : {&empty_00, &empty_30, &empty_03}) {
    const std::string shape = std::to_string(E->n_rows) + "x" + std::to_string(E->n_cols);
    INFO("shape " << shape);
    const arma::uvec labels(E->n_cols, arma::fill::zeros);
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::softmax_forward(*E); }), Contains("softmax_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::log_softmax_forward(*E); }), Contains("log_softmax_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::cross_entropy_forward(*E, *E); }), Contains("cross_entropy_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::cross_entropy_backward(*E, *E); }), Contains("cross_entropy_backward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::mse_forward(*E, *E); }), Contains("mse_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::mse_backward(*E, *E); }), Contains("mse_backward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::nll_forward(*E, labels); }), Contains("nll_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::nll_backward(*E, labels); }), Contains("nll_backward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::softmax_cross_entropy_forward(*E, labels); }),
               Contains("softmax_cross_entropy_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::softmax_cross_entropy_backward(*E, labels); }),
               Contains("softmax_cross_entropy_backward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::multiclass_hinge_forward(*E, labels); }),
               Contains("multiclass_hinge_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::multiclass_hinge_backward(*E, labels); }),
               Contains("multiclass_hinge_backward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::binary_hinge_forward(*E, labels); }),
               Contains("binary_hinge_forward") && Contains(shape));
    CHECK_THAT(error_of<std::invalid_argument>([&] { ops::binary_hinge_backward(*E, labels); }),
               Contains("binary_hinge_backward") && Contains(shape));
  }
  CHECK_THAT(error_of<std::invalid_argument>([&] { ops::batchnorm_forward(empty_30, ones3, zeros3); }),
             Contains("batchnorm_forward") && Contains("3x0"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { ops::batchnorm_forward_eval(empty_30, ones3, zeros3, zeros3, ones3); }),
             Contains("batchnorm_forward_eval") && Contains("3x0"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { ops::batchnorm_forward(empty_00, arma::vec(), arma::vec()); }),
             Contains("batchnorm_forward") && Contains("0x0"));
}

TEST_CASE("empty matrices: layers, losses, metrics and batches refuse them naming themselves", "[robust][empty]") {
  nn::Linear linear(3, 2);
  CHECK_THAT(error_of<std::invalid_argument>([&] { linear.forward(empty_30); }), Contains("Linear(3, 2).forward") && Contains("3x0"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { nn::Linear(0, 2); }), Contains("Linear") && Contains("in = 0"));
  nn::BatchNorm bn(3);
  CHECK_THAT(error_of<std::invalid_argument>([&] { bn.forward(empty_30); }), Contains("BatchNorm(3).forward") && Contains("3x0"));
  nn::CrossEntropyLoss ce;
  nn::MSELoss mse;
  nn::NLLLoss nll;
  CHECK_THAT(error_of<std::invalid_argument>([&] { ce.forward(empty_30, no_labels); }), Contains("3x0"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { mse.forward(empty_30, no_labels); }), Contains("3x0"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { nll.forward(empty_30, no_labels); }), Contains("3x0"));
  nn::MulticlassHingeLoss hinge;
  nn::BinaryHingeLoss binary_hinge;
  CHECK_THAT(error_of<std::invalid_argument>([&] { hinge.forward(empty_30, no_labels); }), Contains("3x0"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { binary_hinge.forward(arma::mat(1, 0), no_labels); }),
             Contains("BinaryHingeLoss.forward") && Contains("1x0"));
  CHECK(train::predict(empty_30).n_elem == 0);

  Rng rng(1);
  nn::Sequential net = nn::make_mlp({2, 4, 2}, "relu", false, 0.0, "glorot_uniform", rng);
  data::Dataset empty;
  empty.X.set_size(2, 0);
  empty.classes = 2;
  empty.name = "nothing";
  CHECK_THAT(error_of<std::invalid_argument>([&] { train::evaluate(net, ce, empty); }), Contains("evaluate") && Contains("nothing is empty"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { data::Batches(empty, 1, rng); }), Contains("nothing"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { data::make_disk(0, rng); }), Contains("make_disk"));
}

TEST_CASE("labels out of range for the number of classes are refused by losses and metrics", "[robust][labels]") {
  const arma::mat logits(3, 4, arma::fill::randn);
  const arma::uvec bad = {0, 1, 3, 2};  // 3 is not a class of 3
  nn::CrossEntropyLoss ce;
  nn::MSELoss mse;
  CHECK_THAT(error_of<std::invalid_argument>([&] { ce.forward(logits, bad); }), Contains("label 3") && Contains("3 classes"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { mse.forward(logits, bad); }), Contains("label 3") && Contains("3 classes"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { one_hot(bad, 3); }), Contains("one_hot") && Contains("label 3"));
  Rng rng(1);
  nn::Sequential net = nn::make_mlp({2, 4, 3}, "relu", false, 0.0, "glorot_uniform", rng);
  data::Dataset d = data::make_disk(10, rng);
  d.labels(4) = 7;
  CHECK_THAT(error_of<std::invalid_argument>([&] { train::evaluate(net, ce, d); }), Contains("label 7"));
  CHECK_THAT(error_of<std::invalid_argument>([&] { data::check_dataset(d, "here"); }), Contains("here") && Contains("label 7 of sample 4"));
}

TEST_CASE("write_file_atomically: the previous complete file or the new one, never a part, and no temporary left",
          "[robust][files]") {
  TempFolder tmp;
  const fs::path target = tmp / "deep" / "folder" / "summary.json";
  io::write_file_atomically(target, "{\"first\": 1}\n");  // creates the folders
  CHECK(read_bytes(target) == "{\"first\": 1}\n");
  io::write_file_atomically(target, "{\"second\": 2}\n");
  CHECK(read_bytes(target) == "{\"second\": 2}\n");
  auto count = [&] {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(target.parent_path())) ++n;
    return n;
  };
  CHECK(count() == 1);  // no temporary beside it

  // A target that cannot be replaced (a folder of that name): an error naming it, and the
  // folder's content untouched.
  fs::create_directories(tmp / "taken" / "inside");
  std::string message =
      error_of<std::runtime_error>([&] { io::write_file_atomically(tmp / "taken", "x"); });
  CHECK_THAT(message, Contains((tmp / "taken").string()));
  CHECK(fs::is_directory(tmp / "taken" / "inside"));
  std::size_t temporaries = 0;
  for (const auto& entry : fs::directory_iterator(tmp.path))
    temporaries += entry.path().filename().string().find(".tmp.") != std::string::npos;
  CHECK(temporaries == 0);

  // A folder that cannot be created (a file is in the way): an error naming the folder.
  io::write_file_atomically(tmp / "plain-file", "x");
  message = error_of<std::runtime_error>(
      [&] { io::write_file_atomically(tmp / "plain-file" / "history.csv", "x"); });
  CHECK_THAT(message, Contains("plain-file"));
  CHECK(read_bytes(tmp / "plain-file") == "x");
}

TEST_CASE("figures: a diverged or interrupted run's training-curve figure says so", "[robust][figure][diverged]") {
  const output::Figure completed = lab::history_figure("curves", "Network A", "history.csv", false, "completed");
  const output::Figure diverged = lab::history_figure("curves", "Network A", "history.csv", false, "diverged");
  const output::Figure interrupted = lab::history_figure("curves", "Network A", "history.csv", false, "interrupted");
  CHECK(completed.title == "Network A");
  CHECK_THAT(diverged.title, Contains("diverged"));
  CHECK_THAT(interrupted.title, Contains("interrupted"));
  const std::string script = output::gnuplot_script(diverged, "curves.png", "curves.svg");
  CHECK_THAT(script, Contains("diverged") && Contains("DIVERGED"));
  CHECK_THAT(output::gnuplot_script(completed, "curves.png", "curves.svg"), !Contains("DIVERGED"));
}
