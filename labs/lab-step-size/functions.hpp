#pragma once
// lab-step-size's four functions (tanh, sigmoid, softmax cross-entropy, batch norm), each a
// scalar function f of one number x with every other input held fixed, written once as a
// template over the number type S (float, double, complex<float>, complex<double>) so that the
// very same formula runs in each; and their exact derivatives, from the closed forms.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <string>
#include <vector>

namespace lab_step_size {

enum class Kind { tanh, sigmoid, softmax_ce, batchnorm };

// One function and the point where its derivative is taken: Problem holds the fixed inputs; x
// is the one input that moves.
struct Problem {
  Kind kind;
  std::string key, title;
  double x0;                  // the point where the derivative is taken
  std::vector<double> other;  // softmax: the logits (entry `index` replaced by x); batch norm: the row
  std::vector<double> G;      // batch norm: the upstream gradient of the row
  std::size_t index = 0;      // which logit / which sample moves
  std::size_t label = 0;      // softmax: the true class
  double gamma = 1.0, beta = 0.0, bn_eps = 1e-5;
};

template <class S>
S sigmoid(S x) {
  return S(1) / (S(1) + std::exp(-x));
}

// f(x): the problem's function of its moving input, in arithmetic of type S.
template <class S>
S evaluate(const Problem& p, S x) {
  switch (p.kind) {
    case Kind::tanh: return std::tanh(x);
    case Kind::sigmoid: return sigmoid(x);
    case Kind::softmax_ce: {
      // L = log sum_j exp(z_j - m) + m - z_label, with the shift m a constant (the largest
      // fixed logit), so the same formula is analytic in x for the complex step.
      double m = -HUGE_VAL;
      for (double z : p.other) m = std::max(m, z);
      S sum(0);
      for (std::size_t j = 0; j < p.other.size(); ++j)
        sum += std::exp((j == p.index ? x : S(p.other[j])) - S(m));
      const S z_label = p.label == p.index ? x : S(p.other[p.label]);
      return std::log(sum) + S(m) - z_label;
    }
    case Kind::batchnorm: {
      // phi = sum_b G_b y_b, y = gamma (x - mean) / sqrt(var + eps) + beta over one row.
      const std::size_t B = p.other.size();
      std::vector<S> row(B);
      S mean(0);
      for (std::size_t b = 0; b < B; ++b) {
        row[b] = b == p.index ? x : S(p.other[b]);
        mean += row[b];
      }
      mean /= S(static_cast<double>(B));
      S var(0);
      for (std::size_t b = 0; b < B; ++b) var += (row[b] - mean) * (row[b] - mean);  // no conj: analytic
      var /= S(static_cast<double>(B));
      const S inv_std = S(1) / std::sqrt(var + S(p.bn_eps));
      S phi(0);
      for (std::size_t b = 0; b < B; ++b)
        phi += S(p.G[b]) * (S(p.gamma) * (row[b] - mean) * inv_std + S(p.beta));
      return phi;
    }
  }
  return S(0);
}

// The exact derivative at p.x0 (for the inputs exactly as stored in p): the closed form in long
// double, or gradlab::ops for batch norm.
double exact_derivative(const Problem& p);

// Every number of the problem rounded to float: the inputs a float experiment really has.
Problem rounded_to_float(Problem p);

}  // namespace lab_step_size
