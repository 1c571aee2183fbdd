#include "gradlab/nn/network_check.hpp"

#include "gradlab/check/building_blocks.hpp"
#include "gradlab/fast/blas.hpp"
#include "gradlab/fast/memory.hpp"
#include "gradlab/nn/differentiable.hpp"
#include "gradlab/random.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace gradlab::nn {

using namespace gradlab::check;  // the checker's types: CheckResult, Options, Tolerance, ...

namespace {

// The layer's declared structure (Layer::structure), kept only when forward on this batch bears
// it out; otherwise the layer is re-run whole on every change, which is always right.
//   affine:      parameters() are W (out x in) and b (out), and Y = W A + b to rounding;
//   elementwise: forward on A's first entry, and on its first row, gives Y's;
//   per_column:  forward on A's first column gives Y's first column.
// The probes run forward on a part of A; the check re-runs layers on parts all along, and the
// network is left as a forward pass on X leaves it at the end.
Structure verified_structure(Layer& layer, const arma::mat& A, const arma::mat& Y) {
  const Structure declared = layer.structure();
  auto close = [](const arma::mat& a, const arma::mat& b) {
    if (a.n_rows != b.n_rows || a.n_cols != b.n_cols) return false;
    const double scale = std::max(1.0, b.is_empty() ? 0.0 : arma::abs(b).max());
    return a.is_empty() || arma::abs(a - b).max() <= 1e-12 * scale;
  };
  switch (declared) {
    case Structure::affine: {
      const std::vector<Parameter> p = layer.parameters();
      const bool shapes = p.size() == 2 && p[0].value->n_rows == Y.n_rows &&
                          p[0].value->n_cols == A.n_rows && p[1].value->n_rows == Y.n_rows &&
                          p[1].value->n_cols == 1;
      if (!shapes) return Structure::general;
      arma::mat WA = *p[0].value * A;
      WA.each_col() += *p[1].value;
      return close(WA, Y) ? declared : Structure::general;
    }
    case Structure::elementwise:  // the check runs forward on single entries and on rows
      return A.is_empty() || (close(layer.forward(arma::mat{A(0, 0)}), arma::mat{Y(0, 0)}) &&
                              close(layer.forward(arma::mat(A.row(0))), Y.row(0)))
                 ? declared
                 : Structure::general;
    case Structure::per_column:
      return A.n_cols == 0 || close(layer.forward(arma::mat(A.col(0))), Y.col(0)) ? declared
                                                                                  : Structure::general;
    case Structure::general:
      break;
  }
  return Structure::general;
}

// What one perturbation changed in a layer's output (equivalently, the next layer's input),
// relative to the unperturbed activations `base`:
//   element: base(row, col) becomes values(0, 0);
//   row:     base.row(row) becomes values (1 x B);
//   column:  base.col(col) becomes values (D x 1);
//   dense:   everything may have moved: values is the whole D x B matrix.
struct Change {
  enum class Kind { element, row, column, dense } kind = Kind::dense;
  arma::uword row = 0, col = 0;
  arma::mat values;
};

// The full matrix after the change.
arma::mat materialise(const arma::mat& base, Change&& c) {
  switch (c.kind) {
    case Change::Kind::dense: return std::move(c.values);
    case Change::Kind::element: {
      arma::mat full = base;
      full(c.row, c.col) = c.values(0, 0);
      return full;
    }
    case Change::Kind::row: {
      arma::mat full = base;
      full.row(c.row) = c.values;
      return full;
    }
    case Change::Kind::column: {
      arma::mat full = base;
      full.col(c.col) = c.values;
      return full;
    }
  }
  return base;
}

// The changed column, for a change confined to one column (element or column).
arma::mat column_after(const arma::mat& base, const Change& c) {
  if (c.kind == Change::Kind::column) return c.values;
  arma::mat column = base.col(c.col);
  column(c.row) = c.values(0, 0);
  return column;
}

// The report of one tensor: the same bookkeeping as every other check.
using Accumulator = detail::TensorAccumulator;
using detail::step_for;

// The network's unperturbed forward pass and the means to push one change through it.
class Incremental {
 public:
  Incremental(nn::Sequential& net, nn::Loss& loss, const arma::mat& X, const arma::uvec& labels)
      : net_(net), loss_(loss), labels_(labels) {
    kinds_.reserve(net.size());
    activations_.push_back(X);  // A_0 = X; A_{k+1} = layer_k(A_k)
    for (std::size_t k = 0; k < net.size(); ++k) {
      activations_.push_back(net.layer(k).forward(activations_.back()));
    }
    for (std::size_t k = 0; k < net.size(); ++k) {
      kinds_.push_back(verified_structure(net.layer(k), activations_[k], activations_[k + 1]));
      const std::vector<Parameter> p = net.layer(k).parameters();  // an affine layer's W, b
      affine_.push_back(kinds_.back() == Structure::affine
                            ? std::pair{p[0].value, p[1].value}
                            : std::pair<const arma::mat*, const arma::mat*>{nullptr, nullptr});
    }
    loss0_ = loss.forward(activations_.back(), labels);
    // Per-sample losses, used when the loss is the mean of them (as every gradlab loss is).
    const arma::mat& logits = activations_.back();
    sample_losses_.set_size(logits.n_cols);
    for (arma::uword b = 0; b < logits.n_cols; ++b)
      sample_losses_(b) = loss.forward(logits.col(b), labels.subvec(b, b));
    const double mean = arma::mean(sample_losses_);
    per_sample_ = std::abs(mean - loss0_) <= 1e-12 * std::max(1.0, std::abs(loss0_));
  }

  const arma::mat& input_of(std::size_t layer) const { return activations_[layer]; }
  const arma::mat& output_of(std::size_t layer) const { return activations_[layer + 1]; }
  Structure structure_of(std::size_t layer) const { return kinds_[layer]; }

  // The change of the loss when the output of layer `k` (k = -1: the input X) changed by c.
  double loss_change(std::ptrdiff_t k, Change c) {
    for (std::size_t l = static_cast<std::size_t>(k + 1); l < net_.size(); ++l)
      c = through(l, std::move(c));
    const arma::mat& logits = activations_.back();
    const bool one_column = c.kind == Change::Kind::element || c.kind == Change::Kind::column;
    if (one_column && per_sample_) {
      // L = (1/B) sum_b l_b, and only sample c.col moved.
      const double l = loss_.forward(column_after(logits, c), labels_.subvec(c.col, c.col));
      return (l - sample_losses_(c.col)) / static_cast<double>(logits.n_cols);
    }
    return loss_.forward(materialise(logits, std::move(c)), labels_) - loss0_;
  }

 private:
  // Layer l's output after its input changed by c.
  Change through(std::size_t l, Change c) {
    nn::Layer& layer = net_.layer(l);
    const arma::mat& A = activations_[l];      // its unperturbed input
    const arma::mat& Y = activations_[l + 1];  // its unperturbed output
    switch (kinds_[l]) {
      case Structure::affine: {
        const arma::mat& W = *affine_[l].first;
        const arma::mat& b = *affine_[l].second;  // out x 1
        switch (c.kind) {
          case Change::Kind::element: {  // A(i, b) moved by delta: Y(:, b) += W(:, i) delta
            const double delta = c.values(0, 0) - A(c.row, c.col);
            return {Change::Kind::column, 0, c.col, Y.col(c.col) + W.col(c.row) * delta};
          }
          case Change::Kind::row: {  // A(i, :) moved by D: Y += W(:, i) D, a rank-one update
            const arma::rowvec D = c.values - A.row(c.row);
            return {Change::Kind::dense, 0, 0, Y + W.col(c.row) * D};
          }
          case Change::Kind::column:  // Y(:, b) = W A(:, b) + b
            return {Change::Kind::column, 0, c.col, W * c.values + b};
          case Change::Kind::dense: {
            arma::mat out = W * c.values;
            out.each_col() += b;
            return {Change::Kind::dense, 0, 0, std::move(out)};
          }
        }
        break;
      }
      case Structure::elementwise:
        if (c.kind == Change::Kind::dense) break;
        c.values = layer.forward(c.values);  // the changed entries only
        return c;
      case Structure::per_column:
        if (c.kind == Change::Kind::element)
          return {Change::Kind::column, 0, c.col, layer.forward(column_after(A, c))};
        if (c.kind == Change::Kind::column) {
          c.values = layer.forward(c.values);
          return c;
        }
        break;
      case Structure::general:
        break;
    }
    return {Change::Kind::dense, 0, 0, layer.forward(materialise(A, std::move(c)))};
  }

  nn::Sequential& net_;
  nn::Loss& loss_;
  const arma::uvec& labels_;
  std::vector<Structure> kinds_;
  std::vector<std::pair<const arma::mat*, const arma::mat*>> affine_;  // W, b where affine
  std::vector<arma::mat> activations_;
  double loss0_ = 0.0;
  arma::vec sample_losses_;
  bool per_sample_ = false;
};

}  // namespace

CheckResult check_network(nn::Sequential& net, nn::Loss& loss, const arma::mat& X,
                          const arma::uvec& labels, const Options& o) {
  fast::keep_freed_memory();  // the check takes and frees gradient-sized blocks many times
  require(net.size() > 0, "check_network", "the network has no layers");
  // The analytic side and the contract exactly as check_vjp gets them. fn also holds the
  // network's Dropout masks frozen and its BatchNorm statistics saved while it lives.
  const Differentiable fn = nn::differentiable(net, loss, X, labels);
  CheckResult r = detail::started_result("check_network", "network", o);
  const double step = r.step;
  const Tolerance tol = o.effective_tolerance();
  Rng rng(o.seed);
  const arma::mat Y_shape = fn.forward();
  const arma::mat G = random_normal(Y_shape.n_rows, Y_shape.n_cols, rng);
  const double g = G(0, 0);  // check_vjp's upstream gradient: the scalar checked is g L
  const std::vector<arma::mat> grads = fn.backward(G);
  r.contract = check_contract(fn, G, o.seed + 1, &grads);

  arma::mat& input = *fn.inputs[0].second;  // fn's own copy of X
  Incremental net0(net, loss, input, labels);

  // One element: a its analytic value, moved(sign, taken) the loss change when it moves by
  // sign * h (setting `taken` to the step actually made). The same arithmetic as check_vjp.
  auto check_element = [&](Accumulator& acc, arma::uword row, arma::uword col, double a,
                           double x0, auto&& moved) {
    // The scheme's estimate at factor * h; the left slope only when asked (forward
    // differences need it only to judge a kink).
    auto estimate = [&](double factor, bool left_too) {
      const double h = factor * step_for(x0, step);
      double hp = 0.0, hm = 0.0;
      const double change_plus = g * moved(+1.0, h, hp);
      detail::Estimate e;
      e.right = e.left = e.numeric = change_plus / hp;
      if (o.scheme == Scheme::central || left_too) {
        const double change_minus = g * moved(-1.0, h, hm);
        e.left = -change_minus / hm;
        if (o.scheme == Scheme::central) e.numeric = (change_plus - change_minus) / (hp + hm);
      }
      return e;
    };
    detail::Estimate e = estimate(1.0, false);
    if (!tol.accepts(a, e.numeric)) e = estimate(1.0, true);
    acc.add(row, col, a, e.numeric, e.left, e.right, [&](double factor) { return estimate(factor, true); });
  };
  // x0 + sign * h as the input would hold it, and the step actually taken (exact).
  auto moved_value = [](double x0, double sign, double h, double& taken) {
    const double x = x0 + sign * h;
    taken = std::abs(x - x0);
    return x;
  };

  std::size_t t = 0;  // index into fn.inputs and grads
  auto analytic_of = [&](std::size_t tensor, const arma::mat& x) {
    const bool usable = tensor < grads.size() && grads[tensor].n_rows == x.n_rows &&
                        grads[tensor].n_cols == x.n_cols;
    return usable ? &grads[tensor] : nullptr;
  };

  // X(j, b): an element change at the input.
  {
    Accumulator acc("d" + fn.inputs[t].first, input.n_rows, input.n_cols, tol);
    const arma::mat* analytic = analytic_of(t, input);
    for (arma::uword i = 0; i < input.n_elem; ++i) {
      const arma::uword row = i % input.n_rows, col = i / input.n_rows;
      const double x0 = input(i);
      check_element(acc, row, col, analytic ? (*analytic)(i) : arma::datum::nan, x0,
                    [&](double sign, double h, double& taken) {
                      const double x = moved_value(x0, sign, h, taken);
                      return net0.loss_change(-1, {Change::Kind::element, row, col, arma::mat{x}});
                    });
    }
    r.tensors.push_back(acc.take(detail::context_of(r.contract, X.n_cols)));
    ++t;
  }

  for (std::size_t k = 0; k < net.size(); ++k) {
    nn::Layer& layer = net.layer(k);
    const bool linear = net0.structure_of(k) == Structure::affine;
    const arma::mat& A = net0.input_of(k);
    const arma::mat& Z = net0.output_of(k);
    std::size_t t_in_layer = 0;  // which of the layer's parameters
    for (const Parameter& p : layer.parameters()) {
      require(t < fn.inputs.size() && fn.inputs[t].second == p.value, "check_network",
              "the network's parameters changed during the check");
      arma::mat& x = *p.value;
      Accumulator acc("d" + fn.inputs[t].first, x.n_rows, x.n_cols, tol);
      const arma::mat* analytic = analytic_of(t, x);
      const bool is_weight = linear && t_in_layer == 0;  // W, then b (Structure::affine)
      for (arma::uword i = 0; i < x.n_elem; ++i) {
        const arma::uword row = i % x.n_rows, col = i / x.n_rows;
        const double x0 = x(i);
        const double a = analytic ? (*analytic)(i) : arma::datum::nan;
        if (linear) {
          // W(row, col) or b(row) moved by delta: row `row` of Z moves by delta A(col, :) or
          // by delta.
          check_element(acc, row, col, a, x0, [&](double sign, double h, double& taken) {
            const double delta = moved_value(x0, sign, h, taken) - x0;
            arma::rowvec new_row = Z.row(row);
            if (is_weight)
              new_row += delta * A.row(col);
            else
              new_row += delta;
            return net0.loss_change(static_cast<std::ptrdiff_t>(k),
                                    {Change::Kind::row, row, 0, std::move(new_row)});
          });
        } else {
          // Another layer's parameter: move it in place, re-run that layer on its unchanged
          // input, put it back exactly.
          check_element(acc, row, col, a, x0, [&](double sign, double h, double& taken) {
            x(i) = moved_value(x0, sign, h, taken);
            Change c{Change::Kind::dense, 0, 0, layer.forward(A)};
            x(i) = x0;
            return net0.loss_change(static_cast<std::ptrdiff_t>(k), std::move(c));
          });
        }
      }
      r.tensors.push_back(acc.take(detail::context_of(r.contract, X.n_cols)));
      ++t;
      ++t_in_layer;
    }
  }
  require(t == fn.inputs.size(), "check_network",
          "the network's parameters changed during the check");
  fn.forward();  // leave every layer's cache as a forward pass on X leaves it
  return r;
}

CheckResult check_network_directional(nn::Sequential& net, nn::Loss& loss, const arma::mat& X,
                                      const arma::uvec& labels, int directions,
                                      const Options& o) {
  fast::keep_freed_memory();  // the check takes and frees gradient-sized blocks several times
  require(net.size() > 0, "check_network_directional", "the network has no layers");
  require(directions > 0, "check_network_directional",
          "directions = " + std::to_string(directions) + " must be positive");
  // fn is used for its inputs (its own copy of X, then every parameter, named) and as the guard
  // that freezes Dropout masks and saves BatchNorm statistics while the check runs.
  const Differentiable fn = nn::differentiable(net, loss, X, labels);
  CheckResult r = detail::started_result("check_network_directional", "network-directional", o);
  const Tolerance tol = o.effective_tolerance();
  // Random signs, not Gaussian: for an error spread over many entries <e, v> is near normal and
  // the Gaussian bound holds; for one in a single entry the miss probability is a normal tail,
  // far below it.
  r.certified_error = check::directional_certified_error(directions, 1e-6, tol);
  Rng rng(o.seed);
  const double g = random_normal(1, 1, rng)(0, 0);  // as check_directional draws G

  arma::mat& input = *fn.inputs[0].second;
  const std::vector<gradlab::Parameter> params = net.parameters();
  const std::size_t tensors = fn.inputs.size();
  auto value = [&](std::size_t t) -> arma::mat& { return *fn.inputs[t].second; };

  // The analytic gradients, from buffers pre-filled with NaN: first[0] = dL/dX, then each
  // parameter's gradient as backward assigned it.
  for (const gradlab::Parameter& p : params) {
    p.grad->set_size(p.value->n_rows, p.value->n_cols);
    p.grad->fill(arma::datum::nan);
  }
  const double L0 = loss.forward(net.forward(input), labels);
  const arma::mat dlogits = loss.backward();
  // Runs backward; gradient t is then dX (t = 0) or the buffer of parameter t - 1.
  arma::mat dX;
  auto run_backward = [&](const arma::mat& upstream) { dX = net.backward(upstream); };
  auto gradient = [&](std::size_t t) -> const arma::mat& {
    return t == 0 ? dX : *params[t - 1].grad;
  };
  run_backward(dlogits);
  std::vector<arma::mat> first;
  first.reserve(tensors);
  for (std::size_t t = 0; t < tensors; ++t) first.push_back(gradient(t));

  // The contract, on the network's backward.
  ContractResult& c = r.contract;
  auto broken = [&c](bool& flag, const std::string& why) {
    flag = false;
    if (c.problem.empty()) c.problem = why;
  };
  for (std::size_t t = 0; t < tensors && c.assigned; ++t) {
    const arma::mat& x = value(t);
    if (first[t].n_rows != x.n_rows || first[t].n_cols != x.n_cols)
      broken(c.assigned, "d" + fn.inputs[t].first + " is " + shape_of(first[t]) + " but " +
                             fn.inputs[t].first + " is " + shape_of(x));
    else if (x.is_finite() && !first[t].is_finite())
      broken(c.assigned,
             "d" + fn.inputs[t].first + " has non-finite entries (unassigned or overflowed)");
  }
  auto same_shape = [&](std::size_t t) {
    return gradient(t).n_rows == first[t].n_rows && gradient(t).n_cols == first[t].n_cols;
  };
  if (c.assigned) {
    // Run twice: the very same numbers.
    run_backward(dlogits);
    for (std::size_t t = 0; t < tensors; ++t) {
      const arma::mat& again = gradient(t);
      if (!same_shape(t) || !std::equal(again.begin(), again.end(), first[t].begin()))
        broken(c.repeatable, "backward gave different d" + fn.inputs[t].first + " when run twice");
    }
    // Linear: backward(a dlogits + D) = a backward(dlogits) + backward(D), D random.
    const arma::mat D = random_normal(dlogits.n_rows, dlogits.n_cols, rng);
    const double a = -1.5;  // negative and not a power of two, as check_contract uses
    run_backward(D);
    std::vector<arma::mat> from_D;
    from_D.reserve(tensors);
    for (std::size_t t = 0; t < tensors; ++t) from_D.push_back(gradient(t));
    run_backward(a * dlogits + D);
    for (std::size_t t = 0; t < tensors; ++t) {
      const arma::mat& combined = gradient(t);
      bool linear = same_shape(t) && from_D[t].n_elem == first[t].n_elem;
      double worst = 0.0, scale = 1.0;
      for (arma::uword i = 0; linear && i < combined.n_elem; ++i) {
        const double expected = a * first[t](i) + from_D[t](i);
        worst = std::max(worst, std::abs(combined(i) - expected));
        scale = std::max(scale, std::abs(expected));
      }
      if (!linear || !(worst <= 1e-10 * scale))
        broken(c.linear, "d" + fn.inputs[t].first + " is not linear in the upstream gradient");
    }
  }
  Accumulator acc("directions", static_cast<arma::uword>(directions), 1, tol);
  if (!c.assigned) {
    acc.add_missing(0, 0);
    r.tensors.push_back(acc.take(detail::context_of(r.contract, X.n_cols)));
    return r;
  }

  double largest = 0.0;
  for (std::size_t t = 0; t < tensors; ++t) largest = std::max(largest, arma::abs(value(t)).max());
  const double h = r.step * std::max(1.0, largest);

  arma::uword n = 0;
  for (std::size_t t = 0; t < tensors; ++t) n += value(t).n_elem;
  const double unit = 1.0 / std::sqrt(static_cast<double>(n));
  std::vector<arma::mat> v(tensors), moved(tensors);
  for (int d = 0; d < directions; ++d) {
    // v = s / sqrt(n), s_i = +-1 with probability 1/2 each, one random bit per entry: a random
    // unit direction over all inputs together.
    double analytic = 0.0;
    std::uint64_t bits = 0;
    int left_bits = 0;
    for (std::size_t t = 0; t < tensors; ++t) {
      v[t].set_size(value(t).n_rows, value(t).n_cols);
      for (double& vi : v[t]) {
        if (left_bits == 0) {
          bits = rng();
          left_bits = 64;
        }
        vi = (bits & 1u) ? unit : -unit;
        bits >>= 1;
        --left_bits;
      }
      analytic += arma::dot(first[t], v[t]);
    }
    analytic *= g;
    // L(inputs + sign h v): each input swapped with its moved copy for the forward pass and
    // swapped back after, so it is restored bit for bit.
    auto loss_at = [&](double step) {
      for (std::size_t t = 0; t < tensors; ++t) {
        moved[t] = value(t) + step * v[t];
        value(t).swap(moved[t]);
      }
      const double L = loss.forward(net.forward(input), labels);
      for (std::size_t t = 0; t < tensors; ++t) value(t).swap(moved[t]);
      return L;
    };
    auto estimate = [&](double factor) {
      const double step = factor * h;
      const double Lp = loss_at(+step), Lm = loss_at(-step);
      detail::Estimate e;
      e.right = g * (Lp - L0) / step;
      e.left = g * (L0 - Lm) / step;
      e.numeric = o.scheme == Scheme::central ? g * (Lp - Lm) / (2.0 * step) : e.right;
      return e;
    };
    const detail::Estimate e = estimate(1.0);
    acc.add(static_cast<arma::uword>(d), 0, analytic, e.numeric, e.left, e.right, estimate);
  }
  r.tensors.push_back(acc.take(detail::context_of(r.contract, X.n_cols)));
  // Leave the caches and gradients as one forward and backward pass on X leaves them.
  loss.forward(net.forward(input), labels);
  net.backward(loss.backward());
  return r;
}

namespace {

// Adds the difference between `batch` and `pieces` to the verdict: relative to the largest
// entry of `batch`; names the tensor (and the sample, for a column) when it is the worst.
void compare_gradients(Invariance& v, const std::string& tensor, const arma::mat& batch,
                       const arma::mat& pieces, double tolerance, long sample = -1) {
  const double scale = std::max(arma::abs(batch).max(), 1e-300);
  const double d = arma::size(batch) == arma::size(pieces) ? arma::abs(batch - pieces).max() / scale
                                                           : HUGE_VAL;
  if (!(d <= v.max_rel_difference)) {
    v.max_rel_difference = d;
    if (!(d <= tolerance))
      v.problem = tensor + (sample >= 0 ? " of sample " + std::to_string(sample) : std::string(" summed")) +
                  " differs from the batch's by " + std::to_string(d) + " of its largest entry";
  }
  if (!(d <= tolerance)) v.holds = false;
}

}  // namespace

Invariance check_batch_invariance(Layer& layer, const arma::mat& X, const arma::mat& G,
                                  double tolerance) {
  require(X.n_cols == G.n_cols && X.n_cols > 0, "check_batch_invariance",
          "X is " + shape_of(X) + " and G " + shape_of(G) + ": one column per sample in both");
  (void)layer.forward(X);
  const arma::mat dX = layer.backward(G);
  std::vector<arma::mat> batch, summed;
  for (const Parameter& p : layer.parameters()) {
    batch.push_back(*p.grad);
    summed.push_back(arma::zeros(arma::size(*p.grad)));
  }
  Invariance v;
  for (arma::uword b = 0; b < X.n_cols; ++b) {
    (void)layer.forward(arma::mat(X.col(b)));
    const arma::mat dx = layer.backward(arma::mat(G.col(b)));
    compare_gradients(v, "dX", dX.col(b), dx, tolerance, static_cast<long>(b));
    const std::vector<Parameter> p = layer.parameters();
    for (std::size_t k = 0; k < p.size(); ++k) summed[k] += *p[k].grad;
  }
  const std::vector<Parameter> p = layer.parameters();
  for (std::size_t k = 0; k < p.size(); ++k) compare_gradients(v, "d" + p[k].name, batch[k], summed[k], tolerance);
  (void)layer.forward(X);  // leave the caches as one forward pass on X leaves them
  return v;
}

Invariance check_batch_invariance(Loss& loss, const arma::mat& outputs, const arma::uvec& labels,
                                  double tolerance) {
  require(outputs.n_cols == labels.n_elem && labels.n_elem > 0, "check_batch_invariance",
          "outputs are " + shape_of(outputs) + " for " + std::to_string(labels.n_elem) + " labels");
  (void)loss.forward(outputs, labels);
  const arma::mat d = loss.backward();
  const double B = static_cast<double>(outputs.n_cols);
  Invariance v;
  for (arma::uword b = 0; b < outputs.n_cols; ++b) {
    (void)loss.forward(arma::mat(outputs.col(b)), labels.subvec(b, b));
    compare_gradients(v, "doutputs", d.col(b), loss.backward() / B, tolerance, static_cast<long>(b));
  }
  (void)loss.forward(outputs, labels);
  return v;
}

Determinism check_thread_determinism(Sequential& net, Loss& loss, const arma::mat& X,
                                     const arma::uvec& labels) {
  auto gradients = [&](int threads) {
    fast::blas::fix_threads(threads);
    (void)fast::blas::set_threads(threads);
    (void)loss.forward(net.forward(X), labels);
    std::vector<arma::mat> g{net.backward(loss.backward())};
    for (const Parameter& p : net.parameters()) g.push_back(*p.grad);
    return g;
  };
  Determinism d;
  d.threads = fast::blas::available_threads();
  const std::vector<arma::mat> one = gradients(1), all = gradients(d.threads);
  fast::blas::fix_threads(0);
  const std::vector<Parameter> params = net.parameters();
  for (std::size_t k = 0; k < one.size(); ++k) {
    const std::string name = k == 0 ? "dX" : "d" + params[k - 1].name;
    const double scale = std::max(arma::abs(one[k]).max(), 1e-300);
    const double diff = arma::abs(one[k] - all[k]).max() / scale;
    d.max_rel_difference = std::max(d.max_rel_difference, diff);
    if (arma::any(arma::vectorise(one[k] != all[k])) && d.identical) {
      d.identical = false;
      d.problem = name + " differs between 1 and " + std::to_string(d.threads) + " threads by " +
                  std::to_string(diff) + " of its largest entry";
    }
  }
  return d;
}

std::string Bisection::summary() const {
  if (!found) return "no layer fails alone";
  return "layer " + std::to_string(layer) + ", " + name + ": " + tensor + ": " + diagnosis.summary;
}

Bisection bisect_network(Sequential& net, Loss& loss, const arma::mat& X, const arma::uvec& labels,
                         const check::Options& options) {
  require(net.size() > 0, "bisect_network", "the network has no layers");
  std::vector<arma::mat> inputs{X};  // A_0 = X; A_{k+1} = layer_k(A_k)
  for (std::size_t k = 0; k < net.size(); ++k) inputs.push_back(net.layer(k).forward(inputs.back()));
  auto named = [](check::CheckResult r, std::size_t k, std::string name) {
    Bisection b;
    for (const check::TensorResult& t : r.tensors)
      if (t.verdict() == check::Verdict::fail) {
        b.tensor = t.name;
        b.diagnosis = t.diagnosis;
        break;
      }
    if (b.tensor.empty()) {  // only the contract broke
      b.diagnosis.pattern = check::Pattern::contract;
      b.diagnosis.summary = std::string("contract: ") + r.contract.problem;
    }
    b.found = true;
    b.layer = k;
    b.name = std::move(name);
    b.result = std::move(r);
    return b;
  };
  Bisection b;
  for (std::size_t k = 0; k < net.size() && !b.found; ++k) {
    check::CheckResult r = check::check_vjp(differentiable(net.layer(k), inputs[k]), options);
    if (r.verdict() == check::Verdict::fail) b = named(std::move(r), k, net.layer(k).name());
  }
  if (!b.found) {
    check::CheckResult r = check::check_vjp(differentiable(loss, inputs.back(), labels), options);
    if (r.verdict() == check::Verdict::fail) b = named(std::move(r), net.size(), loss.name());
  }
  net.forward(X);  // leave the caches as one forward pass on X leaves them
  return b;
}

}  // namespace gradlab::nn
