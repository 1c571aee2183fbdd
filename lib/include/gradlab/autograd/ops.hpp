#pragma once
// The primitive ops of the autograd tape. Each computes its value and records a backward
// function of a few lines, with its equation beside it (ops.cpp). Everything else (losses,
// batch norm, the networks) is composed from these, and its derivative comes for free.
//
// Shapes: columns are samples, as everywhere in gradlab. Binary elementwise ops (add,
// subtract, multiply, divide) take B of the same shape as A, or broadcast it:
//   B: rows x 1  (a column, e.g. a bias b or a per-feature mean)  repeated over A's columns,
//   B: 1 x cols  (a row, e.g. a per-sample sum)                    repeated over A's rows,
//   B: 1 x 1     (a scalar)                                         repeated everywhere.
// Backward sums dY over the repeated direction: a value used many times collects every use.
#include "gradlab/autograd/tensor.hpp"

namespace gradlab::autograd {

// A: M x K, B: K x N -> M x N.  Y = A B
Tensor matmul(const Tensor& A, const Tensor& B);

// Y = A + B,  Y = A - B,  Y = A ⊙ B,  Y = A / B (elementwise; B may broadcast, see above)
Tensor add(const Tensor& A, const Tensor& B);
Tensor subtract(const Tensor& A, const Tensor& B);
Tensor multiply(const Tensor& A, const Tensor& B);
Tensor divide(const Tensor& A, const Tensor& B);

// A read as a rows x cols matrix, its entries in the same (column-major) order; rows * cols
// must equal A's number of entries. dA is dY read back in A's shape.
Tensor reshape(const Tensor& A, arma::uword rows, arma::uword cols);

// Row r of Y is row rows(r) of A, or a row of zeros where rows(r) is no_row (PyTorch's
// index_select, with zero padding). A row picked several times collects every use:
// dA row i = the sum of dY's rows r with rows(r) = i.
inline constexpr arma::uword no_row = ~arma::uword{0};
Tensor gather_rows(const Tensor& A, const arma::uvec& rows);

// With a constant number c: Y = A + c,  Y = c A
Tensor add(const Tensor& A, double c);
Tensor scale(const Tensor& A, double c);

// Elementwise: Y = exp(A),  log(A),  sqrt(A),  A^p
Tensor exp(const Tensor& A);
Tensor log(const Tensor& A);
Tensor sqrt(const Tensor& A);
Tensor pow(const Tensor& A, double p);

// Reductions. all: 1 x 1.  each_row: M x 1, over the columns (the batch) of each row.
// each_column: 1 x N, over the rows (the features) of each column.
enum class Over { all, each_row, each_column };
Tensor sum(const Tensor& A, Over over = Over::all);
Tensor mean(const Tensor& A, Over over = Over::all);

// Activations, elementwise: max(A, 0),  tanh(A),  1 / (1 + exp(-A))
Tensor relu(const Tensor& A);
Tensor tanh(const Tensor& A);
Tensor sigmoid(const Tensor& A);

// Over each column: Y_cb = A_cb - log sum_k exp(A_kb)   (a primitive: composing it from exp,
// sum and log overflows for large logits; see docs/autograd.md)
Tensor log_softmax(const Tensor& A);

}  // namespace gradlab::autograd
