#pragma once
// Reverse-mode automatic differentiation: the Tensor, the tape it builds, and backward().
// The walk-through is docs/autograd.md; checks/check_autograd_*.cpp test every rule below.
//
// Every op (autograd/ops.hpp) computes its value at once and returns a new Tensor whose Node
// remembers its inputs and a backward function. The nodes and their input pointers form a
// directed acyclic graph (the "tape"); backward() walks it from the output to the leaves.
//
//   Parameter W("W", arma::randu(3, 4));            // a leaf that collects dL/dW
//   Tensor X(arma::randu(4, 2));                    // data: no gradient wanted
//   Tensor L = mean(tanh(matmul(W, X)));            // builds the graph while computing L
//   L.backward();                                   // W.grad() now holds dL/dW (3 x 4)
#include <armadillo>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gradlab::autograd {

// One value in the graph. Tensors share Nodes by handle; users go through Tensor.
struct Node {
  arma::mat data;             // the value computed by forward
  arma::mat grad;             // dL/d(data), same shape as data (zeros until a backward)
  bool requires_grad = false; // true for parameters and anything computed from them
  std::string op;             // what made it: "matmul", "tanh", ... ; "leaf" for inputs
  std::string name;           // a Parameter's name ("W"); empty otherwise
  std::vector<std::shared_ptr<Node>> inputs;  // the nodes this one was computed from
  // Given this node (whose grad is complete), ADDS each input's share of the gradient into
  // input->grad (only for inputs that require it). Empty for leaves.
  std::function<void(const Node& self)> backward;
};

// Adds g into node->grad when the node wants a gradient (the one place gradients accumulate).
void accumulate(const std::shared_ptr<Node>& node, const arma::mat& g);

class Tensor {
 public:
  Tensor();  // an empty 0x0 constant
  // A leaf: user data (requires_grad = false) or a trainable value (true).
  explicit Tensor(arma::mat data, bool requires_grad = false);
  // The result of an op: value, inputs and the backward function (see ops.cpp for examples).
  // requires_grad is true when any input requires it; otherwise the inputs are not kept.
  static Tensor from_op(const std::string& op, arma::mat data, const std::vector<Tensor>& inputs,
                        std::function<void(const Node& self)> backward);

  const arma::mat& data() const { return node_->data; }
  arma::mat& data() { return node_->data; }  // e.g. an optimiser's update of a Parameter
  const arma::mat& grad() const { return node_->grad; }
  arma::mat& grad() { return node_->grad; }
  bool requires_grad() const { return node_->requires_grad; }
  arma::uword n_rows() const { return node_->data.n_rows; }
  arma::uword n_cols() const { return node_->data.n_cols; }
  double item() const;  // the value of a 1x1 tensor (throws otherwise)

  // Adds g (same shape as data) to grad.
  void accumulate_grad(const arma::mat& g);
  // grad = 0, shape kept.
  void zero_grad();

  // Backpropagation from this tensor, with dL/d(this) = 1 (this must be 1x1, a loss), or with
  // an upstream gradient `seed` shaped like data (a vector-Jacobian product).
  // Order: reverse topological. Each node's backward runs once, after every node that uses it
  // has added its share, so its gradient is complete before it is passed on.
  // Leaves (Parameters and inputs) ACCUMULATE across calls, as in report 000: call zero_grad
  // between training steps. Intermediate nodes are reset to 0 at the start of each call.
  void backward();
  void backward(const arma::mat& seed);

  // The nodes that backward() visits, in the order it visits them (the output first).
  std::vector<std::shared_ptr<Node>> topological_order() const;

  const std::shared_ptr<Node>& node() const { return node_; }

 private:
  std::shared_ptr<Node> node_;
};

// A trainable leaf with a name (report 000's Parameter). It has no inputs, so backpropagation
// ends here: its grad is what the optimiser reads.
class Parameter : public Tensor {
 public:
  Parameter(std::string name, arma::mat value);
  const std::string& name() const { return node()->name; }
};

// Report 000's backward, kept for comparison and for the test that shows what it gets wrong:
// a node runs its backward function and then recurses into each input straight away, so a node
// reached by two paths propagates twice, the second time with the sum of both shares. Its
// inputs receive the first path's share twice. Right on a chain or tree; wrong as soon as one
// tensor feeds two ops (batch norm's centred input does). Do not use it for training.
void backward_recursive(Tensor& output);

}  // namespace gradlab::autograd
