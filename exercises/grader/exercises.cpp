#include "exercises.hpp"

#include "gradlab/check/diagnosis.hpp"
#include "gradlab/check/function.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/random.hpp"
#include "gradlab/shape.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace gradlab::exercises {

const char* to_string(Status status) {
  switch (status) {
    case Status::todo: return "todo";
    case Status::pass: return "pass";
    case Status::fail: return "fail";
  }
  return "?";
}

namespace {

// The first failing tensor whose diagnosis names a pattern (not "no known pattern"). It explains
// a broken contract too: a mask taken from dY makes the gradient non-linear in dY, and the
// mask is the mistake to name.
const check::TensorResult* named_failure(const check::CheckResult& r) {
  for (const check::TensorResult& t : r.tensors)
    if (t.verdict() == check::Verdict::fail && t.diagnosis.pattern != check::Pattern::none &&
        t.diagnosis.pattern != check::Pattern::unknown && t.diagnosis.pattern != check::Pattern::contract)
      return &t;
  return nullptr;
}

}  // namespace

std::string Grade::diagnosis() const {
  if (!problem.empty()) return problem;
  if (!check) return "";
  const check::TensorResult* named = named_failure(*check);
  if (named) return check::to_string(named->diagnosis.pattern);
  if (!check->contract.holds()) return "contract";
  for (const check::TensorResult& t : check->tensors)
    if (t.verdict() == check::Verdict::fail) return check::to_string(t.diagnosis.pattern);
  if (check->verdict() == check::Verdict::inconclusive) return "inconclusive";
  return "";
}

double Grade::max_rel_error() const {
  if (!check) return std::numeric_limits<double>::quiet_NaN();
  double worst = 0.0;
  for (const check::TensorResult& t : check->tensors) worst = std::max(worst, t.max_rel_error);
  return worst;
}

Grade stopped(const std::string& exercise, Status status, std::string problem,
              std::string message) {
  Grade g;
  g.exercise = exercise;
  g.status = status;
  g.problem = std::move(problem);
  g.message = std::move(message);
  return g;
}

nlohmann::json to_json(const Grade& grade) {
  nlohmann::json j = {{"exercise", grade.exercise},
                      {"status", to_string(grade.status)},
                      {"problem", grade.problem},
                      {"diagnosis", grade.diagnosis()},
                      {"message", grade.message}};
  const double e = grade.max_rel_error();
  j["max_rel_error"] = std::isfinite(e) ? nlohmann::json(e) : nlohmann::json(nullptr);
  j["check"] = grade.check ? check::to_json(*grade.check) : nlohmann::json(nullptr);
  return j;
}

Grade grade_from_json(const nlohmann::json& j) {
  try {
    Grade g;
    g.exercise = j.at("exercise").get<std::string>();
    const std::string status = j.at("status").get<std::string>();
    g.status = status == "todo" ? Status::todo : status == "pass" ? Status::pass : Status::fail;
    if (status != "todo" && status != "pass" && status != "fail")
      throw std::invalid_argument("status '" + status + "'");
    g.problem = j.at("problem").get<std::string>();
    g.message = j.at("message").get<std::string>();
    return g;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("a grade without its fields: ") + e.what());
  }
}

namespace {

// ---------------------------------------------------------------------------------------------
// Calling an answer: every way it can go wrong becomes a Grade's problem.

struct Stop {  // thrown inside grading to end it with a grade
  Grade grade;
};


// The answer to `arguments`, checked for its count, its shapes and finite entries: `expected`
// gives each output's name and shape.
Answer call(const Exercise& e, const Student& student, const Arguments& arguments,
            const std::vector<std::pair<std::string, arma::SizeMat>>& expected) {
  Answer answer;
  try {
    answer = student(arguments);
  } catch (const NotImplemented& x) {
    throw Stop{stopped(e.name, Status::todo, "not implemented",
                       e.function + " is not implemented yet: write it in exercises/" + e.name +
                           "/ (the statement is its README.md)")};
  } catch (const WrongShape& x) {
    throw Stop{stopped(e.name, Status::fail, "wrong shape", x.what())};
  } catch (const std::exception& x) {
    throw Stop{stopped(e.name, Status::fail, "threw", e.function + " threw: " + x.what())};
  }
  if (answer.size() != expected.size())
    throw Stop{stopped(e.name, Status::fail, "wrong shape",
                       e.function + " returned " + std::to_string(answer.size()) + " outputs; " +
                           std::to_string(expected.size()) + " expected")};
  for (std::size_t i = 0; i < answer.size(); ++i) {
    const auto& [name, size] = expected[i];
    if (answer[i].n_rows != size.n_rows || answer[i].n_cols != size.n_cols)
      throw Stop{stopped(e.name, Status::fail, "wrong shape",
                         e.function + " returned " + name + " of shape " + shape_of(answer[i]) +
                             "; it must be " + std::to_string(size.n_rows) + "x" +
                             std::to_string(size.n_cols))};
    const arma::uvec bad = arma::find_nonfinite(answer[i]);
    if (!bad.is_empty()) {
      const arma::uword k = bad(0);
      throw Stop{stopped(e.name, Status::fail, "not finite",
                         e.function + " returned " + name + " with " + std::to_string(bad.n_elem) +
                             " non-finite entries, the first " +
                             std::to_string(answer[i](k)) + " at (" +
                             std::to_string(k % answer[i].n_rows) + ", " +
                             std::to_string(k / answer[i].n_rows) + ")")};
    }
  }
  return answer;
}

// What to check for each kind of mistake, whatever the exercise: one sentence.
std::string advice(check::Pattern pattern) {
  using P = check::Pattern;
  switch (pattern) {
    case P::sign: return "compare the sign of each term with the equation's.";
    case P::scale:
      return "look for a constant factor: the 1/B of the mean (once, in the loss), a 2 from a "
             "square, 1/(1 - p), lr.";
    case P::transpose:
      return "write each product's shapes beside it; one factor needs a transpose, or the other "
             "order.";
    case P::mask: return "see which tensor the derivative's on/off pattern is read from.";
    case P::reduction: return "see which axis you sum over: the samples are the columns.";
    case P::missing_term:
      return "find the missing term: every path from the input to the output adds one.";
    case P::kinks_only: return "the value at the kink (x = 0).";
    case P::contract:
      return "return fresh gradients computed from the arguments alone: no state kept between "
             "calls, no randomness, nothing added into an argument.";
    default: return "go through the derivation step by step, with each line's shapes beside it.";
  }
}

std::string number(double x) {
  char s[32];
  std::snprintf(s, sizeof s, "%.6g", x);
  return s;
}

// `against`: what the answer is compared with ("numeric" gradients, or a "reference" rule).
Grade verdict_of(const Exercise& e, check::CheckResult r, const char* against = "numeric") {
  Grade g;
  g.exercise = e.name;
  const check::Verdict v = r.verdict();
  if (v == check::Verdict::pass || v == check::Verdict::kink) {
    g.status = Status::pass;
    double worst = 0.0;
    for (const auto& t : r.tensors) worst = std::max(worst, t.max_rel_error);
    g.message = "PASS: " + e.function + " matches the " + std::string(against == std::string("numeric") ? "numeric gradient" : "reference") + " (max rel err " +
                number(worst) + ")";
  } else if (!r.contract.holds() && !named_failure(r)) {
    g.message = "FAIL: " + e.function + " breaks the contract of a backward pass: " +
                r.contract.problem + ". What to check: " +
                (r.contract.assigned && r.contract.repeatable
                     ? "how dY enters. A gradient is linear in dY, so dY may only multiply; a "
                       "choice or a mask made from dY's values breaks that."
                     : advice(check::Pattern::contract));
  } else {
    const check::TensorResult* named = named_failure(r);
    for (const auto& t : r.tensors) {
      if (named ? &t != named
                : t.verdict() != check::Verdict::fail && t.verdict() != check::Verdict::inconclusive)
        continue;
      const std::string at = t.name + "(" + std::to_string(t.worst_row) + ", " +
                             std::to_string(t.worst_col) + ")";
      g.message = (t.verdict() == check::Verdict::fail ? "FAIL: " : "INCONCLUSIVE: ") + t.name +
                  " is wrong in " + std::to_string(t.failed + t.inconclusive) + " of " +
                  std::to_string(t.checked) + " entries. ";
      if (t.diagnosis.pattern != check::Pattern::none)
        g.message += "Diagnosis: " + t.diagnosis.summary + ". ";
      g.message += "Worst entry " + at + ": yours " + number(t.worst_analytic) + ", " + against + " " +
                   number(t.worst_numeric) + ". What to check: " + advice(t.diagnosis.pattern);
      break;
    }
  }
  g.check = std::move(r);
  return g;
}

// ---------------------------------------------------------------------------------------------
// Derivative exercises: the student's function is the backward pass of a library op's forward.

struct Setup {
  std::vector<std::pair<std::string, arma::mat>> inputs;  // what the checker perturbs
  // Y (or the loss, 1 x 1) from the current inputs, by the library's forward.
  std::function<arma::mat(const check::Inputs&)> forward;
  // The student's arguments for the upstream gradient G (dY; unused by a loss) and the inputs.
  std::function<Arguments(const arma::mat& G, const check::Inputs&)> arguments;
  bool loss = false;  // the answer is dL/dinput, scaled here by G (1 x 1)
  arma::uword batch = 0;
};

Grade grade_derivative(const Exercise& e, const Student& student, const Setup& s) {
  try {
    // Every call is checked for "todo", a throw, the outputs' count and shapes, and non-finite
    // entries (each a Stop with its own message) before the checker compares values.
    std::vector<std::pair<std::string, arma::SizeMat>> expected;
    for (std::size_t i = 0; i < s.inputs.size(); ++i)
      expected.push_back({e.outputs[i], arma::size(s.inputs[i].second)});
    check::Differentiable fn = check::function(
        s.inputs, [&](const check::Inputs& in) -> arma::mat { return s.forward(in); },
        [&](const arma::mat& G, const check::Inputs& in) -> check::Gradients {
          Answer a = call(e, student, s.arguments(G, in), expected);
          if (s.loss)
            for (arma::mat& d : a) d *= G(0, 0);
          return a;
        });
    fn.batch = s.batch;
    fn.upstream = "dY";  // the exercises' name for it: a mask read from it says "dY > 0"
    Rng rng(11);
    const arma::mat Y = fn.forward();
    (void)fn.backward(random_normal(Y.n_rows, Y.n_cols, rng));  // the probe
    check::CheckResult r = check::check_vjp(fn);
    r.label = e.name;
    r.shape = check::shapes_of(fn);
    return verdict_of(e, std::move(r));
  } catch (const Stop& stop) {
    return stop.grade;
  }
}

// ---------------------------------------------------------------------------------------------
// The inputs. Fixed seeds: every answer is graded on the same numbers. B = 5 samples, so that a
// scale of B or 1/B is told apart from the other constants; weight matrices are square where a
// transposed product would otherwise only be a wrong shape.

constexpr arma::uword B = 5;

// Entries in +-[0.2, 1.5]: no kink of ReLU within the checker's step.
arma::mat away_from_zero(arma::uword rows, arma::uword cols, Rng& rng) {
  arma::mat X = random_uniform(rows, cols, rng, 0.2, 1.5);
  const arma::mat signs = random_uniform(rows, cols, rng);
  X.elem(arma::find(signs < 0.5)) *= -1.0;
  return X;
}

arma::uvec labels_for(arma::uword classes, Rng& rng) {
  arma::uvec labels(B);
  for (arma::uword b = 0; b < B; ++b) labels(b) = static_cast<arma::uword>(uniform01(rng) * classes);
  labels(0) = 0;  // every class appears at least once
  labels(1) = classes - 1;
  return labels;
}

arma::mat one_hot(const arma::uvec& labels, arma::uword classes) {
  arma::mat T(classes, labels.n_elem, arma::fill::zeros);
  for (arma::uword b = 0; b < labels.n_elem; ++b) T(labels(b), b) = 1.0;
  return T;
}

Value matrix(std::string name, arma::mat value) { return {std::move(name), Kind::matrix, std::move(value)}; }
Value vector(std::string name, arma::mat value) { return {std::move(name), Kind::vector, std::move(value)}; }
Value scalar(std::string name, double value) { return {std::move(name), Kind::scalar, arma::mat{value}}; }
Value labels_value(const arma::uvec& labels) {
  return {"labels", Kind::labels, arma::conv_to<arma::mat>::from(labels)};
}
arma::uvec labels_of(const Value& v) { return arma::conv_to<arma::uvec>::from(arma::vectorise(v.value)); }
arma::vec vec_of(const Value& v) { return arma::vectorise(v.value); }

// An elementwise activation: Y = f(X), the student given dY and X (or Y).
Exercise activation(std::string name, std::string function, std::string title, std::string source,
                    std::string derivation, std::string given,
                    std::function<arma::mat(const arma::mat&)> forward,
                    std::function<arma::mat(const arma::mat&, const arma::mat&)> backward,
                    std::uint64_t seed) {
  Exercise e{name, function, title, source, derivation, {"dY", given}, {"dX"}, {}, {}};
  e.reference = [backward](const Arguments& a) { return Answer{backward(a[0].value, a[1].value)}; };
  e.grade = [e, forward, given, seed](const Student& student) {
    Rng rng(seed);
    Setup s;
    s.inputs = {{"X", away_from_zero(4, B, rng)}};
    s.forward = [forward](const check::Inputs& in) -> arma::mat { return forward(in["X"]); };
    s.arguments = [forward, given](const arma::mat& G, const check::Inputs& in) {
      return Arguments{matrix("dY", G), matrix(given, given == "X" ? in["X"] : forward(in["X"]))};
    };
    s.batch = B;
    return grade_derivative(e, student, s);
  };
  return e;
}

// ---------------------------------------------------------------------------------------------
// Momentum (report 002): not a derivative, a rule; graded by following the reference's W over a
// few steps with the same gradients.

Grade grade_momentum(const Exercise& e, const Student& student) {
  const double lr = 0.1, mu = 0.9;
  constexpr int steps = 4;
  Rng rng(23);
  const arma::mat W0 = random_normal(4, 3, rng);
  std::vector<arma::mat> grads;
  for (int k = 0; k < steps; ++k) grads.push_back(random_normal(4, 3, rng));

  arma::mat W = W0, V(4, 3, arma::fill::zeros);        // the student's
  arma::mat Wr = W0, Vr(4, 3, arma::fill::zeros);      // the reference's
  arma::mat Wp = W0;                                   // plain SGD's, for the diagnosis
  const check::Tolerance tol{1e-12, 1e-9};
  check::TensorResult t;
  t.name = "W";
  t.rows = W0.n_rows;
  t.cols = W0.n_cols;
  double worst_score = -1.0;
  bool plain = true;
  try {
    for (int k = 0; k < steps; ++k) {
      const Answer a = call(e, student,
                            {matrix("W", W), matrix("V", V), matrix("dW", grads[k]),
                             scalar("lr", lr), scalar("momentum", mu)},
                            {{"W", arma::size(W)}, {"V", arma::size(V)}});
      W = a[0];
      V = a[1];
      optim::heavy_ball_step(Vr, Wr, grads[k], mu, lr);
      Wp -= lr * grads[k];
      plain = plain && arma::approx_equal(W, Wp, "reldiff", 1e-9);
      for (arma::uword i = 0; i < W.n_elem; ++i) {
        ++t.checked;
        const bool ok = tol.accepts(W(i), Wr(i));
        ok ? ++t.passed : ++t.failed;
        t.max_abs_error = std::max(t.max_abs_error, std::abs(W(i) - Wr(i)));
        t.max_rel_error = std::max(t.max_rel_error, tol.relative_error(W(i), Wr(i)));
        const double score = std::abs(W(i) - Wr(i)) / (tol.atol + tol.rtol * std::abs(Wr(i)));
        if (score > worst_score) {
          worst_score = score;
          t.worst_row = i % W.n_rows;
          t.worst_col = i / W.n_rows;
          t.worst_analytic = W(i);
          t.worst_numeric = Wr(i);
        }
      }
    }
  } catch (const Stop& stop) {
    return stop.grade;
  }
  if (t.failed > 0) {
    if (plain) {
      t.diagnosis = {check::Pattern::missing_term,
                     "missing term: the velocity term is missing; W follows plain SGD "
                     "(W -= lr dW) step for step",
                     std::numeric_limits<double>::quiet_NaN(), 0.0, 1.0};
    } else {
      check::Evidence ev;
      ev.tensor = "W - W0";
      ev.analytic = W - W0;
      ev.numeric = Wr - W0;
      ev.corner = arma::umat(arma::size(W0), arma::fill::zeros);
      ev.failed = arma::umat(arma::size(W0), arma::fill::ones);
      ev.tolerance = tol;
      ev.related = {{"dW", grads.back()}};
      t.diagnosis = check::diagnose(ev);
    }
  }
  check::CheckResult r;
  r.label = e.name;
  r.shape = "W 4x3, " + std::to_string(steps) + " steps";
  r.method = "trajectory";
  r.tensors = {t};
  return verdict_of(e, std::move(r), "reference");
}

std::vector<Exercise> make_all() {
  std::vector<Exercise> all;

  all.push_back(activation("relu", "relu_backward", "ReLU's backward pass",
                           "report 000, Sec. III-A; report 003, eq. (5)", "docs/derivations/relu.md", "X",
                           ops::relu_forward, ops::relu_backward, 101));
  {
    const double slope = 0.1;
    Exercise e{"leaky_relu", "leaky_relu_backward", "leaky ReLU's backward pass",
               "report 001, eq. (4)", "docs/derivations/leaky_relu.md",
               {"dY", "X", "slope"}, {"dX"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::leaky_relu_backward(a[0].value, a[1].value, a[2].value(0))};
    };
    e.grade = [e, slope](const Student& student) {
      Rng rng(102);
      Setup s;
      s.inputs = {{"X", away_from_zero(4, B, rng)}};
      s.forward = [slope](const check::Inputs& in) -> arma::mat {
        return ops::leaky_relu_forward(in["X"], slope);
      };
      s.arguments = [slope](const arma::mat& G, const check::Inputs& in) {
        return Arguments{matrix("dY", G), matrix("X", in["X"]), scalar("slope", slope)};
      };
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  all.push_back(activation("tanh", "tanh_backward", "tanh's backward pass",
                           "report 000, Sec. III-B; report 004, Q17", "docs/derivations/tanh.md",
                           "Y", ops::tanh_forward, ops::tanh_backward, 103));
  all.push_back(activation("sigmoid", "sigmoid_backward", "the sigmoid's backward pass",
                           "report 000, eq. (2)", "docs/derivations/sigmoid.md", "Y",
                           ops::sigmoid_forward, ops::sigmoid_backward, 104));
  {
    Exercise e{"affine", "affine_backward", "the affine map's backward pass (dX, dW, db)",
               "report 000, eq. (5); report 002, eqs. (16)-(19); report 003, eqs. (6)-(9), (12)-(14)", "docs/derivations/affine.md",
               {"dY", "W", "X"}, {"dX", "dW", "db"}, {}, {}};
    e.reference = [](const Arguments& a) {
      const ops::AffineGrads g = ops::affine_backward(a[0].value, a[1].value, a[2].value);
      return Answer{g.dX, g.dW, g.db};
    };
    e.grade = [e](const Student& student) {
      Rng rng(105);
      Setup s;
      s.inputs = {{"X", random_normal(4, B, rng)}, {"W", random_normal(4, 4, rng)},
                  {"b", random_normal(4, 1, rng)}};
      s.forward = [](const check::Inputs& in) -> arma::mat {
        return ops::affine_forward(in["W"], arma::vectorise(in["b"]), in["X"]);
      };
      s.arguments = [](const arma::mat& G, const check::Inputs& in) {
        return Arguments{matrix("dY", G), matrix("W", in["W"]), matrix("X", in["X"])};
      };
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    Exercise e{"softmax", "softmax_backward", "softmax's vector-Jacobian product",
               "report 003, eqs. (4) and (10)", "docs/derivations/softmax.md", {"dY", "Y"},
               {"dX"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::softmax_backward(a[0].value, a[1].value)};
    };
    e.grade = [e](const Student& student) {
      Rng rng(106);
      Setup s;
      s.inputs = {{"X", random_normal(4, B, rng)}};
      s.forward = [](const check::Inputs& in) -> arma::mat { return ops::softmax_forward(in["X"]); };
      s.arguments = [](const arma::mat& G, const check::Inputs& in) {
        return Arguments{matrix("dY", G), matrix("Y", ops::softmax_forward(in["X"]))};
      };
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    Exercise e{"softmax_cross_entropy", "softmax_cross_entropy_backward",
               "softmax with cross-entropy: the gradient on the logits",
               "report 004, Q14-Q15", "docs/derivations/softmax_cross_entropy.md",
               {"probs", "labels"}, {"dlogits"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::softmax_cross_entropy_backward(a[0].value, labels_of(a[1]))};
    };
    e.grade = [e](const Student& student) {
      Rng rng(107);
      const arma::uvec labels = labels_for(3, rng);
      Setup s;
      s.inputs = {{"logits", random_normal(3, B, rng)}};
      s.forward = [labels](const check::Inputs& in) -> arma::mat {
        return arma::mat{ops::softmax_cross_entropy_forward(in["logits"], labels).loss};
      };
      s.arguments = [labels](const arma::mat&, const check::Inputs& in) {
        return Arguments{matrix("probs", ops::softmax_forward(in["logits"])), labels_value(labels)};
      };
      s.loss = true;
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    Exercise e{"cross_entropy", "cross_entropy_backward", "cross-entropy on probabilities",
               "report 003, eqs. (1)-(2)", "docs/derivations/cross_entropy.md",
               {"probs", "targets"}, {"dprobs"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::cross_entropy_backward(a[0].value, a[1].value)};
    };
    e.grade = [e](const Student& student) {
      Rng rng(108);
      const arma::mat targets = one_hot(labels_for(3, rng), 3);
      Setup s;
      s.inputs = {{"probs", random_uniform(3, B, rng, 0.2, 0.9)}};
      s.forward = [targets](const check::Inputs& in) -> arma::mat {
        return arma::mat{ops::cross_entropy_forward(in["probs"], targets)};
      };
      s.arguments = [targets](const arma::mat&, const check::Inputs& in) {
        return Arguments{matrix("probs", in["probs"]), matrix("targets", targets)};
      };
      s.loss = true;
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    Exercise e{"nll", "nll_backward", "the negative log-likelihood on log-probabilities",
               "report 000, Sec. III-D", "docs/derivations/nll.md",
               {"logprobs", "labels"}, {"dlogprobs"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::nll_backward(a[0].value, labels_of(a[1]))};
    };
    e.grade = [e](const Student& student) {
      Rng rng(109);
      const arma::uvec labels = labels_for(3, rng);
      Setup s;
      s.inputs = {{"logprobs", random_uniform(3, B, rng, -3.0, -0.1)}};
      s.forward = [labels](const check::Inputs& in) -> arma::mat {
        return arma::mat{ops::nll_forward(in["logprobs"], labels)};
      };
      s.arguments = [labels](const arma::mat&, const check::Inputs& in) {
        return Arguments{matrix("logprobs", in["logprobs"]), labels_value(labels)};
      };
      s.loss = true;
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    Exercise e{"mse", "mse_backward", "the mean squared error",
               "report 001, eq. (7)", "docs/derivations/mse.md", {"Y", "targets"},
               {"dY"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::mse_backward(a[0].value, a[1].value)};
    };
    e.grade = [e](const Student& student) {
      Rng rng(110);
      const arma::mat targets = one_hot(labels_for(3, rng), 3);
      Setup s;
      s.inputs = {{"Y", random_normal(3, B, rng)}};
      s.forward = [targets](const check::Inputs& in) -> arma::mat {
        return arma::mat{ops::mse_forward(in["Y"], targets)};
      };
      s.arguments = [targets](const arma::mat&, const check::Inputs& in) {
        return Arguments{matrix("Y", in["Y"]), matrix("targets", targets)};
      };
      s.loss = true;
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  for (const bool staged : {false, true}) {
    const double eps = ops::batchnorm_default_eps;
    Exercise e{staged ? "batchnorm_staged" : "batchnorm",
               staged ? "batchnorm_staged_backward" : "batchnorm_backward",
               staged ? "batch normalisation's backward pass, stage by stage"
                      : "batch normalisation's backward pass, closed form",
               staged ? "report 003, eqs. (17)-(19)" : "report 003, eqs. (15)-(20)",
               "docs/derivations/batchnorm.md",
               staged ? std::vector<std::string>{"dY", "X", "gamma", "eps"}
                      : std::vector<std::string>{"dY", "x_hat", "gamma", "inv_std"},
               {"dX", "dgamma", "dbeta"}, {}, {}};
    e.reference = [staged, eps](const Arguments& a) {
      const arma::vec gamma = vec_of(a[2]);
      ops::BatchNormCache cache;
      if (staged) {
        cache = ops::batchnorm_forward(a[1].value, gamma, arma::vec(gamma.n_elem, arma::fill::zeros),
                                       a[3].value(0))
                    .cache;
      } else {
        cache.x_hat = a[1].value;
        cache.inv_std = vec_of(a[3]);
      }
      const ops::BatchNormGrads g = ops::batchnorm_backward(a[0].value, gamma, cache);
      return Answer{g.dX, g.dgamma, g.dbeta};
    };
    e.grade = [e, staged, eps](const Student& student) {
      Rng rng(staged ? 112 : 111);
      Setup s;
      // Rows of different spread and offset, so that each term of the gradient matters.
      arma::mat X = random_normal(3, B, rng);
      X.each_col() %= arma::vec{0.5, 1.0, 2.0};
      X.each_col() += arma::vec{1.0, -0.5, 0.25};
      s.inputs = {{"X", X}, {"gamma", random_uniform(3, 1, rng, 0.5, 1.5)},
                  {"beta", random_normal(3, 1, rng)}};
      auto forward = [eps](const check::Inputs& in) {
        return ops::batchnorm_forward(in["X"], arma::vectorise(in["gamma"]),
                                      arma::vectorise(in["beta"]), eps);
      };
      s.forward = [forward](const check::Inputs& in) -> arma::mat { return forward(in).Y; };
      s.arguments = [forward, staged, eps](const arma::mat& G, const check::Inputs& in) {
        if (staged)
          return Arguments{matrix("dY", G), matrix("X", in["X"]), vector("gamma", in["gamma"]),
                           scalar("eps", eps)};
        const ops::BatchNormForward f = forward(in);
        return Arguments{matrix("dY", G), matrix("x_hat", f.cache.x_hat),
                         vector("gamma", in["gamma"]), vector("inv_std", f.cache.inv_std)};
      };
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    const double p = 0.5;
    Exercise e{"dropout", "dropout_backward", "inverted dropout's backward pass",
               "report 003, Sec. 2", "docs/derivations/dropout.md",
               {"dY", "keep", "p"}, {"dX"}, {}, {}};
    e.reference = [](const Arguments& a) {
      return Answer{ops::dropout_backward(a[0].value, a[1].value / (1.0 - a[2].value(0)))};
    };
    e.grade = [e, p](const Student& student) {
      Rng rng(113);
      arma::mat keep = arma::conv_to<arma::mat>::from(random_uniform(4, B, rng) >= p);
      keep(0, 0) = 1.0;  // both values present, whatever the draw
      keep(1, 0) = 0.0;
      Setup s;
      s.inputs = {{"X", random_normal(4, B, rng)}};
      s.forward = [keep, p](const check::Inputs& in) -> arma::mat {
        return in["X"] % keep / (1.0 - p);
      };
      s.arguments = [keep, p](const arma::mat& G, const check::Inputs&) {
        return Arguments{matrix("dY", G), matrix("keep", keep), scalar("p", p)};
      };
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  {
    Exercise e{"momentum", "momentum_step", "one step of SGD with momentum",
               "report 002, Sec. 2.3", "lib/include/gradlab/optim/sgd.hpp",
               {"W", "V", "dW", "lr", "momentum"}, {"W", "V"}, {}, {}};
    e.reference = [](const Arguments& a) {
      arma::mat W = a[0].value, V = a[1].value;
      optim::heavy_ball_step(V, W, a[2].value, a[4].value(0), a[3].value(0));
      return Answer{W, V};
    };
    e.grade = [e](const Student& student) { return grade_momentum(e, student); };
    all.push_back(e);
  }
  {
    Exercise e{"network", "network_backward", "report 004's 2-4-2 network, every gradient",
               "report 004, Q16-Q17", "docs/derivations/softmax_cross_entropy.md",
               {"X", "labels", "H", "probs", "Wy"}, {"dWh", "dbh", "dWy", "dby"}, {}, {}};
    // The composition of the library's ops, in the exact reverse order of the forward pass.
    e.reference = [](const Arguments& a) {
      const arma::mat dlogits = ops::softmax_cross_entropy_backward(a[3].value, labels_of(a[1]));
      const ops::AffineGrads out = ops::affine_backward(dlogits, a[4].value, a[2].value);
      const arma::mat dpre = ops::tanh_backward(out.dX, a[2].value);
      // The hidden layer's dX (the gradient on the data) is not asked for: affine_backward's dW
      // and db do not depend on Wh, so a zero Wh of its shape serves.
      const arma::mat Wh_shape(dpre.n_rows, a[0].value.n_rows, arma::fill::zeros);
      const ops::AffineGrads hidden = ops::affine_backward(dpre, Wh_shape, a[0].value);
      return Answer{hidden.dW, hidden.db, out.dW, out.db};
    };
    e.grade = [e](const Student& student) {
      Rng rng(114);
      const arma::mat X = random_normal(2, B, rng);
      const arma::uvec labels = labels_for(2, rng);
      struct Pass {
        arma::mat H, probs;
        double loss;
      };
      auto forward = [X, labels](const check::Inputs& in) {
        const arma::mat H = ops::tanh_forward(ops::affine_forward(in["Wh"], arma::vectorise(in["bh"]), X));
        const arma::mat logits = ops::affine_forward(in["Wy"], arma::vectorise(in["by"]), H);
        const ops::SoftmaxCrossEntropy ce = ops::softmax_cross_entropy_forward(logits, labels);
        return Pass{H, ce.probs, ce.loss};
      };
      Setup s;
      s.inputs = {{"Wh", random_normal(4, 2, rng)}, {"bh", random_normal(4, 1, rng)},
                  {"Wy", random_normal(2, 4, rng)}, {"by", random_normal(2, 1, rng)}};
      s.forward = [forward](const check::Inputs& in) -> arma::mat { return arma::mat{forward(in).loss}; };
      s.arguments = [forward, X, labels](const arma::mat&, const check::Inputs& in) {
        const Pass f = forward(in);
        return Arguments{matrix("X", X), labels_value(labels), matrix("H", f.H),
                         matrix("probs", f.probs), matrix("Wy", in["Wy"])};
      };
      s.loss = true;
      s.batch = B;
      return grade_derivative(e, student, s);
    };
    all.push_back(e);
  }
  return all;
}

}  // namespace

const std::vector<Exercise>& all() {
  static const std::vector<Exercise> exercises = make_all();
  return exercises;
}

const Exercise* find(std::string_view name) {
  for (const Exercise& e : all())
    if (e.name == name) return &e;
  return nullptr;
}

std::string names() {
  std::string list;
  for (const Exercise& e : all()) list += (list.empty() ? "" : ", ") + e.name;
  return list;
}

}  // namespace gradlab::exercises
