#include "gradlab/autograd/tensor.hpp"

#include "gradlab/shape.hpp"

#include <unordered_set>

namespace gradlab::autograd {

void accumulate(const std::shared_ptr<Node>& node, const arma::mat& g) {
  if (!node->requires_grad) return;
  require(g.n_rows == node->data.n_rows && g.n_cols == node->data.n_cols, "autograd::accumulate",
          [&] {
            return "gradient is " + shape_of(g) + " but the " + node->op + " value is " +
                   shape_of(node->data);
          });
  node->grad += g;
}

Tensor::Tensor() : node_(std::make_shared<Node>()) { node_->op = "leaf"; }

Tensor::Tensor(arma::mat data, bool requires_grad) : node_(std::make_shared<Node>()) {
  node_->grad.zeros(data.n_rows, data.n_cols);
  node_->data = std::move(data);
  node_->requires_grad = requires_grad;
  node_->op = "leaf";
}

Tensor Tensor::from_op(const std::string& op, arma::mat data, const std::vector<Tensor>& inputs,
                       std::function<void(const Node& self)> backward) {
  Tensor out(std::move(data));
  out.node_->op = op;
  for (const Tensor& t : inputs) out.node_->requires_grad |= t.requires_grad();
  // A result no gradient flows through keeps no graph: constants stay cheap.
  if (out.node_->requires_grad) {
    for (const Tensor& t : inputs) out.node_->inputs.push_back(t.node_);
    out.node_->backward = std::move(backward);
  }
  return out;
}

double Tensor::item() const {
  require(node_->data.n_elem == 1, "Tensor::item",
          [&] { return "the tensor is " + shape_of(node_->data) + ", not 1x1"; });
  return node_->data(0, 0);
}

void Tensor::accumulate_grad(const arma::mat& g) {
  require_same_shape("Tensor::accumulate_grad", "g", g, "data", node_->data);
  node_->grad += g;
}

void Tensor::zero_grad() { node_->grad.zeros(node_->data.n_rows, node_->data.n_cols); }

std::vector<std::shared_ptr<Node>> Tensor::topological_order() const {
  // Depth-first search: a node is appended after all of its inputs (post-order), so the list
  // runs leaves -> output; reversed, every node comes after all the nodes that use it.
  std::vector<std::shared_ptr<Node>> order;
  std::unordered_set<const Node*> visited;
  // An explicit stack instead of recursion: deep graphs (long chains) cannot overflow it.
  struct Frame {
    std::shared_ptr<Node> node;
    std::size_t next_input;
  };
  std::vector<Frame> stack{{node_, 0}};
  visited.insert(node_.get());
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next_input < top.node->inputs.size()) {
      std::shared_ptr<Node> input = top.node->inputs[top.next_input++];
      if (input->requires_grad && visited.insert(input.get()).second)
        stack.push_back({input, 0});
    } else {
      order.push_back(top.node);
      stack.pop_back();
    }
  }
  return {order.rbegin(), order.rend()};
}

void Tensor::backward() {
  require(node_->data.n_elem == 1, "Tensor::backward", [&] {
    return "backward() without a seed needs a 1x1 output (a loss), but it is " +
           shape_of(node_->data) + "; pass dL/d(output) as the seed";
  });
  backward(arma::mat(1, 1, arma::fill::ones));  // dL/dL = 1
}

void Tensor::backward(const arma::mat& seed) {
  require_same_shape("Tensor::backward", "seed", seed, "output", node_->data);
  require(node_->requires_grad, "Tensor::backward",
          "the output does not depend on anything that requires a gradient");
  const std::vector<std::shared_ptr<Node>> order = topological_order();
  // Intermediate gradients start from 0 (so a second backward does not double them);
  // leaves keep theirs and accumulate.
  for (const auto& n : order)
    if (n->backward) n->grad.zeros(n->data.n_rows, n->data.n_cols);
  node_->grad += seed;
  // Output first: when a node is reached, every node that uses it has already added its share.
  for (const auto& n : order)
    if (n->backward) n->backward(*n);
}

Parameter::Parameter(std::string name, arma::mat value) : Tensor(std::move(value), true) {
  node()->name = std::move(name);
  node()->op = "parameter";
}

namespace {
// Report 000's order: run this node's backward, then recurse into each input at once.
void recurse(Node& n) {
  if (n.backward) n.backward(n);
  for (const auto& input : n.inputs)
    if (input->requires_grad && input->op != "parameter") recurse(*input);
}
}  // namespace

void backward_recursive(Tensor& output) {
  require(output.data().n_elem == 1, "backward_recursive", "needs a 1x1 output (a loss)");
  output.grad().ones(1, 1);
  recurse(*output.node());
}

}  // namespace gradlab::autograd
