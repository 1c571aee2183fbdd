// Every derivative formula the five reports print, implemented as printed and checked against
// finite differences, section by section (see formulas.hpp). Each section draws its own inputs
// from the one generator, in a fixed order, so that a seed gives the same draw every time.
#include "formulas.hpp"

#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"

#include <cmath>

using namespace gradlab;

namespace lab_errata {

namespace {

constexpr arma::uword gold = 1;  // the true class of the one-sample softmax checks

// One sample through an affine map and a softmax (reports 000, 002, 003, 004).
void affine_formulas(Rng& rng, Formulas& formulas) {
  const arma::uword D = 4, M = 3;
  const arma::mat W = random_normal(M, D, rng);
  const arma::vec b = random_normal(M, 1, rng), x = random_normal(D, 1, rng);
  const arma::vec G = random_normal(M, 1, rng);  // an upstream gradient dL/dy
  auto affine = [&](const arma::mat& W_, const arma::vec& b_, const arma::vec& x_) { return arma::vec(W_ * x_ + b_); };
  const arma::mat J_x = numeric_jacobian([&](const arma::vec& v) { return affine(W, b, v); }, x);
  const arma::mat J_b = numeric_jacobian([&](const arma::vec& v) { return affine(W, v, x); }, b);
  const arma::mat J_W = numeric_jacobian(
      [&](const arma::vec& v) { return affine(arma::reshape(v, M, D), b, x); }, arma::vectorise(W));
  // Jacobian entries as printed: d y_k / d W_ij = x_j delta_ki  (column i + M j of vec(W)).
  arma::mat J_W_printed(M, M * D, arma::fill::zeros);
  for (arma::uword k = 0; k < M; ++k)
    for (arma::uword i = 0; i < M; ++i)
      for (arma::uword j = 0; j < D; ++j) J_W_printed(k, i + M * j) = (k == i) ? x(j) : 0.0;
  const arma::mat ones_MM(M, M, arma::fill::ones);
  formulas.add("000", "eq. 5", "dy_k/dW_ij = x_j delta_ki", "Jacobian entries", J_W_printed, J_W, true);
  formulas.add("000", "eq. 5", "dy_k/db_i = 1", "Jacobian entries: 1 for every k and i", ones_MM, J_b, false,
               "dy_k/db_i = delta_ki (the identity)", arma::mat(arma::eye(M, M)), "authors (the delta_ki of the line above is missing)");
  formulas.add("000", "eq. 5", "dy_k/dx_i = W_ki", "Jacobian entries", W, J_x, true);
  // Loss L = <G, y> for the backward rules.
  auto L_of_W = [&](const arma::mat& W_) { return arma::dot(G, affine(W_, b, x)); };
  auto L_of_b = [&](const arma::mat& b_) { return arma::dot(G, affine(W, b_, x)); };
  auto L_of_x = [&](const arma::mat& x_) { return arma::dot(G, affine(W, b, x_)); };
  const arma::mat nW = numeric_gradient(L_of_W, W), nb = numeric_gradient(L_of_b, b), nx = numeric_gradient(L_of_x, x);
  const ops::AffineGrads ag = ops::affine_backward(G, W, x);
  formulas.add("000", "Sec. III-E", "dL/dW = dL/dy x^T", "one sample", arma::mat(G * x.t()), nW, true);
  formulas.add("000", "Sec. III-E", "dL/dx = W^T dL/dy", "one sample", arma::mat(W.t() * G), nx, true);
  formulas.add("000", "Sec. III-E", "dL/db = dL/dy", "one sample", G, nb, true);
  formulas.add("002", "eqs. 13-16", "dL/dW_il = dL/dz_i x_l", "one sample", arma::mat(G * x.t()), nW, true);
  formulas.add("002", "eq. 19", "grad_W L = grad_z L x^T", "one sample", arma::mat(G * x.t()), nW, true);
  formulas.add("002", "eqs. 23-27", "grad_b L = grad_z L", "one sample", G, nb, true);
  formulas.add("003", "eqs. 6-7", "d x~ / d x = W", "Jacobian", W, J_x, true);
  formulas.add("003", "eq. 8", "d x~_i / d W_jk = 1(i=j) x_k", "Jacobian entries (the middle step's W_ij x_j is an index slip)",
               J_W_printed, J_W, true);
  formulas.add("003", "eq. 9", "d x~ / d b = I", "Jacobian", arma::mat(arma::eye(M, M)), J_b, true);
  formulas.add("003", "eq. 12", "dL/dx = dL/dx~ W", "row-vector gradients (the report's convention)",
               arma::mat((G.t() * W).t()), nx, true);
  formulas.add("003", "eq. 13", "dL/dW = dL/dx~ x^T", "dL/dx~ as a column here (the outer product)", arma::mat(G * x.t()), nW, true);
  formulas.add("003", "eq. 14", "dL/db = dL/dx~", "one sample", G, nb, true);
  formulas.add("004", "Q16", "de/dw_y,ij = (y^_i - y_i) h_j", "entries; (y^ - y) is dL/dy~", arma::mat(G * x.t()), nW, true);
  formulas.shape_only("004", "Q16", "grad_Wy e = grad_y~ e . h", "column times column", "does not multiply: n_y x 1 times n_h x 1",
                      "grad_y~ e h^T (the outer product)", ag.dW, nW, "authors (notation: h^T)");
  formulas.add("004", "Q16", "dL/db_i^y = y^_i - y_i", "one sample; (y^ - y) is dL/dy~", G, nb, true);
  formulas.shape_only("002", "eq. 37", "grad_W^i Loss = g^(i) . z^(i-1)", "column times column",
                      "does not multiply: two column vectors", "g^(i) z^(i-1)^T (the outer product)", ag.dW, nW,
                      "authors (notation: the transpose)");
  formulas.add("002", "eq. 32", "grad_z^(i) Loss = <W^(i+1), g^(i+1)>", "<W, g> read as W^T g (the only reading of the right shape)",
               arma::mat(W.t() * G), nx, true);
}

// Activations, elementwise, with upstream gradient dY (reports 000, 001, 002, 003).
void activation_formulas(Rng& rng, Formulas& formulas) {
  const arma::mat Z = random_normal(5, 1, rng), dY = random_normal(5, 1, rng);
  auto sum_act = [&](auto f) { return [&, f](const arma::mat& z) { return arma::accu(dY % f(z)); }; };
  const arma::mat n_relu = numeric_gradient(sum_act([](const arma::mat& z) { return ops::relu_forward(z); }), Z);
  const arma::mat n_tanh = numeric_gradient(sum_act([](const arma::mat& z) { return arma::mat(arma::tanh(z)); }), Z);
  const arma::mat mask = arma::conv_to<arma::mat>::from(Z > 0.0);
  formulas.add("000", "Sec. III-A", "ReLU'(x) = 1 if x > 0, else 0", "away from 0", arma::mat(dY % mask), n_relu, true);
  formulas.add("002", "eqs. 34-35", "grad = g . v, v = 1[z > 0]", "v from the ReLU's input", arma::mat(dY % mask), n_relu, true);
  formulas.add("003", "eqs. 5, 11", "dL/dx~ = dL/dx diag(1[x~ > 0])", "row-vector gradients", arma::mat(dY % mask), n_relu, true);
  const arma::mat t = arma::tanh(Z);
  formulas.add("000", "Sec. III-B", "tanh'(x) = 1 - tanh(x)^2", "", arma::mat(dY % (1.0 - t % t)), n_tanh, true);
  formulas.add("000", "eq. 6", "dL/dz_i = dL/dy_i f'(z_i)", "f = tanh", arma::mat(dY % (1.0 - t % t)), n_tanh, true);
  formulas.add("002", "eq. 36", "grad = g . (1 - tanh(z^(i-1))^2)", "z^(i-1) the tanh's input", arma::mat(dY % (1.0 - t % t)),
               n_tanh, true);
  // Report 001 eq. 4 and 5 are definitions; what they imply for the derivative is checked.
  {
    const arma::mat Zneg = -arma::abs(Z) - 0.1;  // x < 0, where the two definitions differ
    auto printed_leaky = [&](const arma::mat& z) { return arma::accu(dY % arma::max(-0.01 * z, z)); };
    const arma::mat n_printed = numeric_gradient(printed_leaky, Zneg);
    const arma::mat n_leaky = numeric_gradient(
        [&](const arma::mat& z) { return arma::accu(dY % ops::leaky_relu_forward(z, 0.01)); }, Zneg);
    Row r{"001", "eq. 4", "LeakyReLU(x) = max(-x 0.01, x)", "a definition: its derivative at x < 0 against LeakyReLU's",
          compare(n_printed, n_leaky), false, "max(0.01 x, x): slope 0.01 for x < 0",
          compare(ops::leaky_relu_backward(dY, Zneg, 0.01), n_leaky),
          "cannot tell (one stray minus sign)"};
    formulas.rows.push_back(r);
    auto printed_tanh = [&](const arma::mat& z) {
      return arma::accu(dY % ((-1.0 - arma::exp(-2.0 * z)) / (1.0 + arma::exp(-2.0 * z))));
    };
    const arma::mat n_printed_tanh = numeric_gradient(printed_tanh, Z);
    Row r2{"001", "eq. 5", "Tanh(x) = (-1 - e^(-2x)) / (1 + e^(-2x))", "a definition (the constant -1): its derivative against tanh'",
           compare(n_printed_tanh, n_tanh), false, "(1 - e^(-2x)) / (1 + e^(-2x)); tanh' = 1 - tanh^2",
           compare(ops::tanh_backward(dY, t), n_tanh), "cannot tell (one stray minus sign)"};
    formulas.rows.push_back(r2);
  }
}

// Softmax and cross-entropy on one sample (reports 000, 002, 003, 004).
void softmax_formulas(Rng& rng, Formulas& formulas) {
  const arma::uword C = 5;
  const arma::vec z = random_normal(C, 1, rng);
  const arma::vec s = ops::softmax_forward(z);
  auto nll = [&](const arma::mat& v) { return ops::softmax_cross_entropy_forward(v, arma::uvec{gold}).loss; };
  const arma::mat n_nll = numeric_gradient(nll, z);
  const arma::mat right_nll = s - onehot(C, gold);
  formulas.add("000", "Sec. III-D", "dNLL/dx_i = -1(gold = i) + e^(x_i) / sum_j e_j^x", "e_j^x read as e^(x_j) (sub- and superscript swapped)",
               right_nll, n_nll, true, "", std::nullopt, "extraction (e_j^x for e^{x_j}), harmless once read");
  formulas.add("000", "Sec. III-D", "d/dx = -one_hot(gold) + softmax(x)", "", right_nll, n_nll, true);
  formulas.add("002", "eq. 20", "grad_z L = softmax(z) - 1[i = gold]", "", right_nll, n_nll, true);
  formulas.add("002", "eq. 33", "grad_z Loss = softmax(z) +", "the text ends after '+': softmax(z) alone", s, n_nll, false,
               "softmax(z) - onehot(gold)", ops::softmax_cross_entropy_backward(arma::mat(s), arma::uvec{gold}),
               "extraction (the formula is cut off after '+')");
  {
    // Q15: d l / d y~_i = sum_{i=1}^{n_y} (y^_i - y_i): the same number for every i (0 for one-hot y).
    const double printed = arma::accu(s - onehot(C, gold));
    formulas.add("004", "Q15", "dl/dy~_i = sum_i (-y_i + e^(y~_i) / sum_j e^(y~_j))", "the sum over i as printed (three lines running)",
                 arma::mat(C, 1, arma::fill::value(printed)), n_nll, false, "dl/dy~_i = y^_i - y_i (no sum)", right_nll,
                 "authors (the sum is in every line)");
  }
  // Cross-entropy on probabilities, softmax Jacobian.
  const arma::vec p = ops::softmax_forward(random_normal(C, 1, rng));
  const arma::vec tvec = onehot(C, 2);
  const arma::mat n_ce = numeric_gradient([&](const arma::mat& q) { return -arma::accu(tvec % arma::log(q)); }, p);
  formulas.add("003", "eqs. 1-2", "dL/dx = -t / x", "one sample, no epsilon", arma::mat(-tvec / p), n_ce, true);
  const arma::mat J_soft = numeric_jacobian([](const arma::vec& v) { return arma::vec(ops::softmax_forward(v)); }, z);
  formulas.add("003", "eqs. 3-4", "dx/dx~ = diag(x) - x x^T", "Jacobian", ops::softmax_jacobian(s), J_soft, true);
  {
    const arma::vec up = random_normal(C, 1, rng);
    const arma::mat n_sm = numeric_gradient([&](const arma::mat& v) { return arma::dot(up, ops::softmax_forward(v)); }, z);
    formulas.add("003", "eq. 10", "dL/dx~ = dL/dx (diag(x) - x x^T)", "row-vector gradients",
                 arma::mat((up.t() * (arma::diagmat(s) - s * s.t())).t()), n_sm, true);
  }
}

// Report 001: samples in rows, S = X W^T + b.
void rows_formulas(Rng& rng, Formulas& formulas) {
  const arma::uword B = 5, in = 3, out = 2;
  const arma::mat X = random_normal(B, in, rng), W1 = random_normal(out, in, rng), dS = random_normal(B, out, rng);
  const arma::rowvec b1 = random_normal(1, out, rng);
  auto S_of = [&](const arma::mat& W_, const arma::rowvec& b_) {
    arma::mat S = X * W_.t();
    S.each_row() += b_;
    return S;
  };
  const arma::mat nW1 = numeric_gradient([&](const arma::mat& W_) { return arma::accu(dS % S_of(W_, b1)); }, W1);
  const arma::mat nb1 = numeric_gradient([&](const arma::mat& b_) { return arma::accu(dS % S_of(W1, b_)); }, b1);
  formulas.add("001", "eq. 9", "dL/dw = (dL/dS)^T x^(l-1)", "samples in rows (its eq. 2), batch of 5", arma::mat(dS.t() * X), nW1, true);
  formulas.shape_only("001", "eq. 9", "dL/db = dL/dS", "samples in rows, batch of 5 (the report trains with batch 5)",
                      "dL/dS is 5x2 but b has 2 entries: holds for one sample only", "dL/db = 1^T dL/dS (sum over the samples)",
                      arma::mat(arma::sum(dS, 0)), nb1, "authors (written for one sample)");
}

// Batch normalisation, report 003 eqs. 15-20.
void batchnorm_formulas(Rng& rng, Formulas& formulas) {
  const arma::uword Dn = 3, B = 5;
  const arma::mat X = random_normal(Dn, B, rng), dYb = random_normal(Dn, B, rng);
  const arma::vec gamma = 1.0 + 0.3 * random_normal(Dn, 1, rng), beta = random_normal(Dn, 1, rng);
  auto phi = [&](const arma::mat& X_, const arma::vec& g_, const arma::vec& b_) {
    return arma::accu(dYb % ops::batchnorm_forward(X_, g_, b_).Y);
  };
  const ops::BatchNormForward f = ops::batchnorm_forward(X, gamma, beta);
  const arma::mat& xh = f.cache.x_hat;
  const arma::mat n_beta = numeric_gradient([&](const arma::mat& v) { return phi(X, gamma, v); }, beta);
  const arma::mat n_gamma = numeric_gradient([&](const arma::mat& v) { return phi(X, v, beta); }, gamma);
  const arma::mat n_X = numeric_gradient([&](const arma::mat& v) { return phi(v, gamma, beta); }, X);
  formulas.add("003", "eq. 15", "dL/dbeta = sum_s dL/dy^(s)", "forward with + beta", arma::mat(arma::sum(dYb, 1)), n_beta, true);
  {
    // Against eq. 18's printed forward, gamma x_hat - beta, the same formula has the wrong sign.
    const arma::mat n_minus = numeric_gradient(
        [&](const arma::mat& v) { return phi(X, gamma, arma::vec(-v)); }, beta);
    Row r{"003", "eq. 18 (forward)", "y = gamma x_hat - beta", "eq. 15 checked against this forward",
          compare(arma::mat(arma::sum(dYb, 1)), n_minus), false, "y = gamma x_hat + beta (then eq. 15 holds)",
          compare(arma::mat(arma::sum(dYb, 1)), n_beta), "cannot tell (one sign)"};
    formulas.rows.push_back(r);
  }
  formulas.add("003", "eq. 16", "dL/dgamma = sum_s dL/dy^(s) x_hat", "x_hat read as x_hat^(s) inside the sum (the index is missing)",
               arma::mat(arma::sum(dYb % xh, 1)), n_gamma, true, "", std::nullopt, "extraction or notation: the sample index on x_hat");
  // Eq. 18: dy_i^(s)/dx_i^(r), one feature: Jacobian of one row's outputs w.r.t. its inputs.
  {
    const arma::uword i = 0;
    const double mu = f.cache.mean(i), var = f.cache.var(i), eps = ops::batchnorm_default_eps, sq = std::sqrt(var + eps);
    arma::mat printed(B, B);
    for (arma::uword s_ = 0; s_ < B; ++s_)
      for (arma::uword r = 0; r < B; ++r)
        printed(s_, r) = gamma(i) * (sq * ((r == s_ ? 1.0 : 0.0) - 1.0 / B) -
                                     (X(i, s_) - mu) * (X(i, r) - mu) / (B * sq)) / (var + eps);
    const arma::mat J = numeric_jacobian(
        [&](const arma::vec& row) {
          arma::mat X_ = X;
          X_.row(i) = row.t();
          return arma::vec(ops::batchnorm_forward(X_, gamma, beta).Y.row(i).t());
        },
        arma::vec(X.row(i).t()));
    formulas.add("003", "eq. 18", "dy^(s)/dx^(r) = gamma (sqrt(var+eps)(1(r=s) - 1/B) - (x^(s)-mu)(x^(r)-mu)/(B sqrt(var+eps))) / (var+eps)",
                 "Jacobian of one feature", printed, J, true);
  }
  arma::mat printed19(Dn, B);
  const arma::vec sum_dY = arma::sum(dYb, 1), sum_dYx = arma::sum(dYb % xh, 1);
  for (arma::uword i = 0; i < Dn; ++i)
    for (arma::uword r = 0; r < B; ++r)
      printed19(i, r) = gamma(i) * f.cache.inv_std(i) * (dYb(i, r) - sum_dY(i) / B - xh(i, r) / B * sum_dYx(i));
  formulas.add("003", "eq. 19", "(dL/dx)_i^r = gamma/sqrt(var+eps) [dL/dy^r - (1/B) sum_s dL/dy^(s) - (x_hat^r/B) sum_s dL/dy^(s) x_hat^(s)]",
               "elementwise", printed19, n_X, true);
  formulas.add("003", "eq. 20", "dL/dx = gamma/sqrt(var+eps) [dL/dy - (1/B) sum_s dL/dy^(s) - (x_hat/B) sum_s dL/dy^(s) x_hat^(s)]",
               "matrix form", ops::batchnorm_backward(dYb, gamma, f.cache).dX, n_X, true);
}

// Report 004's network: n_x 2, n_h 4, n_y 2, tanh hidden, softmax + CE.
void network_formulas(Rng& rng, Formulas& formulas) {
  const arma::uword nx_ = 2, nh = 4, ny = 2, label = 1;
  const arma::mat Wh = random_normal(nh, nx_, rng), Wy = random_normal(ny, nh, rng);
  const arma::vec bh = random_normal(nh, 1, rng), by = random_normal(ny, 1, rng), xin = random_normal(nx_, 1, rng);
  auto loss = [&](const arma::mat& Wh_, const arma::vec& bh_) {
    const arma::vec h = arma::tanh(Wh_ * xin + bh_);
    return ops::softmax_cross_entropy_forward(arma::mat(Wy * h + by), arma::uvec{label}).loss;
  };
  const arma::vec htilde = Wh * xin + bh, h = arma::tanh(htilde);
  const arma::vec yhat = ops::softmax_forward(arma::mat(Wy * h + by));
  const arma::vec delta = yhat - onehot(ny, label);  // dl/dy~
  const arma::mat n_bh = numeric_gradient([&](const arma::mat& v) { return loss(Wh, v); }, bh);
  const arma::mat n_Wh = numeric_gradient([&](const arma::mat& v) { return loss(v, bh); }, Wh);
  const arma::vec right_htilde = (Wy.t() * delta) % (1.0 - h % h);
  // dh~ = dl/dbh, so n_bh is also the numerical dl/dh~.
  formulas.add("004", "Q17", "dh_k/dh~_i = 1 - tanh^2(h~_i) if i = k, else 0", "Jacobian of tanh",
               arma::mat(arma::diagmat(1.0 - h % h)),
               numeric_jacobian([](const arma::vec& v) { return arma::vec(arma::tanh(v)); }, htilde), true);
  {
    const double printed = arma::accu(delta) * arma::accu(Wy.each_row() % (1.0 - h % h).t());
    formulas.add("004", "Q17", "de/dh~_i = sum_i (y^_i - y_i) . sum_{q,k} w_qk (1 - tanh^2(h~_k))", "as printed: a product of two sums, the same for every i",
                 arma::mat(nh, 1, arma::fill::value(printed)), n_bh, false,
                 "de/dh~_i = sum_q (y^_q - y_q) w_qi (1 - tanh^2(h~_i))", arma::mat(right_htilde), "authors");
  }
  formulas.add("004", "Q17", "grad_h~ e = grad_y~ e . W_y . (1 - tanh^2)", "row vector times W_y, then elementwise",
               arma::mat(right_htilde), n_bh, true);
  formulas.add("004", "Q17", "grad_Wh e = grad_y~ e . w_y . (1 - h~) . x^T", "row vector times w_y, elementwise (1 - h~), outer product with x",
               arma::mat(((Wy.t() * delta) % (1.0 - htilde)) * xin.t()), n_Wh, false,
               "grad_y~ e . W_y . (1 - h^2) . x^T with h = tanh(h~)", arma::mat(right_htilde * xin.t()), "authors");
  formulas.add("004", "Q17", "dC/dw_h = sum_k dC/dh~_k (for the bias)", "the sum over k as printed (a scalar for every entry)",
               arma::mat(nh, 1, arma::fill::value(arma::accu(right_htilde))), n_bh, false, "dC/db_h,i = dC/dh~_i (no sum)",
               arma::mat(right_htilde), "authors");
  formulas.shape_only("004", "Q17", "grad_bh C = grad_h~ C . W_h . (1 - h~^2)", "row vector times W_h (n_h x n_x)",
                      "grad_h~ C W_h is 1 x n_x (2) but b_h has n_h (4) entries", "grad_bh C = grad_h~ C",
                      arma::mat(right_htilde), n_bh, "authors (W_h for W_y; h~^2 for tanh^2(h~); applied twice)");
}

}  // namespace

std::vector<Row> check_formulas(Rng& rng) {
  Formulas formulas;
  affine_formulas(rng, formulas);
  activation_formulas(rng, formulas);
  softmax_formulas(rng, formulas);
  rows_formulas(rng, formulas);
  batchnorm_formulas(rng, formulas);
  network_formulas(rng, formulas);
  return formulas.rows;
}

}  // namespace lab_errata
