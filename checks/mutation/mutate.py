#!/usr/bin/env python3
"""Mutation testing of the backward passes: is the suite strong enough to catch small wrong edits?

Each mutant is one small wrong edit to the backward code of lib/src (a sign flipped, a transpose
dropped, a scale factor dropped or doubled, operands swapped, a mask read from the wrong tensor).
For each: apply it, rebuild the test program (build/bin/gradlab_checks), run the whole Catch2
suite, and put the file back. The mutant is killed when the suite fails (or the code no longer
compiles: counted apart, as invalid). The report gives the kill rate over the valid mutants and
lists every survivor; docs/checker.md says how to read them.

Usage: checks/mutation/mutate.py [--build DIR] [--only SUBSTRING] [--out FILE.json]
Run from the repository root (./workbench mutate does). The tree is restored after each mutant,
also when the script is interrupted.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

# (file, text as it is, text of the mutant, what the mistake is). Each text must occur once.
MUTANTS = [
    ("lib/src/ops/affine.cpp", "g.dW = dY * X.t();", "g.dW = -(dY * X.t());", "affine: dW sign"),
    ("lib/src/ops/affine.cpp", "g.dX = W.t() * dY;", "g.dX = W * dY;", "affine: dX transpose dropped"),
    ("lib/src/ops/affine.cpp", "g.db = arma::sum(dY, 1);", "g.db = arma::sum(dY, 1) / dY.n_cols;", "affine: db a mean"),
    ("lib/src/ops/affine.cpp", "g.db = arma::sum(dY, 1);", "g.db = dY.col(0);", "affine: db one sample"),
    ("lib/src/ops/relu.cpp", "arma::conv_to<arma::mat>::from(X > 0.0)", "arma::conv_to<arma::mat>::from(dY > 0.0)", "relu: mask from dY"),
    ("lib/src/ops/relu.cpp", "arma::conv_to<arma::mat>::from(X > 0.0)", "arma::conv_to<arma::mat>::from(X >= 0.0)", "relu: derivative 1 at 0"),
    ("lib/src/ops/leaky_relu.cpp", "return x > 0.0 ? 1.0 : slope;", "return x > 0.0 ? 1.0 : 0.0;", "leaky relu: slope dropped"),
    ("lib/src/ops/leaky_relu.cpp", "return x > 0.0 ? 1.0 : slope;", "return x > 0.0 ? slope : 1.0;", "leaky relu: branches swapped"),
    ("lib/src/ops/tanh.cpp", "return dY % ((1.0 - Y) % (1.0 + Y));", "return dY % (1.0 - Y);", "tanh: square dropped"),
    ("lib/src/ops/tanh.cpp", "return dY % ((1.0 - Y) % (1.0 + Y));", "return dY % ((1.0 + Y) % (1.0 + Y));", "tanh: sign in the factor"),
    ("lib/src/ops/sigmoid.cpp", "return dY % Y % (1.0 - Y);", "return dY % Y;", "sigmoid: (1 - Y) dropped"),
    ("lib/src/ops/sigmoid.cpp", "return dY % Y % (1.0 - Y);", "return dY % (1.0 - Y) % (1.0 - Y);", "sigmoid: Y for (1 - Y)"),
    ("lib/src/ops/softmax.cpp", "dlogits.each_row() -= arma::sum(dprobs % probs, 0);", "dlogits.each_row() += arma::sum(dprobs % probs, 0);", "softmax: sign of the <s, g> term"),
    ("lib/src/ops/softmax.cpp", "dlogits.each_row() -= arma::sum(dprobs % probs, 0);", "dlogits.each_row() -= arma::sum(dprobs, 0);", "softmax: <s, g> without s"),
    ("lib/src/ops/softmax.cpp", "return probs % dlogits;", "return dlogits;", "softmax: s factor dropped"),
    ("lib/src/ops/log_softmax.cpp", "return dlogprobs - softmax_times_sum;", "return dlogprobs + softmax_times_sum;", "log-softmax: sign"),
    ("lib/src/ops/log_softmax.cpp", "softmax_times_sum.each_row() %= arma::sum(dlogprobs, 0);", "softmax_times_sum.each_col() %= arma::sum(dlogprobs, 1);", "log-softmax: sum over the wrong axis"),
    ("lib/src/ops/softmax_cross_entropy.cpp", "return dlogits / static_cast<double>(probs.n_cols);", "return dlogits;", "softmax CE: 1/B dropped"),
    ("lib/src/ops/softmax_cross_entropy.cpp", "return dlogits / static_cast<double>(probs.n_cols);", "return -dlogits / static_cast<double>(probs.n_cols);", "softmax CE: sign"),
    ("lib/src/ops/softmax_cross_entropy.cpp", "dlogits(labels(b), b) = -others;", "dlogits(labels(b), b) = others;", "softmax CE: the label's term without its minus"),
    ("lib/src/ops/cross_entropy.cpp", "return -targets / (probs + eps) / B;", "return targets / (probs + eps) / B;", "cross-entropy: sign"),
    ("lib/src/ops/cross_entropy.cpp", "return -targets / (probs + eps) / B;", "return -targets / (probs + eps);", "cross-entropy: 1/B dropped"),
    ("lib/src/ops/mse.cpp", "return 2.0 * (Y - targets) / B;", "return (Y - targets) / B;", "mse: factor 2 dropped"),
    ("lib/src/ops/mse.cpp", "return 2.0 * (Y - targets) / B;", "return 2.0 * (targets - Y) / B;", "mse: operands swapped"),
    ("lib/src/ops/nll.cpp", "return -one_hot(labels, logprobs.n_rows) / B;", "return one_hot(labels, logprobs.n_rows) / B;", "nll: sign"),
    ("lib/src/ops/l2_penalty.cpp", "return lambda * W;", "return 2.0 * lambda * W;", "l2: factor 2 added"),
    ("lib/src/ops/multiclass_hinge.cpp", "dscores(labels(b), b) = -arma::accu(active.col(b));", "dscores(labels(b), b) = 0.0;", "multiclass hinge: the label's term 2 dropped"),
    ("lib/src/ops/multiclass_hinge.cpp", "return dscores / B;  // the batch mean's", "return dscores;  // the batch mean's", "multiclass hinge: 1/B dropped"),
    ("lib/src/ops/binary_hinge.cpp", "return arma::mat(-y % active / B);", "return arma::mat(y % active / B);", "binary hinge: sign"),
    ("lib/src/ops/dropout.cpp", "return dY % mask;", "return dY;", "dropout: mask dropped"),
    ("lib/src/ops/conv2d.cpp", "for (arma::uword n = 0; n < X.n_cols; ++n)          // the batch sum",
     "for (arma::uword n = 0; n < 1; ++n)          // the batch sum", "conv2d: dW and db without the batch sum"),
    ("lib/src/ops/conv2d.cpp", "g.db(k) += dy;", "g.db(k) += 2.0 * dy;", "conv2d: db doubled"),
    ("lib/src/ops/conv2d.cpp", "dy * padded(X, in, p, c, oi * s + u, oj * s + v, n);",
     "dy * padded(X, in, p, c, oi * s + v, oj * s + u, n);", "conv2d: dW taps transposed"),
    ("lib/src/ops/conv2d.cpp", "sum += dY.at(out.row(k, oi, oj), n) * W.at(k, (c * kh + u) * kw + v);",
     "sum += dY.at(out.row(k, oi, oj), n) * W.at(k, (c * kh + (kh - 1 - u)) * kw + (kw - 1 - v));",
     "conv2d: dX with the kernel not flipped"),
    ("lib/src/ops/max_pool2d.cpp", "if (X.at(r, n) > X.at(best, n) || std::isnan(X.at(r, n))) best = r;",
     "if (X.at(r, n) >= X.at(best, n) || std::isnan(X.at(r, n))) best = r;", "max_pool2d: ties to the last maximum"),
    ("lib/src/ops/max_pool2d.cpp", "dX.at(argmax.at(o, n), n) += dY.at(o, n);", "dX.at(argmax.at(o, n), n) = dY.at(o, n);",
     "max_pool2d: overlapping windows overwrite instead of adding"),
    ("lib/src/ops/avg_pool2d.cpp", "const double share = dY.at(out.row(c, oi, oj), n) / area;",
     "const double share = dY.at(out.row(c, oi, oj), n);", "avg_pool2d: 1 / (wh ww) dropped"),
    ("lib/src/ops/batchnorm.cpp", "inner.each_col() -= g.dbeta;", "inner.each_col() += g.dbeta;", "batch norm: mean term sign"),
    ("lib/src/ops/batchnorm.cpp", "inner -= through_var;", "inner += through_var;", "batch norm: variance term sign"),
    ("lib/src/ops/batchnorm.cpp", "inner.each_col() %= gamma % cache.inv_std / B;", "inner.each_col() %= gamma % cache.inv_std;", "batch norm: 1/B dropped"),
    ("lib/src/ops/batchnorm.cpp", "g.dgamma = arma::sum(dY % cache.x_hat, 1);    // gamma", "g.dgamma = arma::sum(dY, 1);    // gamma", "batch norm: dgamma without x_hat"),
    ("lib/src/fast/kernels.cpp", "g.dX = W.t() * dY;", "g.dX = W * dY;", "fast affine: dX transpose dropped"),
    ("lib/src/fast/kernels.cpp", "dW = dY * X.t();", "dW = X * dY.t();", "fast affine: dW transposed"),
    ("lib/src/fast/kernels.cpp", "for (arma::uword i = first_row; i < end_row; ++i) d[i] += dy[i];", "for (arma::uword i = first_row; i < end_row; ++i) d[i] = dy[i];", "fast affine: db keeps the last sample"),
    ("lib/src/fast/kernels.cpp", "dx[k] = dy[k] * (x[k] > 0.0 ? 1.0 : 0.0);", "dx[k] = dy[k] * (dy[k] > 0.0 ? 1.0 : 0.0);", "fast relu: mask from dY"),
    ("lib/src/fast/kernels.cpp", "theta -= lr * v;", "theta += lr * v;", "fast heavy ball: sign of the step"),
    ("lib/src/fast/kernels.cpp", "v = mu * v + g;", "v = mu * v - g;", "fast heavy ball: gradient sign in the velocity"),
    ("lib/src/fast/kernels.cpp", "terms[b] = (m - z[label[b]]) + std::log1p(r);", "terms[b] = (m - z[label[b]]) + std::log(s);", "fast softmax cross-entropy: log(s) for log1p(r)"),
    ("lib/src/fast/kernels.cpp", "if (k != top) r += p[k];", "r += p[k];", "fast softmax cross-entropy: the largest entry counted in r"),
    ("lib/src/fast/kernels.cpp", "d[label[b]] = -others / batch;", "d[label[b]] = (p[label[b]] - 1.0) / batch;", "fast softmax cross-entropy: the label's gradient as p - 1"),
    ("lib/src/optim/sgd.cpp", "v = mu * v + g;  // v = mu v + g", "v = v + g;  // v = mu v + g", "heavy ball (reference): momentum dropped"),
    ("lib/src/optim/sgd.cpp", "theta -= lr * (g + mu * v);", "theta -= lr * (g + v);", "Nesterov: mu dropped"),
    # The layers: each passes its own cache to the op; a mistake there is a mask or an output
    # taken from the wrong tensor.
    ("lib/src/nn/activations.cpp", "return fast::relu_backward(dY, X_);", "return fast::relu_backward(dY, dY);", "layer ReLU: mask from dY"),
    ("lib/src/nn/activations.cpp", "return ops::tanh_backward(dY, Y_);", "return ops::tanh_backward(dY, dY);", "layer Tanh: derivative read off dY"),
    ("lib/src/nn/activations.cpp", "return ops::leaky_relu_backward(dY, X_, slope_);", "return ops::leaky_relu_backward(dY, X_, 0.0);", "layer LeakyReLU: slope dropped"),
    ("lib/src/nn/linear.cpp", "db = std::move(g.db);", "db = g.dW.col(0);", "layer Linear: db from dW"),
    ("lib/src/nn/dropout.cpp", "if (cached_mode_ == Mode::eval) return dY;", "return dY;", "layer Dropout: mask never applied"),
    ("lib/src/nn/batchnorm.cpp", "? ops::batchnorm_backward(dY, gamma, cache_)", "? ops::batchnorm_backward_eval(dY, gamma, cache_)", "layer BatchNorm: eval backward in training"),
    ("lib/src/nn/loss.cpp", "return fast::softmax_cross_entropy_backward(probs_, labels_);", "return fast::softmax_cross_entropy_backward(probs_, labels_) * static_cast<double>(probs_.n_cols);", "layer CrossEntropyLoss: the mean never applied"),
]


def run(command, log, timeout):
    with open(log, "ab") as out:
        out.write(("\n$ " + " ".join(command) + "\n").encode())
        out.flush()
        try:
            return subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return "timeout"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the configured build folder (default: build)")
    parser.add_argument("--only", default="", help="only the mutants whose description contains this")
    parser.add_argument("--out", default="out/mutation/report.json", help="the JSON report")
    parser.add_argument("--validate", action="store_true",
                        help="only check that every mutant's text occurs once in its file (no build)")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if args.only in m[3]]
    if not chosen:
        sys.exit(f"mutate.py: no mutant matches --only '{args.only}'")
    for path, before, _, what in chosen:
        if not pathlib.Path(path).is_file():
            sys.exit(f"mutate.py: '{what}': {path} does not exist")
        count = pathlib.Path(path).read_text().count(before)
        if count != 1:
            sys.exit(f"mutate.py: '{what}': {path} holds the text {count} times, not once: {before!r}")
    if args.validate:
        print(f"{len(chosen)} mutants, each text found once in its file")
        return 0

    build = pathlib.Path(args.build)
    if not (build / "CMakeCache.txt").is_file():
        sys.exit(f"mutate.py: {build} is not a configured build folder (./workbench build first)")
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    log = out.with_suffix(".log")
    log.write_text("")
    checks = build / "bin" / "gradlab_checks"

    build_command = ["cmake", "--build", str(build), "--target", "gradlab_checks", "-j", str(os.cpu_count() or 1)]
    if run(build_command, log, 1800) != 0:
        sys.exit(f"mutate.py: the unmutated tree does not build (see {log})")
    results = []
    start = time.time()
    for path, before, after, what in chosen:
        file = pathlib.Path(path)
        original = file.read_text()
        try:
            file.write_text(original.replace(before, after))
            if run(build_command, log, 1800) != 0:
                outcome = "invalid (does not compile)"
            else:
                code = run([str(checks), "--abort"], log, 1800)
                outcome = "killed" if code != 0 else "SURVIVED"
        finally:
            file.write_text(original)
            os.utime(file)  # newer than the mutant's object file: the next build recompiles it
        results.append({"file": path, "mutant": what, "outcome": outcome})
        print(f"{outcome:28s} {what}  ({path})", flush=True)
    run(build_command, log, 1800)  # the unmutated tree again

    valid = [r for r in results if not r["outcome"].startswith("invalid")]
    killed = sum(r["outcome"] == "killed" for r in valid)
    rate = killed / len(valid) if valid else 0.0
    survivors = [r for r in valid if r["outcome"] == "SURVIVED"]
    report = {"mutants": len(results), "valid": len(valid), "killed": killed, "kill_rate": rate,
              "survivors": survivors, "results": results, "seconds": round(time.time() - start)}
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=2) + "\n")
    tmp.replace(out)
    print(f"\n{killed} of {len(valid)} valid mutants killed ({100 * rate:.1f}%), "
          f"{len(results) - len(valid)} invalid; report in {out}")
    for s in survivors:
        print(f"  survivor: {s['mutant']} ({s['file']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
