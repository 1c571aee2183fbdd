// Shape mismatches throw std::invalid_argument naming the function and both shapes.
#include "gradlab/labels.hpp"
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
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

using namespace gradlab;
using Catch::Contains;

namespace {
// Requires f to throw std::invalid_argument whose message holds every fragment.
template <class F>
void require_error(F f, std::initializer_list<const char*> fragments) {
  try {
    f();
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    INFO(message);
    for (const char* fragment : fragments) CHECK_THAT(message, Contains(fragment));
  }
}
const arma::mat A23(2, 3, arma::fill::ones), A32(3, 2, arma::fill::ones);
}  // namespace

TEST_CASE("shapes: elementwise backward passes need dY shaped like their input", "[shapes]") {
  require_error([] { ops::relu_backward(A23, A32); }, {"relu_backward", "2x3", "3x2"});
  require_error([] { ops::leaky_relu_backward(A23, A32); }, {"leaky_relu_backward", "2x3", "3x2"});
  require_error([] { ops::tanh_backward(A23, A32); }, {"tanh_backward", "2x3", "3x2"});
  require_error([] { ops::sigmoid_backward(A23, A32); }, {"sigmoid_backward", "2x3", "3x2"});
  require_error([] { ops::dropout_backward(A23, A32); }, {"dropout_backward", "2x3", "3x2"});
}

TEST_CASE("shapes: affine needs W's columns to equal X's rows, one bias per row", "[shapes][affine]") {
  const arma::mat W(4, 3, arma::fill::ones), X(5, 2, arma::fill::ones);
  const arma::vec b(4, arma::fill::ones), b_wrong(3, arma::fill::ones);
  require_error([&] { ops::affine_forward(W, b, X); }, {"affine_forward", "4x3", "5x2"});
  require_error([&] { ops::affine_forward(W, b_wrong, arma::mat(3, 2)); }, {"affine_forward", "b has 3", "4x3"});
  require_error([&] { ops::affine_backward(arma::mat(4, 7), W, arma::mat(3, 2)); },
                {"affine_backward", "4x7", "4x2"});
}

TEST_CASE("shapes: softmax family and losses", "[shapes]") {
  require_error([] { ops::softmax_backward(A23, A32); }, {"softmax_backward", "2x3", "3x2"});
  require_error([] { ops::log_softmax_backward(A23, A32); }, {"log_softmax_backward", "2x3", "3x2"});
  require_error([] { ops::cross_entropy_forward(A23, A32); }, {"cross_entropy_forward", "2x3", "3x2"});
  require_error([] { ops::cross_entropy_backward(A23, A32); }, {"cross_entropy_backward", "2x3", "3x2"});
  require_error([] { ops::mse_forward(A23, A32); }, {"mse_forward", "2x3", "3x2"});
  require_error([] { ops::mse_backward(A23, A32); }, {"mse_backward", "2x3", "3x2"});
  require_error([] { ops::softmax_forward(arma::mat()); }, {"softmax_forward", "empty", "0x0"});
}

TEST_CASE("shapes: labels must match the batch and the classes", "[shapes][labels]") {
  const arma::uvec two = {0, 1}, three = {0, 1, 1}, out_of_range = {0, 1, 2};
  require_error([&] { ops::softmax_cross_entropy_forward(A23, two); },
                {"softmax_cross_entropy_forward", "2 entries", "2x3"});
  require_error([&] { ops::softmax_cross_entropy_forward(A23, out_of_range); },
                {"softmax_cross_entropy_forward", "label 2", "2 classes"});
  require_error([&] { ops::softmax_cross_entropy_backward(A23, two); },
                {"softmax_cross_entropy_backward", "2x3"});
  require_error([&] { ops::nll_forward(A23, out_of_range); }, {"nll_forward", "label 2"});
  require_error([&] { ops::nll_backward(A23, two); }, {"nll_backward", "2x3"});
  require_error([&] { one_hot(out_of_range, 2); }, {"one_hot", "label 2"});
  CHECK_NOTHROW(ops::nll_forward(A23, three));
}

TEST_CASE("shapes: hinge losses need one label per column, the binary one a row of scores and labels 0 or 1",
          "[shapes][labels][multiclass_hinge][binary_hinge]") {
  const arma::uvec two = {0, 1}, out_of_range = {0, 1, 2};
  require_error([&] { ops::multiclass_hinge_forward(A23, two); },
                {"multiclass_hinge_forward", "2 entries", "2x3"});
  require_error([&] { ops::multiclass_hinge_backward(A23, out_of_range); },
                {"multiclass_hinge_backward", "label 2", "2 classes"});
  require_error([] { ops::multiclass_hinge_forward(arma::mat(), arma::uvec()); },
                {"multiclass_hinge_forward", "empty", "0x0"});
  const arma::mat row(1, 3, arma::fill::ones);
  require_error([&] { ops::binary_hinge_forward(A23, arma::uvec{0, 1, 1}); },
                {"binary_hinge_forward", "2x3", "1 x B"});
  require_error([&] { ops::binary_hinge_backward(row, two); }, {"binary_hinge_backward", "2 entries", "1x3"});
  require_error([&] { ops::binary_hinge_forward(row, out_of_range); },
                {"binary_hinge_forward", "label 2", "not 0 or 1"});
  CHECK_NOTHROW(ops::binary_hinge_backward(row, arma::uvec{0, 1, 1}));
}

TEST_CASE("shapes: batch norm needs one gamma, beta and statistic per feature", "[shapes][batchnorm]") {
  const arma::mat X(3, 4, arma::fill::randn);
  const arma::vec three(3, arma::fill::ones), two(2, arma::fill::ones);
  require_error([&] { ops::batchnorm_forward(X, two, three); }, {"batchnorm_forward", "3x4", "gamma has 2"});
  require_error([&] { ops::batchnorm_forward_eval(X, three, three, two, three); },
                {"batchnorm_forward_eval", "3x4", "running"});
  const ops::BatchNormForward f = ops::batchnorm_forward(X, three, three);
  require_error([&] { ops::batchnorm_backward(arma::mat(3, 5), three, f.cache); },
                {"batchnorm_backward", "3x5", "3x4"});
  require_error([&] { ops::batchnorm_backward(arma::mat(3, 4), two, f.cache); },
                {"batchnorm_backward", "gamma has 2"});
}

TEST_CASE("arguments: dropout needs 0 <= p < 1, lambda >= 0", "[shapes][arguments]") {
  Rng rng(1);
  require_error([&] { ops::dropout_forward(A23, 1.0, rng); }, {"dropout_forward", "p = 1"});
  require_error([&] { ops::dropout_forward(A23, -0.1, rng); }, {"dropout_forward", "outside [0, 1)"});
  require_error([] { ops::l2_penalty_forward(A23, -1.0); }, {"l2_penalty_forward", "negative"});
}

TEST_CASE("shapes: the image ops need C*H*W rows, kernels of C*kh*kw columns and a window that fits",
          "[shapes][conv2d][max_pool2d][avg_pool2d]") {
  const arma::mat X(50, 2, arma::fill::ones);
  const arma::mat W(3, 18, arma::fill::ones);
  const arma::vec b(3, arma::fill::ones);
  CHECK_THROWS_WITH(ops::conv2d_forward(X, {2, 5, 5}, W, b, {7, 7, 1, 0}),
                    Contains("conv2d_forward") && Contains("7x7") && Contains("2x5x5") && Contains("padding 0"));
  CHECK_THROWS_WITH(ops::conv2d_forward(X, {2, 5, 5}, W, b, {3, 3, 0, 1}),
                    Contains("conv2d_forward") && Contains("stride 0"));
  CHECK_THROWS_WITH(ops::conv2d_forward(X, {2, 4, 4}, W, b, {3, 3, 1, 1}),
                    Contains("conv2d_forward") && Contains("50x2") && Contains("2x4x4") && Contains("32 rows"));
  CHECK_THROWS_WITH(ops::conv2d_forward(X, {2, 5, 5}, arma::mat(3, 9), b, {3, 3, 1, 1}),
                    Contains("conv2d_forward") && Contains("3x9") && Contains("18 columns"));
  CHECK_THROWS_WITH(ops::conv2d_forward(X, {2, 5, 5}, W, arma::vec(2), {3, 3, 1, 1}),
                    Contains("conv2d_forward") && Contains("3x18") && Contains("b has 2"));
  CHECK_THROWS_WITH(ops::conv2d_backward(arma::mat(75, 3), X, {2, 5, 5}, W, {3, 3, 1, 1}),
                    Contains("conv2d_backward") && Contains("75x3") && Contains("75x2"));
  CHECK_THROWS_WITH(ops::max_pool2d_forward(X, {2, 5, 5}, {6, 2, 2}),
                    Contains("max_pool2d_forward") && Contains("6x2") && Contains("2x5x5"));
  CHECK_THROWS_WITH(ops::max_pool2d_backward(arma::mat(8, 2), arma::umat(8, 3), {2, 5, 5}),
                    Contains("max_pool2d_backward") && Contains("8x2") && Contains("8x3"));
  CHECK_THROWS_WITH(ops::avg_pool2d_forward(X, {2, 5, 6}, {2, 2, 2}),
                    Contains("avg_pool2d_forward") && Contains("50x2") && Contains("2x5x6"));
  CHECK_THROWS_WITH(ops::avg_pool2d_backward(arma::mat(7, 2), {2, 5, 5}, {2, 2, 2}),
                    Contains("avg_pool2d_backward") && Contains("7x2") && Contains("2x2x2"));
  CHECK(ops::conv2d_output_shape({3, 32, 32}, 64, {3, 3, 1, 1}).size() == 64 * 32 * 32);
  CHECK(ops::to_string(ops::pool2d_output_shape({3, 7, 7}, {2, 2, 2})) == "3x3x3");
}
