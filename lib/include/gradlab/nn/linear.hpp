#pragma once
// The fully connected layer: Y = W X + b. Its equations are ops::affine_forward and
// ops::affine_backward; it runs their fast twins (fast/kernels.hpp), which give the same numbers.
#include "gradlab/nn/layer.hpp"

namespace gradlab::nn {

class Linear : public Layer {
 public:
  // W: out x in and b: out, both zero until an initialiser from nn/init.hpp fills W
  // (make_mlp does). All-zero weights make every hidden unit identical: initialise first.
  Linear(arma::uword in, arma::uword out);

  // X: in x B  ->  Y = W X + b: out x B.  Caches X (dW needs it).
  arma::mat forward(const arma::mat& X) override;
  arma::mat forward(arma::mat&& X) override;  // keeps X without a copy
  // Keeps a reference to X: X must stay alive and unchanged until backward has run.
  arma::mat forward_borrowed(const arma::mat& X) override;

  // dY: out x B.  Assigns dW = dY X^T and db = sum_b dY; returns dX = W^T dY: in x B.
  arma::mat backward(const arma::mat& dY) override;
  void backward_parameters(const arma::mat& dY) override;  // dW and db only
  // At batch 1, when W's update is the heavy ball (momentum SGD): dX = W^T dY with W as it was,
  // then v = mu v + dY X^T; W -= lr v in one pass (fast::heavy_ball_outer_step), dW never
  // formed (it keeps its last value), and b updated from db = dY. Otherwise Layer's.
  arma::mat backward_and_update(const arma::mat& dY, ParameterUpdate& update,
                                bool input_gradient) override;

  // "W" (out x in) and "b" (out).
  std::vector<Parameter> parameters() override;

  std::string name() const override;  // "Linear(784, 100)"
  Structure structure() const override { return Structure::affine; }
  arma::uword in() const { return W.n_cols; }
  arma::uword out() const { return W.n_rows; }

  // Public so that students and initialisers can read and set them; keep their shapes.
  arma::mat W;   // out x in
  arma::vec b;   // out
  arma::mat dW;  // out x in, dL/dW assigned by the last backward
  arma::vec db;  // out, dL/db assigned by the last backward

 private:
  // The last forward's input: X_, or the caller's matrix after forward_borrowed.
  const arma::mat& input() const { return borrowed_ != nullptr ? *borrowed_ : X_; }
  arma::mat X_;
  const arma::mat* borrowed_ = nullptr;
};

}  // namespace gradlab::nn
