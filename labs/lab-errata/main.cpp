// lab-errata: every derivative formula the five reports print (the five student reports), implemented
// as printed where it can be read unambiguously, and checked numerically against the function it
// claims to differentiate. For each formula that fails, the corrected formula (the one gradlab
// implements, taken from gradlab::ops where one exists) is checked the same way.
// Study: docs/studies/errata.md.
//
// "As printed" means the extracted text. Where a formula admits a single reading only with a
// convention the report states elsewhere (row-vector gradients in report 003, one sample at a
// time), that reading is used and named in the "reading" column. Where the text is damaged or
// ambiguous, the row says so and which reading was checked.
//
// Writes out/lab-errata/: table-errata.csv (+ .title), errors.csv and a figure of the max
// relative error per formula, summary.json. Exit status 1 when a corrected formula does not
// hold, or a formula's verdict differs from the one this lab documents (so the study's table
// stays true).
#include "gradlab/programs/lab.hpp"

#include "gradlab/check/checker.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/random.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <cmath>
#include <functional>
#include <iostream>
#include <optional>

using namespace gradlab;

namespace {

using VecFn = std::function<arma::vec(const arma::vec&)>;

// Numerical Jacobian d f / d x (rows: outputs, columns: inputs), central differences at the
// checker's default step, relative to max(1, |x_i|).
arma::mat numeric_jacobian(const VecFn& f, arma::vec x) {
  const arma::vec y0 = f(x);
  arma::mat J(y0.n_elem, x.n_elem);
  for (arma::uword i = 0; i < x.n_elem; ++i) {
    const double x0 = x(i), h = check::default_central_step * std::max(1.0, std::abs(x0));
    x(i) = x0 + h;
    const double hp = x(i) - x0;
    const arma::vec yp = f(x);
    x(i) = x0 - h;
    const double hm = x0 - x(i);
    const arma::vec ym = f(x);
    x(i) = x0;
    J.col(i) = (yp - ym) / (hp + hm);
  }
  return J;
}

// Numerical gradient of a scalar function of a matrix (same shape as X).
arma::mat numeric_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X) {
  arma::mat x = X;
  return check::numerical_gradient([&] { return f(x); }, x);
}

struct Outcome {
  bool holds = false;
  double max_rel_error = NAN;  // NaN when the shapes do not even match
  std::string shape_note;
};

// Every element against the checker's default (central) tolerance.
Outcome compare(const arma::mat& analytic, const arma::mat& numeric) {
  Outcome o;
  if (analytic.n_rows != numeric.n_rows || analytic.n_cols != numeric.n_cols) {
    o.shape_note = "shapes differ: " + std::to_string(analytic.n_rows) + "x" + std::to_string(analytic.n_cols) +
                   " printed vs " + std::to_string(numeric.n_rows) + "x" + std::to_string(numeric.n_cols);
    return o;
  }
  const check::Tolerance tol = check::default_central_tolerance;
  o.holds = true;
  o.max_rel_error = 0.0;
  for (arma::uword i = 0; i < analytic.n_elem; ++i) {
    o.holds &= tol.accepts(analytic(i), numeric(i));
    o.max_rel_error = std::max(o.max_rel_error, tol.relative_error(analytic(i), numeric(i)));
  }
  return o;
}

struct Row {
  std::string report, where, printed, reading;
  Outcome printed_outcome;
  bool expected_holds = true;
  std::string corrected;  // empty when the printed formula holds
  std::optional<Outcome> corrected_outcome;
  std::string source;  // who got it wrong: "authors", "extraction", "-"
};

arma::mat onehot(arma::uword classes, arma::uword label) {
  arma::mat t(classes, 1, arma::fill::zeros);
  t(label) = 1.0;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Every derivative the five reports print, checked numerically as printed.", "lab-errata"};
  lab::LabOptions options;
  options.name = "lab-errata";
  lab::add_options(app, options);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    std::cout << "lab-errata: " << (options.full ? "full" : "quick") << " mode, results in " << options.out.string() << '\n';
    // Full mode repeats every check at several random draws (the verdicts must not depend on them).
    const int draws = options.full ? 5 : 1;
    std::vector<Row> rows;
    bool consistent = true;

    for (int draw = 0; draw < draws; ++draw) {
      Rng rng(options.seed + static_cast<std::uint64_t>(draw));
      std::vector<Row> here;
      auto add = [&](std::string report, std::string where, std::string printed, std::string reading,
                     const arma::mat& as_printed, const arma::mat& numeric, bool expected_holds,
                     std::string corrected = "", std::optional<arma::mat> corrected_value = std::nullopt,
                     std::string source = "-") {
        Row r{std::move(report), std::move(where), std::move(printed), std::move(reading), compare(as_printed, numeric),
              expected_holds, std::move(corrected), std::nullopt, std::move(source)};
        if (corrected_value) r.corrected_outcome = compare(*corrected_value, numeric);
        here.push_back(std::move(r));
      };
      auto shape_only = [&](std::string report, std::string where, std::string printed, std::string reading,
                            std::string note, std::string corrected, const arma::mat& corrected_value,
                            const arma::mat& numeric, std::string source) {
        Row r{std::move(report), std::move(where), std::move(printed), std::move(reading), Outcome{}, false,
              std::move(corrected), compare(corrected_value, numeric), std::move(source)};
        r.printed_outcome.shape_note = std::move(note);
        here.push_back(std::move(r));
      };

      // ---- One sample through an affine map and a softmax (reports 000, 002, 003) ----------
      const arma::uword D = 4, M = 3, gold = 1;
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
      add("000", "eq. 5", "dy_k/dW_ij = x_j delta_ki", "Jacobian entries", J_W_printed, J_W, true);
      add("000", "eq. 5", "dy_k/db_i = 1", "Jacobian entries: 1 for every k and i", ones_MM, J_b, false,
          "dy_k/db_i = delta_ki (the identity)", arma::mat(arma::eye(M, M)), "authors (the delta_ki of the line above is missing)");
      add("000", "eq. 5", "dy_k/dx_i = W_ki", "Jacobian entries", W, J_x, true);
      // Loss L = <G, y> for the backward rules.
      auto L_of_W = [&](const arma::mat& W_) { return arma::dot(G, affine(W_, b, x)); };
      auto L_of_b = [&](const arma::mat& b_) { return arma::dot(G, affine(W, b_, x)); };
      auto L_of_x = [&](const arma::mat& x_) { return arma::dot(G, affine(W, b, x_)); };
      const arma::mat nW = numeric_gradient(L_of_W, W), nb = numeric_gradient(L_of_b, b), nx = numeric_gradient(L_of_x, x);
      const ops::AffineGrads ag = ops::affine_backward(G, W, x);
      add("000", "Sec. III-E", "dL/dW = dL/dy x^T", "one sample", arma::mat(G * x.t()), nW, true);
      add("000", "Sec. III-E", "dL/dx = W^T dL/dy", "one sample", arma::mat(W.t() * G), nx, true);
      add("000", "Sec. III-E", "dL/db = dL/dy", "one sample", G, nb, true);
      add("002", "eqs. 13-16", "dL/dW_il = dL/dz_i x_l", "one sample", arma::mat(G * x.t()), nW, true);
      add("002", "eq. 19", "grad_W L = grad_z L x^T", "one sample", arma::mat(G * x.t()), nW, true);
      add("002", "eqs. 23-27", "grad_b L = grad_z L", "one sample", G, nb, true);
      add("003", "eqs. 6-7", "d x~ / d x = W", "Jacobian", W, J_x, true);
      add("003", "eq. 8", "d x~_i / d W_jk = 1(i=j) x_k", "Jacobian entries (the middle step's W_ij x_j is an index slip)",
          J_W_printed, J_W, true);
      add("003", "eq. 9", "d x~ / d b = I", "Jacobian", arma::mat(arma::eye(M, M)), J_b, true);
      add("003", "eq. 12", "dL/dx = dL/dx~ W", "row-vector gradients (the report's convention)",
          arma::mat((G.t() * W).t()), nx, true);
      add("003", "eq. 13", "dL/dW = dL/dx~ x^T", "dL/dx~ as a column here (the outer product)", arma::mat(G * x.t()), nW, true);
      add("003", "eq. 14", "dL/db = dL/dx~", "one sample", G, nb, true);
      add("004", "Q16", "de/dw_y,ij = (y^_i - y_i) h_j", "entries; (y^ - y) is dL/dy~", arma::mat(G * x.t()), nW, true);
      shape_only("004", "Q16", "grad_Wy e = grad_y~ e . h", "column times column", "does not multiply: n_y x 1 times n_h x 1",
                 "grad_y~ e h^T (the outer product)", ag.dW, nW, "authors (notation: h^T)");
      add("004", "Q16", "dL/db_i^y = y^_i - y_i", "one sample; (y^ - y) is dL/dy~", G, nb, true);
      shape_only("002", "eq. 37", "grad_W^i Loss = g^(i) . z^(i-1)", "column times column",
                 "does not multiply: two column vectors", "g^(i) z^(i-1)^T (the outer product)", ag.dW, nW,
                 "authors (notation: the transpose)");
      add("002", "eq. 32", "grad_z^(i) Loss = <W^(i+1), g^(i+1)>", "<W, g> read as W^T g (the only reading of the right shape)",
          arma::mat(W.t() * G), nx, true);

      // Activations, elementwise, with upstream gradient dY.
      const arma::mat Z = random_normal(5, 1, rng), dY = random_normal(5, 1, rng);
      auto sum_act = [&](auto f) { return [&, f](const arma::mat& z) { return arma::accu(dY % f(z)); }; };
      const arma::mat n_relu = numeric_gradient(sum_act([](const arma::mat& z) { return ops::relu_forward(z); }), Z);
      const arma::mat n_tanh = numeric_gradient(sum_act([](const arma::mat& z) { return arma::mat(arma::tanh(z)); }), Z);
      const arma::mat mask = arma::conv_to<arma::mat>::from(Z > 0.0);
      add("000", "Sec. III-A", "ReLU'(x) = 1 if x > 0, else 0", "away from 0", arma::mat(dY % mask), n_relu, true);
      add("002", "eqs. 34-35", "grad = g . v, v = 1[z > 0]", "v from the ReLU's input", arma::mat(dY % mask), n_relu, true);
      add("003", "eqs. 5, 11", "dL/dx~ = dL/dx diag(1[x~ > 0])", "row-vector gradients", arma::mat(dY % mask), n_relu, true);
      const arma::mat t = arma::tanh(Z);
      add("000", "Sec. III-B", "tanh'(x) = 1 - tanh(x)^2", "", arma::mat(dY % (1.0 - t % t)), n_tanh, true);
      add("000", "eq. 6", "dL/dz_i = dL/dy_i f'(z_i)", "f = tanh", arma::mat(dY % (1.0 - t % t)), n_tanh, true);
      add("002", "eq. 36", "grad = g . (1 - tanh(z^(i-1))^2)", "z^(i-1) the tanh's input", arma::mat(dY % (1.0 - t % t)),
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
        here.push_back(r);
        auto printed_tanh = [&](const arma::mat& z) {
          return arma::accu(dY % ((-1.0 - arma::exp(-2.0 * z)) / (1.0 + arma::exp(-2.0 * z))));
        };
        const arma::mat n_printed_tanh = numeric_gradient(printed_tanh, Z);
        Row r2{"001", "eq. 5", "Tanh(x) = (-1 - e^(-2x)) / (1 + e^(-2x))", "a definition (the constant -1): its derivative against tanh'",
               compare(n_printed_tanh, n_tanh), false, "(1 - e^(-2x)) / (1 + e^(-2x)); tanh' = 1 - tanh^2",
               compare(ops::tanh_backward(dY, t), n_tanh), "cannot tell (one stray minus sign)"};
        here.push_back(r2);
      }

      // ---- Softmax and cross-entropy on one sample -----------------------------------------
      const arma::uword C = 5;
      const arma::vec z = random_normal(C, 1, rng);
      const arma::vec s = ops::softmax_forward(z);
      auto nll = [&](const arma::mat& v) { return ops::softmax_cross_entropy_forward(v, arma::uvec{gold}).loss; };
      const arma::mat n_nll = numeric_gradient(nll, z);
      const arma::mat right_nll = s - onehot(C, gold);
      add("000", "Sec. III-D", "dNLL/dx_i = -1(gold = i) + e^(x_i) / sum_j e_j^x", "e_j^x read as e^(x_j) (sub- and superscript swapped)",
          right_nll, n_nll, true, "", std::nullopt, "extraction (e_j^x for e^{x_j}), harmless once read");
      add("000", "Sec. III-D", "d/dx = -one_hot(gold) + softmax(x)", "", right_nll, n_nll, true);
      add("002", "eq. 20", "grad_z L = softmax(z) - 1[i = gold]", "", right_nll, n_nll, true);
      add("002", "eq. 33", "grad_z Loss = softmax(z) +", "the text ends after '+': softmax(z) alone", s, n_nll, false,
          "softmax(z) - onehot(gold)", ops::softmax_cross_entropy_backward(arma::mat(s), arma::uvec{gold}),
          "extraction (the formula is cut off after '+')");
      {
        // Q15: d l / d y~_i = sum_{i=1}^{n_y} (y^_i - y_i): the same number for every i (0 for one-hot y).
        const double printed = arma::accu(s - onehot(C, gold));
        add("004", "Q15", "dl/dy~_i = sum_i (-y_i + e^(y~_i) / sum_j e^(y~_j))", "the sum over i as printed (three lines running)",
            arma::mat(C, 1, arma::fill::value(printed)), n_nll, false, "dl/dy~_i = y^_i - y_i (no sum)", right_nll,
            "authors (the sum is in every line)");
      }
      // Cross-entropy on probabilities, softmax Jacobian.
      const arma::vec p = ops::softmax_forward(random_normal(C, 1, rng));
      const arma::vec tvec = onehot(C, 2);
      const arma::mat n_ce = numeric_gradient([&](const arma::mat& q) { return -arma::accu(tvec % arma::log(q)); }, p);
      add("003", "eqs. 1-2", "dL/dx = -t / x", "one sample, no epsilon", arma::mat(-tvec / p), n_ce, true);
      const arma::mat J_soft = numeric_jacobian([](const arma::vec& v) { return arma::vec(ops::softmax_forward(v)); }, z);
      add("003", "eqs. 3-4", "dx/dx~ = diag(x) - x x^T", "Jacobian", ops::softmax_jacobian(s), J_soft, true);
      {
        const arma::vec up = random_normal(C, 1, rng);
        const arma::mat n_sm = numeric_gradient([&](const arma::mat& v) { return arma::dot(up, ops::softmax_forward(v)); }, z);
        add("003", "eq. 10", "dL/dx~ = dL/dx (diag(x) - x x^T)", "row-vector gradients",
            arma::mat((up.t() * (arma::diagmat(s) - s * s.t())).t()), n_sm, true);
      }

      // ---- Report 001: samples in rows, S = X W^T + b --------------------------------------
      {
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
        add("001", "eq. 9", "dL/dw = (dL/dS)^T x^(l-1)", "samples in rows (its eq. 2), batch of 5", arma::mat(dS.t() * X), nW1, true);
        shape_only("001", "eq. 9", "dL/db = dL/dS", "samples in rows, batch of 5 (the report trains with batch 5)",
                   "dL/dS is 5x2 but b has 2 entries: holds for one sample only", "dL/db = 1^T dL/dS (sum over the samples)",
                   arma::mat(arma::sum(dS, 0)), nb1, "authors (written for one sample)");
      }

      // ---- Batch normalisation, report 003 eqs. 15-20 --------------------------------------
      {
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
        add("003", "eq. 15", "dL/dbeta = sum_s dL/dy^(s)", "forward with + beta", arma::mat(arma::sum(dYb, 1)), n_beta, true);
        {
          // Against eq. 18's printed forward, gamma x_hat - beta, the same formula has the wrong sign.
          const arma::mat n_minus = numeric_gradient(
              [&](const arma::mat& v) { return phi(X, gamma, arma::vec(-v)); }, beta);
          Row r{"003", "eq. 18 (forward)", "y = gamma x_hat - beta", "eq. 15 checked against this forward",
                compare(arma::mat(arma::sum(dYb, 1)), n_minus), false, "y = gamma x_hat + beta (then eq. 15 holds)",
                compare(arma::mat(arma::sum(dYb, 1)), n_beta), "cannot tell (one sign)"};
          here.push_back(r);
        }
        add("003", "eq. 16", "dL/dgamma = sum_s dL/dy^(s) x_hat", "x_hat read as x_hat^(s) inside the sum (the index is missing)",
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
          add("003", "eq. 18", "dy^(s)/dx^(r) = gamma (sqrt(var+eps)(1(r=s) - 1/B) - (x^(s)-mu)(x^(r)-mu)/(B sqrt(var+eps))) / (var+eps)",
              "Jacobian of one feature", printed, J, true);
        }
        arma::mat printed19(Dn, B);
        const arma::vec sum_dY = arma::sum(dYb, 1), sum_dYx = arma::sum(dYb % xh, 1);
        for (arma::uword i = 0; i < Dn; ++i)
          for (arma::uword r = 0; r < B; ++r)
            printed19(i, r) = gamma(i) * f.cache.inv_std(i) * (dYb(i, r) - sum_dY(i) / B - xh(i, r) / B * sum_dYx(i));
        add("003", "eq. 19", "(dL/dx)_i^r = gamma/sqrt(var+eps) [dL/dy^r - (1/B) sum_s dL/dy^(s) - (x_hat^r/B) sum_s dL/dy^(s) x_hat^(s)]",
            "elementwise", printed19, n_X, true);
        add("003", "eq. 20", "dL/dx = gamma/sqrt(var+eps) [dL/dy - (1/B) sum_s dL/dy^(s) - (x_hat/B) sum_s dL/dy^(s) x_hat^(s)]",
            "matrix form", ops::batchnorm_backward(dYb, gamma, f.cache).dX, n_X, true);
      }

      // ---- Report 004's network: n_x 2, n_h 4, n_y 2, tanh hidden, softmax + CE -----------
      {
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
        add("004", "Q17", "dh_k/dh~_i = 1 - tanh^2(h~_i) if i = k, else 0", "Jacobian of tanh",
            arma::mat(arma::diagmat(1.0 - h % h)),
            numeric_jacobian([](const arma::vec& v) { return arma::vec(arma::tanh(v)); }, htilde), true);
        {
          const double printed = arma::accu(delta) * arma::accu(Wy.each_row() % (1.0 - h % h).t());
          add("004", "Q17", "de/dh~_i = sum_i (y^_i - y_i) . sum_{q,k} w_qk (1 - tanh^2(h~_k))", "as printed: a product of two sums, the same for every i",
              arma::mat(nh, 1, arma::fill::value(printed)), n_bh, false,
              "de/dh~_i = sum_q (y^_q - y_q) w_qi (1 - tanh^2(h~_i))", arma::mat(right_htilde), "authors");
        }
        add("004", "Q17", "grad_h~ e = grad_y~ e . W_y . (1 - tanh^2)", "row vector times W_y, then elementwise",
            arma::mat(right_htilde), n_bh, true);
        add("004", "Q17", "grad_Wh e = grad_y~ e . w_y . (1 - h~) . x^T", "row vector times w_y, elementwise (1 - h~), outer product with x",
            arma::mat(((Wy.t() * delta) % (1.0 - htilde)) * xin.t()), n_Wh, false,
            "grad_y~ e . W_y . (1 - h^2) . x^T with h = tanh(h~)", arma::mat(right_htilde * xin.t()), "authors");
        add("004", "Q17", "dC/dw_h = sum_k dC/dh~_k (for the bias)", "the sum over k as printed (a scalar for every entry)",
            arma::mat(nh, 1, arma::fill::value(arma::accu(right_htilde))), n_bh, false, "dC/db_h,i = dC/dh~_i (no sum)",
            arma::mat(right_htilde), "authors");
        shape_only("004", "Q17", "grad_bh C = grad_h~ C . W_h . (1 - h~^2)", "row vector times W_h (n_h x n_x)",
                   "grad_h~ C W_h is 1 x n_x (2) but b_h has n_h (4) entries", "grad_bh C = grad_h~ C",
                   arma::mat(right_htilde), n_bh, "authors (W_h for W_y; h~^2 for tanh^2(h~); applied twice)");
      }

      if (draw == 0) {
        rows = here;
      } else {
        for (std::size_t k = 0; k < rows.size(); ++k) {
          rows[k].printed_outcome.max_rel_error = std::max(rows[k].printed_outcome.max_rel_error, here[k].printed_outcome.max_rel_error);
          rows[k].printed_outcome.holds = rows[k].printed_outcome.holds && here[k].printed_outcome.holds;
          if (rows[k].corrected_outcome && here[k].corrected_outcome) {
            rows[k].corrected_outcome->holds = rows[k].corrected_outcome->holds && here[k].corrected_outcome->holds;
            rows[k].corrected_outcome->max_rel_error =
                std::max(rows[k].corrected_outcome->max_rel_error, here[k].corrected_outcome->max_rel_error);
          }
        }
      }
    }

    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.report < b.report; });
    output::Csv csv({"report", "equation or question", "formula as printed", "reading", "verdict", "max rel err",
                     "corrected formula (gradlab)", "corrected: verdict and max rel err", "whose error"});
    text::Table table({"report", "where", "verdict", "max rel err", "corrected", "whose"});
    output::Csv errors({"index", "printed", "corrected", "label"});
    int holds = 0, fails = 0;
    nlohmann::json json = nlohmann::json::array();
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const Row& r = rows[k];
      const Outcome& o = r.printed_outcome;
      const std::string verdict = o.holds ? "holds" : "does not hold";
      const std::string err = std::isfinite(o.max_rel_error) ? text::sci(o.max_rel_error) : "- (" + o.shape_note + ")";
      std::string corrected = "-";
      if (r.corrected_outcome)
        corrected = std::string(r.corrected_outcome->holds ? "holds" : "DOES NOT HOLD") + ", " +
                    text::sci(r.corrected_outcome->max_rel_error);
      if (o.holds != r.expected_holds) consistent = false;
      if (!o.holds && (!r.corrected_outcome || !r.corrected_outcome->holds)) consistent = false;
      (o.holds ? holds : fails)++;
      csv.add_row({r.report, r.where, r.printed, r.reading, verdict, err, r.corrected, corrected, r.source});
      table.add_row({r.report, r.where, verdict, std::isfinite(o.max_rel_error) ? text::sci(o.max_rel_error) : "- (shapes)",
                     corrected, r.source.substr(0, 40)});
      errors.add_row({std::to_string(k), text::number(std::isfinite(o.max_rel_error) ? std::max(o.max_rel_error, 1e-17) : 10.0),
                      text::number(r.corrected_outcome ? std::max(r.corrected_outcome->max_rel_error, 1e-17) : NAN),
                      r.report + " " + r.where});
      json.push_back({{"report", r.report}, {"where", r.where}, {"printed", r.printed}, {"reading", r.reading},
                      {"holds", o.holds}, {"max_rel_error", std::isfinite(o.max_rel_error) ? nlohmann::json(o.max_rel_error) : nlohmann::json()},
                      {"shape_note", o.shape_note}, {"corrected", r.corrected}, {"whose", r.source},
                      {"corrected_holds", r.corrected_outcome ? nlohmann::json(r.corrected_outcome->holds) : nlohmann::json()}});
    }
    std::cout << "\nEvery derivative formula of the reports, as printed, against finite differences\n";
    table.print(std::cout);
    csv.write(options.out / "table-errata.csv");
    io::write_file_atomically(options.out / "table-errata.csv.title",
                                  "Errata: every derivative formula the reports print, checked numerically as printed\n");
    errors.write(options.out / "errors.csv");
    output::Figure f;
    f.name = "errata";
    f.title = "Max relative error of each printed formula against finite differences (" + std::to_string(holds) +
              " hold, " + std::to_string(fails) + " do not)";
    f.xlabel = "formula (report and equation)";
    f.ylabel = "max relative error";
    f.logy = true;
    f.width = 1300;
    f.height = 640;
    std::string xtics = "set xtics rotate by 60 right font ',8' (";
    for (std::size_t k = 0; k < rows.size(); ++k)
      xtics += (k ? ", " : "") + output::gnuplot_quote(rows[k].report + " " + rows[k].where) + " " + std::to_string(k);
    f.commands = {xtics + ")", "set xtics noenhanced", "set yrange [1e-17:100]", "set xrange [-1:" + std::to_string(rows.size()) + "]",
                  "set key top left opaque box", "set bmargin 11",
                  "set arrow 1 from graph 0, first 1e-6 to graph 1, first 1e-6 nohead dt 2 lc rgb 'gray40'",
                  "set label 1 'tolerance (rtol 1e-6)' at graph 0.01, first 3e-6 tc rgb 'gray40'"};
    f.series = {{"errors.csv", "index", "printed", "as printed (shape mismatch drawn at 10)", "impulses", "lw 6 lc rgb '#d62728'", ""},
                {"errors.csv", "index", "corrected", "corrected (gradlab)", "points", "pt 7 ps 1.2 lc rgb '#2ca02c'", ""}};
    lab::render_or_warn(f, options.out);
    lab::write_summary(options, {{"formulas", json}, {"hold", holds}, {"do_not_hold", fails}, {"draws", draws},
                                 {"consistent", consistent}});
    std::cout << '\n' << rows.size() << " formulas: " << holds << " hold, " << fails << " do not; "
              << (consistent ? "every correction holds and every verdict is the documented one\n"
                             : "SOME verdict differs from the documented one or a correction fails\n");
    return consistent ? 0 : 1;
  });
}
