#pragma once
// The Layer contract. Every layer in gradlab::nn keeps it, and checks/ verifies it for each
// layer with the gradient checker (random upstream gradient, every parameter and the input,
// gradient buffers pre-filled with NaN so an entry backward forgot cannot pass).
//
//   forward(X)   X: in x B (columns are samples). Returns Y: out x B. Caches exactly what
//                backward needs (the input, an output, a mask, batch statistics) and nothing
//                else. In train mode, layers with batch statistics or randomness use them;
//                in eval mode they use running statistics / the identity.
//   forward(X&&) the same, for an input the caller gives up; the default copies as above.
//   forward_borrowed(X)  the same, for an input the caller keeps alive and unchanged until
//                backward has run (the training loop's batch): a layer that caches its input
//                (Linear) may keep a reference to X instead of a copy. The default copies.
//   backward(dY) dY = dL/dY: out x B, for the same batch as the last forward. ASSIGNS (=, never
//                +=) the gradient of every parameter, returns dL/dX: in x B. Called after
//                forward, layers in reverse order; it reads the cache and never changes it, so
//                running it twice gives the same gradients (not doubled ones).
//   backward_parameters(dY)  the same parameter gradients as backward(dY), without dL/dX: for
//                the first layer of a network, whose input is data. Layers that can skip the
//                input gradient (Linear) override it; the default calls backward.
//   backward_and_update(dY, update, input_gradient)  backward(dY), or backward_parameters(dY)
//                without input_gradient (then it returns an empty matrix), and the update of
//                each of parameters() by `update` (an optimiser) once its gradient is ready:
//                Sequential::backward_and_update's step, layer by layer. The values end as the
//                two apart leave them; a layer that folds the update into its backward (Linear
//                at batch 1 under momentum SGD) leaves that parameter's grad unwritten.
//   parameters() every trainable tensor with its gradient, named ("W", "b", "gamma", ...);
//                Sequential prefixes the layer's index: "0.W", "0.b", "2.gamma". Gradients
//                have their parameter's shape from construction (zeros until a backward).
//   set_mode()   train or eval.
//   structure()  how a change of one entry of X travels through forward (Structure below): what
//                nn::check_network's shortcuts rely on. The default, general, promises nothing;
//                a layer that overrides forward in a way that breaks its base's promise
//                overrides structure() too. check_network also verifies it on the batch.
// Wrong shapes throw std::invalid_argument naming the layer and the shapes:
//   "Linear(4, 3).forward: X is 5x2 but the layer takes 4 rows (X is features x batch)".
// Layers own their state (weights, gradients, caches); the maths is in gradlab::ops (Linear and
// ReLU run its fast twins, gradlab::fast, which give the same numbers).
#include "gradlab/parameter.hpp"

#include <armadillo>

#include <string>
#include <vector>

namespace gradlab::nn {

enum class Mode { train, eval };

// How forward lets a change of its input through, for the network check (nn/network_check.hpp):
//   general      anything: the layer is re-run on its whole input;
//   elementwise  Y_ij depends on X_ij alone (ReLU, LeakyReLU, Tanh, Sigmoid);
//   per_column   Y's column b depends on X's column b alone (LogSoftmax);
//   affine       Y = W X + b, with parameters() = {W: out x in, b: out} in that order (Linear).
enum class Structure { general, elementwise, per_column, affine };

class Layer {
 public:
  virtual ~Layer() = default;
  virtual arma::mat forward(const arma::mat& X) = 0;
  // The same for an X the caller gives up (Sequential passes each layer's output on this way):
  // a layer that caches its input (Linear, ReLU) keeps it without a copy.
  virtual arma::mat forward(arma::mat&& X) { return forward(static_cast<const arma::mat&>(X)); }
  // The same for an X that stays alive and unchanged until backward: no copy of X is needed.
  virtual arma::mat forward_borrowed(const arma::mat& X) { return forward(X); }
  virtual arma::mat backward(const arma::mat& dY) = 0;
  virtual void backward_parameters(const arma::mat& dY) { (void)backward(dY); }
  virtual arma::mat backward_and_update(const arma::mat& dY, ParameterUpdate& update,
                                        bool input_gradient);
  virtual std::vector<Parameter> parameters() { return {}; }
  // Tensors that are not trained but that a checkpoint must keep for evaluation to give the
  // same outputs (BatchNorm's running statistics), named like parameters; grad is null.
  virtual std::vector<Parameter> state() { return {}; }
  virtual void set_mode(Mode mode) { mode_ = mode; }
  virtual Structure structure() const { return Structure::general; }
  Mode mode() const { return mode_; }
  virtual std::string name() const = 0;  // "Linear(784, 100)", "ReLU", ...

 protected:
  Mode mode_ = Mode::train;
};

}  // namespace gradlab::nn
