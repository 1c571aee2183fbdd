#include "gradlab/autograd/composite.hpp"

#include "gradlab/labels.hpp"
#include "gradlab/shape.hpp"

namespace gradlab::autograd {

Tensor affine(const Tensor& W, const Tensor& b, const Tensor& X) {
  return add(matmul(W, X), b);
}

Tensor leaky_relu(const Tensor& X, double slope) {
  const Tensor positive = relu(X);                       // max(X, 0)
  const Tensor negative = subtract(X, positive);         // min(X, 0)
  return add(positive, scale(negative, slope));
}

Tensor softmax(const Tensor& logits) { return exp(log_softmax(logits)); }

Tensor dropout(const Tensor& X, const arma::mat& mask) { return multiply(X, Tensor(mask)); }

Tensor l2_penalty(const Tensor& W, double lambda) {
  return scale(sum(pow(W, 2.0)), lambda / 2.0);
}

Tensor nll_loss(const Tensor& logprobs, const arma::uvec& labels) {
  require_labels("autograd::nll_loss", labels, logprobs.data());
  const double B = static_cast<double>(logprobs.n_cols());
  const Tensor onehot(one_hot(labels, logprobs.n_rows()));  // a constant: no gradient
  return scale(sum(multiply(logprobs, onehot)), -1.0 / B);
}

Tensor softmax_cross_entropy(const Tensor& logits, const arma::uvec& labels) {
  return nll_loss(log_softmax(logits), labels);
}

Tensor cross_entropy(const Tensor& probs, const arma::mat& targets, double eps) {
  require_same_shape("autograd::cross_entropy", "probs", probs.data(), "targets", targets);
  const double B = static_cast<double>(probs.n_cols());
  return scale(sum(multiply(log(add(probs, eps)), Tensor(targets))), -1.0 / B);
}

Tensor mse_loss(const Tensor& Y, const arma::mat& targets) {
  require_same_shape("autograd::mse_loss", "Y", Y.data(), "targets", targets);
  const double B = static_cast<double>(Y.n_cols());
  return scale(sum(pow(subtract(Y, Tensor(targets)), 2.0)), 1.0 / B);
}

Tensor mse_loss(const Tensor& Y, const arma::uvec& labels) {
  require_labels("autograd::mse_loss", labels, Y.data());
  return mse_loss(Y, one_hot(labels, Y.n_rows()));
}

Tensor multiclass_hinge_loss(const Tensor& scores, const arma::uvec& labels) {
  require_labels("autograd::multiclass_hinge_loss", labels, scores.data());
  const double B = static_cast<double>(scores.n_cols());
  const arma::mat onehot = one_hot(labels, scores.n_rows());                    // constant
  const Tensor correct = sum(multiply(scores, Tensor(onehot)), Over::each_column);  // 1 x B
  const Tensor margins = add(subtract(scores, correct), 1.0);                  // C x B
  const Tensor others(1.0 - onehot);  // a constant mask: 0 on the label rows
  return scale(sum(multiply(relu(margins), others)), 1.0 / B);
}

Tensor binary_hinge_loss(const Tensor& scores, const arma::uvec& labels) {
  require(scores.n_rows() == 1 && labels.n_elem == scores.n_cols() && !labels.is_empty() &&
              labels.max() <= 1,
          "autograd::binary_hinge_loss", [&] {
            return "scores is " + shape_of(scores.data()) + " with " +
                   std::to_string(labels.n_elem) + " labels (must be 1 x B, labels 0 or 1)";
          });
  const double B = static_cast<double>(scores.n_cols());
  const Tensor y(2.0 * arma::conv_to<arma::rowvec>::from(labels) - 1.0);  // 1 x B, constant
  return scale(sum(relu(add(scale(multiply(scores, y), -1.0), 1.0))), 1.0 / B);
}

Tensor batchnorm(const Tensor& X, const Tensor& gamma, const Tensor& beta, double eps) {
  require(X.n_cols() >= 2, "autograd::batchnorm", [&] {
    return "X is " + shape_of(X.data()) + ": training mode needs a batch of at least 2 samples";
  });
  const Tensor mu = mean(X, Over::each_row);                                  // D x 1
  const Tensor centered = subtract(X, mu);                                    // D x B
  const Tensor var = mean(multiply(centered, centered), Over::each_row);     // D x 1
  const Tensor x_hat = divide(centered, sqrt(add(var, eps)));                 // D x B
  return add(multiply(x_hat, gamma), beta);                                   // D x B
}

Tensor batchnorm_eval(const Tensor& X, const Tensor& gamma, const Tensor& beta,
                      const arma::vec& running_mean, const arma::vec& running_var, double eps) {
  const Tensor inv_std(1.0 / arma::sqrt(running_var + eps));                  // D x 1, constant
  const Tensor x_hat = multiply(subtract(X, Tensor(running_mean)), inv_std);  // D x B
  return add(multiply(x_hat, gamma), beta);
}

namespace {
// The rows of X at window offset (u, v): row c*P + p holds X[c, oi*s + u, oj*s + v] for output
// position p = oi*Wo + oj.
arma::uvec window_rows(const ops::ImageShape& in, const ops::ImageShape& out,
                       const ops::Pool2dOptions& o, arma::uword u, arma::uword v) {
  arma::uvec rows(out.size());
  for (arma::uword c = 0; c < in.channels; ++c)
    for (arma::uword oi = 0; oi < out.height; ++oi)
      for (arma::uword oj = 0; oj < out.width; ++oj)
        rows(out.row(c, oi, oj)) = in.row(c, oi * o.stride + u, oj * o.stride + v);
  return rows;
}

void require_rows(const char* function, const Tensor& X, const ops::ImageShape& in) {
  require(X.n_rows() == in.size(), function, [&] {
    return "X is " + shape_of(X.data()) + " but images of shape " + ops::to_string(in) +
           " have " + std::to_string(in.size()) + " rows";
  });
}
}  // namespace

Tensor conv2d(const Tensor& W, const Tensor& b, const Tensor& X, const ops::ImageShape& in,
              const ops::Conv2dOptions& o) {
  const char* function = "autograd::conv2d";
  const ops::ImageShape out = ops::conv2d_output_shape(in, W.n_rows(), o, function);
  require_rows(function, X, in);
  const arma::uword K = out.channels, P = out.height * out.width, B = X.n_cols();
  const arma::uword Q = in.channels * o.kernel_h * o.kernel_w;
  require(W.n_cols() == Q && b.n_rows() == K && b.n_cols() == 1, function, [&] {
    return "W is " + shape_of(W.data()) + " and b " + shape_of(b.data()) + " but " +
           ops::to_string(in) + " images with " + std::to_string(o.kernel_h) + "x" +
           std::to_string(o.kernel_w) + " kernels need W K x " + std::to_string(Q) + " and b K x 1";
  });
  arma::uvec taps(Q * P, arma::fill::value(no_row));  // im2col: which entry each tap reads
  for (arma::uword oi = 0; oi < out.height; ++oi)
    for (arma::uword oj = 0; oj < out.width; ++oj)
      for (arma::uword c = 0; c < in.channels; ++c)
        for (arma::uword u = 0; u < o.kernel_h; ++u)
          for (arma::uword v = 0; v < o.kernel_w; ++v) {
            // the tap's place in the unpadded image; outside it, the tap stays no_row (padding)
            const arma::uword i = oi * o.stride + u, j = oj * o.stride + v;
            if (i < o.padding || j < o.padding || i - o.padding >= in.height || j - o.padding >= in.width)
              continue;
            const arma::uword q = (c * o.kernel_h + u) * o.kernel_w + v, p = oi * out.width + oj;
            taps(q + Q * p) = in.row(c, i - o.padding, j - o.padding);
          }
  arma::uvec order(K * P), kernel(K * P);
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword p = 0; p < P; ++p) {
      order(k * P + p) = k + K * p;
      kernel(k * P + p) = k;
    }
  const Tensor patches = gather_rows(X, taps);                     // (Q*P) x B
  const Tensor Z = matmul(W, reshape(patches, Q, P * B));          // K x (P*B)
  const Tensor Y = gather_rows(reshape(Z, K * P, B), order);       // (K*P) x B, the layout
  return add(Y, gather_rows(b, kernel));                           // b broadcast over the batch
}

Tensor max_pool2d(const Tensor& X, const ops::ImageShape& in, const ops::Pool2dOptions& o) {
  const ops::ImageShape out = ops::pool2d_output_shape(in, o, "autograd::max_pool2d");
  require_rows("autograd::max_pool2d", X, in);
  Tensor m = gather_rows(X, window_rows(in, out, o, 0, 0));
  for (arma::uword u = 0; u < o.window_h; ++u)
    for (arma::uword v = 0; v < o.window_w; ++v) {
      if (u == 0 && v == 0) continue;
      const Tensor X_t = gather_rows(X, window_rows(in, out, o, u, v));
      m = add(m, relu(subtract(X_t, m)));  // max(m, X_t), m kept at a tie
    }
  return m;
}

Tensor avg_pool2d(const Tensor& X, const ops::ImageShape& in, const ops::Pool2dOptions& o) {
  const ops::ImageShape out = ops::pool2d_output_shape(in, o, "autograd::avg_pool2d");
  require_rows("autograd::avg_pool2d", X, in);
  Tensor total = gather_rows(X, window_rows(in, out, o, 0, 0));
  for (arma::uword u = 0; u < o.window_h; ++u)
    for (arma::uword v = 0; v < o.window_w; ++v)
      if (u != 0 || v != 0) total = add(total, gather_rows(X, window_rows(in, out, o, u, v)));
  return scale(total, 1.0 / static_cast<double>(o.window_h * o.window_w));
}

}  // namespace gradlab::autograd
