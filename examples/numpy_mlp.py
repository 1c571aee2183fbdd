#!/usr/bin/env python3
"""Report 003's NumPy MLP, checked with gradlab.

Report 003 (section 1) builds a classifier from four NumPy modules,
linear, ReLU, softmax and cross-entropy, with the batch in rows and gradients as row vectors:

    linear         x~ = x W^T + b, x (B, in), W (out, in), b (out,)
                   dL/dx = dL/dx~ W (eq. 12), dL/dW = dL/dx~^T x (eq. 13),
                   dL/db = dL/dx~ (eq. 14), summed over the batch (Question 1.1 c)
    ReLU           dL/dx~ = dL/dx diag(1[x~ > 0]) (eqs. 5, 11)
    softmax        dL/dx~ = dL/dx (diag(x) - x x^T) for each sample: a B x C x C array (eqs. 4, 10)
    cross-entropy  L = -(1/B) sum t log x, dL/dx = -t / x / B (eqs. 1-2, the batch mean)

and a batch-norm module with a hand-written backward (section 3, eqs. 15, 16, 20).

The script writes these modules as the report describes them, checks each one and the whole
network with gradlab, sets their outputs beside gradlab.ops, then plants the formulas that
docs/studies/errata.md found wrong for these layers and shows the checker catching each one.

    PYTHONPATH=build/python /usr/bin/python3 examples/numpy_mlp.py

Exit status 0 when every right backward passes and every planted error is caught, else 1.
"""
import sys

import numpy as np

import gradlab
from gradlab import ops

# ---- the report's modules: forward(x, ...) and backward(dout, x, ...) -> {input: gradient} ----


def linear_forward(x, W, b):
    return x @ W.T + b


def linear_backward(dout, x, W, b):
    return {"x": dout @ W, "W": dout.T @ x, "b": dout.sum(axis=0)}


def relu_forward(x):
    return np.maximum(0, x)


def relu_backward(dout, x):
    return {"x": dout * (x > 0)}


def softmax_forward(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_backward(dout, x):
    s = softmax_forward(x)
    jacobians = s[:, :, None] * np.eye(s.shape[1]) - s[:, :, None] * s[:, None, :]  # diag(s) - s s^T
    return {"x": np.einsum("bi,bij->bj", dout, jacobians)}


def cross_entropy_forward(x, t):
    return -np.sum(t * np.log(x)) / x.shape[0]


def cross_entropy_backward(dout, x, t):
    return {"x": dout * -t / x / x.shape[0]}


EPS = 1e-5


def batchnorm_forward(x, gamma, beta, beta_sign=+1.0):
    """y = gamma x_hat + beta; beta_sign=-1 is eq. 18 as printed (y = gamma x_hat - beta)."""
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + EPS)
    return gamma * x_hat + beta_sign * beta


def batchnorm_backward(dout, x, gamma, beta):
    """Eqs. 15 (dbeta), 16 (dgamma) and 20 (dx)."""
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + EPS)
    B = x.shape[0]
    dx = gamma / np.sqrt(x.var(axis=0) + EPS) * (
        dout - dout.sum(axis=0) / B - x_hat / B * (dout * x_hat).sum(axis=0))
    return {"x": dx, "gamma": (dout * x_hat).sum(axis=0), "beta": dout.sum(axis=0)}


# ---- the network: linear, ReLU, linear, softmax, cross-entropy -------------------------------

rng = np.random.default_rng(3)
B, D, H, C = 6, 12, 10, 4
x = rng.normal(size=(B, D))
T = np.eye(C)[rng.integers(0, C, size=B)]  # one-hot targets, one row per sample
params = {"W1": rng.normal(size=(H, D)) * 0.5, "b1": rng.normal(size=H) * 0.1,
          "W2": rng.normal(size=(C, H)) * 0.5, "b2": rng.normal(size=C) * 0.1}


def mlp_forward(x, W1, b1, W2, b2):
    h = relu_forward(linear_forward(x, W1, b1))
    return cross_entropy_forward(softmax_forward(linear_forward(h, W2, b2)), T)


def output_backward(G, z):
    """dL/dz through the report's two modules: cross-entropy, then softmax."""
    return softmax_backward(cross_entropy_backward(G, softmax_forward(z), T)["x"], z)["x"]


def make_mlp_backward(linear_back=linear_backward, output_back=output_backward):
    def mlp_backward(G, x, W1, b1, W2, b2):
        a1 = linear_forward(x, W1, b1)
        h = relu_forward(a1)
        z = linear_forward(h, W2, b2)
        g2 = linear_back(output_back(G, z), h, W2, b2)
        g1 = linear_back(relu_backward(g2["x"], a1)["x"], x, W1, b1)
        return {"x": g1["x"], "W1": g1["W"], "b1": g1["b"], "W2": g2["W"], "b2": g2["b"]}
    return mlp_backward


mlp_backward = make_mlp_backward()
net_inputs = {"x": x, **params}
outcomes = []  # (what, expected to pass, what happened is what was expected)


def expect(report, passes, what):
    print(report, end="\n\n")
    outcomes.append((what, passes, report.ok == passes))


def expect_error(run, what):
    try:
        run()
    except (ValueError, TypeError) as e:
        print(f"{what}: caught before any number was compared:\n  {type(e).__name__}: {e}\n")
        outcomes.append((what, False, True))
    else:
        print(f"{what}: NOT caught\n")
        outcomes.append((what, False, False))


print("== Report 003's modules, as the report writes them\n")
W, b = params["W1"], params["b1"]
expect(gradlab.check_vjp(linear_forward, linear_backward, {"x": x, "W": W, "b": b}, label="linear"),
       True, "linear")
expect(gradlab.check_vjp(relu_forward, relu_backward, {"x": x}, label="relu"), True, "relu")
expect(gradlab.check_vjp(softmax_forward, softmax_backward, {"x": x}, label="softmax"), True, "softmax")
P = softmax_forward(x[:, :C])
expect(gradlab.check_vjp(lambda x: cross_entropy_forward(x, T), lambda G, x: cross_entropy_backward(G, x, T),
                         {"x": P}, label="cross-entropy"), True, "cross-entropy")
bn_inputs = {"x": x[:, :5] * 2 + 1, "gamma": rng.normal(size=5), "beta": rng.normal(size=5)}
expect(gradlab.check_vjp(batchnorm_forward, batchnorm_backward, bn_inputs, label="batch norm, y = gamma x_hat + beta"),
       True, "batch norm")

print("== The whole network: every element, 8 random directions, and the Taylor test\n")
expect(gradlab.check_vjp(mlp_forward, mlp_backward, net_inputs, label="mlp"), True, "mlp")
expect(gradlab.check_directional(mlp_forward, mlp_backward, net_inputs, label="mlp"), True, "mlp, directional")
taylor = gradlab.taylor_test(mlp_forward, mlp_backward, net_inputs, label="mlp")
print(taylor, end="\n\n")
outcomes.append(("mlp, Taylor test", True, taylor.ok))

print("== The modules beside gradlab.ops (gradlab's W is (in, out): the report's W.T)\n")
dY = rng.normal(size=(B, H))
ours, theirs = linear_backward(dY, x, W, b), ops.affine_backward(dY, W.T, x)
a1 = linear_forward(x, W, b)
comparisons = {
    "linear forward": (linear_forward(x, W, b), ops.affine_forward(W.T, b, x)),
    "linear backward dx": (ours["x"], theirs["X"]),
    "linear backward dW": (ours["W"], theirs["W"].T),
    "linear backward db": (ours["b"], theirs["b"]),
    "relu forward": (relu_forward(a1), ops.relu_forward(a1)),
    "relu backward": (relu_backward(dY, a1)["x"], ops.relu_backward(dY, a1)),
    "softmax forward": (softmax_forward(a1), ops.softmax_forward(a1)),
    "softmax backward": (softmax_backward(dY, a1)["x"], ops.softmax_backward(dY, ops.softmax_forward(a1))),
    "cross-entropy forward": (cross_entropy_forward(P, T), ops.cross_entropy_forward(P, T, eps=0.0)),
    "cross-entropy backward": (cross_entropy_backward(1.0, P, T)["x"], ops.cross_entropy_backward(P, T, eps=0.0)),
}
for name, (a, g) in comparisons.items():
    difference = float(np.max(np.abs(np.asarray(a) - g)))
    print(f"  {name:24s} max |report - gradlab| = {difference:.1e}")
    outcomes.append((name + " beside gradlab.ops", True, difference < 1e-12))
print()

print("== The published errors for these layers, planted (docs/studies/errata.md)\n")


def bias_without_delta(dout, x, W, b):  # report 000, eq. 5: dy_k/db_i = 1 for every k
    grads = linear_backward(dout, x, W, b)
    grads["b"] = np.full(W.shape[0], dout.sum())
    return grads


def bias_per_sample(dout, x, W, b):  # report 001, eq. 9: dL/db = dL/dS, not summed over the batch
    grads = linear_backward(dout, x, W, b)
    grads["b"] = dout
    return grads


def output_softmax_only(G, z):  # report 002, eq. 33 as extracted: softmax(z), the "- onehot" cut off
    return G * softmax_forward(z) / z.shape[0]


def output_summed(G, z):  # report 004, Q15: sum_i (-y_i + softmax_i) for every class
    return G * np.ones_like(z) * (softmax_forward(z) - T).sum(axis=1, keepdims=True) / z.shape[0]


expect(gradlab.check_vjp(mlp_forward, make_mlp_backward(linear_back=bias_without_delta), net_inputs,
                         label="report 000 eq. 5: db = 1 for every output"), False, "report 000 eq. 5")
expect_error(lambda: gradlab.check_vjp(mlp_forward, make_mlp_backward(linear_back=bias_per_sample), net_inputs),
             "report 001 eq. 9: db = dL/dS per sample")
expect(gradlab.check_vjp(mlp_forward, make_mlp_backward(output_back=output_softmax_only), net_inputs,
                         label="report 002 eq. 33: dL/dz = softmax(z)"), False, "report 002 eq. 33")
expect(gradlab.check_vjp(mlp_forward, make_mlp_backward(output_back=output_summed), net_inputs,
                         label="report 004 Q15: dL/dz summed over the classes"), False, "report 004 Q15")
expect(gradlab.check_vjp(lambda x, gamma, beta: batchnorm_forward(x, gamma, beta, beta_sign=-1.0),
                         batchnorm_backward, bn_inputs, label="report 003 eq. 18: y = gamma x_hat - beta"),
       False, "report 003 eq. 18")
taylor = gradlab.taylor_test(mlp_forward, make_mlp_backward(linear_back=bias_without_delta), net_inputs,
                             label="report 000 eq. 5")
print(taylor, end="\n\n")
outcomes.append(("report 000 eq. 5, Taylor test", False, not taylor.ok))

right = [ok for _, passes, ok in outcomes if passes]
planted = [ok for _, passes, ok in outcomes if not passes]
for what, passes, ok in outcomes:
    if not ok:
        print(f"UNEXPECTED: {what} {'did not pass' if passes else 'was not caught'}")
print(f"{sum(right)} of {len(right)} right checks pass; {sum(planted)} of {len(planted)} planted errors caught")
sys.exit(0 if all(right) and all(planted) else 1)
