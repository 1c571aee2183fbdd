// The primitives. Each backward receives the node it belongs to, `y`: y.grad is dL/dY
// (complete when it runs), y.data is Y, y.inputs[i]->data are the inputs; it ADDS each input's
// gradient with accumulate(), which skips inputs that need none.
#include "gradlab/autograd/ops.hpp"

#include "gradlab/shape.hpp"

#include <cmath>

namespace gradlab::autograd {

namespace {

// The first and second inputs of a node, as matrices.
const arma::mat& in0(const Node& y) { return y.inputs[0]->data; }
const arma::mat& in1(const Node& y) { return y.inputs[1]->data; }

// B repeated to A's shape (see "broadcast" in ops.hpp). Throws when the shapes do not fit.
arma::mat expand(const char* function, const arma::mat& B, const arma::mat& A) {
  if (B.n_rows == A.n_rows && B.n_cols == A.n_cols) return B;
  if (B.n_elem == 1) return arma::mat(A.n_rows, A.n_cols, arma::fill::value(B(0, 0)));
  if (B.n_cols == 1 && B.n_rows == A.n_rows) return arma::repmat(B, 1, A.n_cols);
  if (B.n_rows == 1 && B.n_cols == A.n_cols) return arma::repmat(B, A.n_rows, 1);
  throw std::invalid_argument(std::string(function) + ": A is " + shape_of(A) + " but B is " +
                              shape_of(B) + " (same shape, a column " +
                              std::to_string(A.n_rows) + "x1, a row 1x" +
                              std::to_string(A.n_cols) + ", or 1x1)");
}

// The reverse of expand: dB is dY summed over the directions B was repeated in.
arma::mat reduce_to(const arma::mat& dY, const arma::mat& B) {
  if (B.n_rows == dY.n_rows && B.n_cols == dY.n_cols) return dY;
  if (B.n_elem == 1) return arma::mat{arma::accu(dY)};
  if (B.n_cols == 1) return arma::sum(dY, 1);  // a column: summed over the batch
  return arma::sum(dY, 0);                     // a row: summed over the features
}

}  // namespace

Tensor matmul(const Tensor& A, const Tensor& B) {
  // A: M x K, B: K x N -> Y: M x N
  require(A.n_cols() == B.n_rows(), "autograd::matmul", [&] {
    return "A is " + shape_of(A.data()) + " but B is " + shape_of(B.data()) +
           " (A's columns must equal B's rows)";
  });
  return Tensor::from_op("matmul", A.data() * B.data(), {A, B}, [](const Node& y) {
    // Y = A B:  dA = dY B^T (M x K),  dB = A^T dY (K x N)
    accumulate(y.inputs[0], y.grad * in1(y).t());
    accumulate(y.inputs[1], in0(y).t() * y.grad);
  });
}

Tensor add(const Tensor& A, const Tensor& B) {
  arma::mat Y = A.data() + expand("autograd::add", B.data(), A.data());
  return Tensor::from_op("add", std::move(Y), {A, B}, [](const Node& y) {
    // Y = A + B:  dA = dY,  dB = dY (summed where B was repeated)
    accumulate(y.inputs[0], y.grad);
    accumulate(y.inputs[1], reduce_to(y.grad, in1(y)));
  });
}

Tensor subtract(const Tensor& A, const Tensor& B) {
  arma::mat Y = A.data() - expand("autograd::subtract", B.data(), A.data());
  return Tensor::from_op("subtract", std::move(Y), {A, B}, [](const Node& y) {
    // Y = A - B:  dA = dY,  dB = -dY (summed where B was repeated)
    accumulate(y.inputs[0], y.grad);
    accumulate(y.inputs[1], -reduce_to(y.grad, in1(y)));
  });
}

Tensor multiply(const Tensor& A, const Tensor& B) {
  arma::mat Y = A.data() % expand("autograd::multiply", B.data(), A.data());
  return Tensor::from_op("multiply", std::move(Y), {A, B}, [](const Node& y) {
    // Y = A ⊙ B:  dA = dY ⊙ B,  dB = dY ⊙ A (summed where B was repeated)
    const arma::mat B_full = expand("autograd::multiply", in1(y), in0(y));
    accumulate(y.inputs[0], y.grad % B_full);
    accumulate(y.inputs[1], reduce_to(y.grad % in0(y), in1(y)));
  });
}

Tensor divide(const Tensor& A, const Tensor& B) {
  arma::mat Y = A.data() / expand("autograd::divide", B.data(), A.data());
  return Tensor::from_op("divide", std::move(Y), {A, B}, [](const Node& y) {
    // Y = A / B:  dA = dY / B,  dB = -dY ⊙ A / B^2 = -dY ⊙ Y / B (summed where B was repeated)
    const arma::mat B_full = expand("autograd::divide", in1(y), in0(y));
    accumulate(y.inputs[0], y.grad / B_full);
    accumulate(y.inputs[1], reduce_to(-y.grad % y.data / B_full, in1(y)));
  });
}

Tensor add(const Tensor& A, double c) {
  return Tensor::from_op("add_constant", A.data() + c, {A}, [](const Node& y) {
    // Y = A + c:  dA = dY
    accumulate(y.inputs[0], y.grad);
  });
}

Tensor scale(const Tensor& A, double c) {
  return Tensor::from_op("scale", c * A.data(), {A}, [c](const Node& y) {
    // Y = c A:  dA = c dY
    accumulate(y.inputs[0], c * y.grad);
  });
}

Tensor exp(const Tensor& A) {
  return Tensor::from_op("exp", arma::exp(A.data()), {A}, [](const Node& y) {
    // Y = exp(A), exp' = exp:  dA = dY ⊙ Y
    accumulate(y.inputs[0], y.grad % y.data);
  });
}

Tensor log(const Tensor& A) {
  return Tensor::from_op("log", arma::log(A.data()), {A}, [](const Node& y) {
    // Y = log(A):  dA = dY / A
    accumulate(y.inputs[0], y.grad / in0(y));
  });
}

Tensor sqrt(const Tensor& A) {
  return Tensor::from_op("sqrt", arma::sqrt(A.data()), {A}, [](const Node& y) {
    // Y = sqrt(A), d sqrt(a) / da = 1 / (2 sqrt(a)):  dA = dY / (2 Y)
    accumulate(y.inputs[0], y.grad / (2.0 * y.data));
  });
}

Tensor pow(const Tensor& A, double p) {
  return Tensor::from_op("pow", arma::pow(A.data(), p), {A}, [p](const Node& y) {
    // Y = A^p:  dA = dY ⊙ p A^(p-1)
    accumulate(y.inputs[0], y.grad % (p * arma::pow(in0(y), p - 1.0)));
  });
}

Tensor sum(const Tensor& A, Over over) {
  // A: M x N -> 1 x 1 (all), M x 1 (each_row), 1 x N (each_column)
  arma::mat Y = over == Over::all        ? arma::mat{arma::accu(A.data())}
                : over == Over::each_row ? arma::mat(arma::sum(A.data(), 1))
                                         : arma::mat(arma::sum(A.data(), 0));
  return Tensor::from_op("sum", std::move(Y), {A}, [](const Node& y) {
    // Y = sum of A's elements (in each row / column): each element counts once, so
    // dA = dY repeated back over what was summed
    accumulate(y.inputs[0], expand("autograd::sum", y.grad, in0(y)));
  });
}

Tensor mean(const Tensor& A, Over over) {
  // the sum divided by how many elements went into each value
  const double count = over == Over::all        ? static_cast<double>(A.data().n_elem)
                       : over == Over::each_row ? static_cast<double>(A.n_cols())
                                                : static_cast<double>(A.n_rows());
  require(count > 0, "autograd::mean", "A is empty");
  return scale(sum(A, over), 1.0 / count);
}

Tensor reshape(const Tensor& A, arma::uword rows, arma::uword cols) {
  require(rows * cols == A.data().n_elem, "autograd::reshape", [&] {
    return "A is " + shape_of(A.data()) + " and cannot be read as " + std::to_string(rows) + "x" +
           std::to_string(cols);
  });
  return Tensor::from_op("reshape", arma::reshape(A.data(), rows, cols), {A}, [](const Node& y) {
    // Y holds A's entries in the same order: dA is dY in A's shape
    accumulate(y.inputs[0], arma::reshape(y.grad, arma::size(in0(y))));
  });
}

Tensor gather_rows(const Tensor& A, const arma::uvec& rows) {
  require(rows.is_empty() || arma::all(rows < A.n_rows() || rows == no_row), "autograd::gather_rows",
          [&] { return "A is " + shape_of(A.data()) + " but rows holds an index past its rows"; });
  arma::mat Y(rows.n_elem, A.n_cols(), arma::fill::zeros);
  for (arma::uword r = 0; r < rows.n_elem; ++r)
    if (rows(r) != no_row) Y.row(r) = A.data().row(rows(r));
  return Tensor::from_op("gather_rows", std::move(Y), {A}, [rows](const Node& y) {
    // Y_r = A_rows(r):  dA_i = sum over r with rows(r) = i of dY_r
    arma::mat dA(arma::size(in0(y)), arma::fill::zeros);
    for (arma::uword r = 0; r < rows.n_elem; ++r)
      if (rows(r) != no_row) dA.row(rows(r)) += y.grad.row(r);
    accumulate(y.inputs[0], dA);
  });
}

Tensor relu(const Tensor& A) {
  return Tensor::from_op("relu", arma::clamp(A.data(), 0.0, arma::datum::inf), {A},
                         [](const Node& y) {
                           // Y = max(A, 0):  dA = dY ⊙ 1[A > 0]   (0 at A = 0, as ops::relu)
                           accumulate(y.inputs[0],
                                      y.grad % arma::conv_to<arma::mat>::from(in0(y) > 0.0));
                         });
}

Tensor tanh(const Tensor& A) {
  return Tensor::from_op("tanh", arma::tanh(A.data()), {A}, [](const Node& y) {
    // Y = tanh(A), tanh' = 1 - tanh^2:  dA = dY ⊙ (1 - Y) ⊙ (1 + Y)
    accumulate(y.inputs[0], y.grad % (1.0 - y.data) % (1.0 + y.data));
  });
}

Tensor sigmoid(const Tensor& A) {
  // 1 / (1 + exp(-a)) for a >= 0 and exp(a) / (1 + exp(a)) for a < 0: exp never overflows
  arma::mat Y = A.data();
  Y.transform([](double a) {
    return a >= 0.0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a));
  });
  return Tensor::from_op("sigmoid", std::move(Y), {A}, [](const Node& y) {
    // Y = sigma(A), sigma' = sigma (1 - sigma):  dA = dY ⊙ Y ⊙ (1 - Y)
    accumulate(y.inputs[0], y.grad % y.data % (1.0 - y.data));
  });
}

Tensor log_softmax(const Tensor& A) {
  // A: C x B.  log sum_k exp(A_kb) = m_b + log1p(r_b), m_b = max_k A_kb and r_b the sum of
  // exp(A_kb - m_b) over the entries other than the largest (ops/log_softmax.cpp, the same
  // arrangement: log-probabilities near 0 keep their digits).
  const arma::rowvec m = arma::max(A.data(), 0);
  const arma::urowvec top = arma::index_max(A.data(), 0);
  arma::mat Y = A.data();
  Y.each_row() -= m;
  arma::rowvec r(Y.n_cols, arma::fill::zeros);
  for (arma::uword b = 0; b < Y.n_cols; ++b)
    for (arma::uword k = 0; k < Y.n_rows; ++k)
      if (k != top(b)) r(b) += std::exp(Y(k, b));
  Y.each_row() -= arma::log1p(r);
  return Tensor::from_op("log_softmax", std::move(Y), {A}, [](const Node& y) {
    // dY_cb / dA_kb = 1[c = k] - softmax_kb, softmax = exp(Y):
    // dA = dY - softmax ⊙ (column sums of dY)
    const arma::mat softmax = arma::exp(y.data);
    arma::mat dA = softmax;
    dA.each_row() %= arma::sum(y.grad, 0);
    dA = y.grad - dA;
    // At the largest probability p_k that difference cancels; with 1 - p_k = sum of the others
    // it is dY_k (sum_{j != k} p_j) - p_k (sum_{j != k} dY_j), small accurate terms.
    const arma::urowvec top = arma::index_max(y.data, 0);
    for (arma::uword b = 0; b < dA.n_cols; ++b) {
      const arma::uword k = top(b);
      double p_others = 0.0, dy_others = 0.0;
      for (arma::uword j = 0; j < dA.n_rows; ++j)
        if (j != k) p_others += softmax(j, b), dy_others += y.grad(j, b);
      dA(k, b) = y.grad(k, b) * p_others - softmax(k, b) * dy_others;
    }
    accumulate(y.inputs[0], dA);
  });
}

}  // namespace gradlab::autograd
