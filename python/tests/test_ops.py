"""gradlab.ops against NumPy written out, element for element, samples in rows."""
import numpy as np
import pytest

import gradlab
from gradlab import ops


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.fixture
def batch(rng):
    """A batch of 5 samples with 4 features, a layer to 3 outputs, and 3-class labels."""
    return {"X": rng.normal(size=(5, 4)), "W": rng.normal(size=(4, 3)), "b": rng.normal(size=3),
            "dY": rng.normal(size=(5, 3)), "labels": np.array([0, 2, 1, 1, 0])}


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def logsumexp(z):
    m = z.max(axis=-1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def test_affine(batch):
    X, W, b, dY = batch["X"], batch["W"], batch["b"], batch["dY"]
    close(ops.affine_forward(W, b, X), X @ W + b)
    grads = ops.affine_backward(dY, W, X)
    assert set(grads) == {"W", "b", "X"}
    close(grads["W"], X.T @ dY)
    close(grads["b"], dY.sum(axis=0))
    close(grads["X"], dY @ W.T)
    # One sample as a 1-D array.
    close(ops.affine_forward(W, b, X[0]), X[0] @ W + b)
    one = ops.affine_backward(dY[0], W, X[0])
    assert one["X"].shape == (4,) and one["b"].shape == (3,)
    close(one["W"], np.outer(X[0], dY[0]))


@pytest.mark.parametrize("shape", [(5, 4), (7,), (2, 3, 4)], ids=str)
def test_elementwise_activations_keep_any_shape(shape, rng):
    X, dY = rng.normal(size=shape), rng.normal(size=shape)
    X.flat[0] = 0.0  # the corner: ReLU's derivative is 0 there, leaky ReLU's the slope
    close(ops.relu_forward(X), np.maximum(X, 0))
    np.testing.assert_array_equal(ops.relu_backward(dY, X), dY * (X > 0))
    close(ops.leaky_relu_forward(X), np.where(X > 0, X, 0.01 * X))
    close(ops.leaky_relu_forward(X, slope=0.2), np.where(X > 0, X, 0.2 * X))
    close(ops.leaky_relu_backward(dY, X, 0.2), dY * np.where(X > 0, 1.0, 0.2))
    Y = ops.tanh_forward(X)
    close(Y, np.tanh(X))
    close(ops.tanh_backward(dY, Y), dY * (1 - Y ** 2))
    S = ops.sigmoid_forward(X)
    close(S, 1 / (1 + np.exp(-X)))
    close(ops.sigmoid_backward(dY, S), dY * S * (1 - S))
    for out in (Y, S, ops.relu_forward(X)):
        assert out.shape == shape and out.dtype == np.float64


def test_sigmoid_does_not_overflow():
    close(ops.sigmoid_forward(np.array([-800.0, 800.0])), [0.0, 1.0])


def test_softmax_family_works_on_each_row(batch, rng):
    Z, dP = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    P = ops.softmax_forward(Z)
    close(P, softmax(Z))
    close(P.sum(axis=1), np.ones(5))
    close(ops.softmax_backward(dP, P), P * (dP - (P * dP).sum(axis=1, keepdims=True)))
    close(ops.softmax_jacobian(P[0]), np.diag(P[0]) - np.outer(P[0], P[0]))
    close(ops.softmax_forward(Z[0]), softmax(Z[0]))  # one sample, 1-D
    L = ops.log_softmax_forward(Z)
    close(L, Z - logsumexp(Z))
    close(ops.log_softmax_backward(dP, L), dP - np.exp(L) * dP.sum(axis=1, keepdims=True))
    close(ops.softmax_forward(np.array([[1000.0, 0.0, -1000.0]])), [[1.0, 0.0, 0.0]])


def test_losses_are_means_over_the_rows(batch, rng):
    Z, labels = batch["dY"], batch["labels"]
    B = Z.shape[0]
    onehot = np.eye(3)[labels]
    loss, P = ops.softmax_cross_entropy_forward(Z, labels)
    assert isinstance(loss, float)
    close(loss, np.mean(logsumexp(Z)[:, 0] - Z[np.arange(B), labels]))
    close(P, softmax(Z))
    close(ops.softmax_cross_entropy_backward(P, labels), (P - onehot) / B)
    L = Z - logsumexp(Z)
    close(ops.nll_forward(L, labels), -np.mean(L[np.arange(B), labels]))
    close(ops.nll_backward(L, labels), -onehot / B)
    eps = 1e-10
    close(ops.cross_entropy_forward(P, onehot), -np.sum(onehot * np.log(P + eps)) / B)
    close(ops.cross_entropy_backward(P, onehot), -onehot / (P + eps) / B)
    close(ops.cross_entropy_backward(P, onehot, eps=1e-3), -onehot / (P + 1e-3) / B)
    T = rng.normal(size=Z.shape)
    close(ops.mse_forward(Z, T), np.sum((Z - T) ** 2) / B)
    close(ops.mse_backward(Z, T), 2 * (Z - T) / B)
    W = rng.normal(size=(4, 3))
    close(ops.l2_penalty_forward(W, 0.3), 0.15 * np.sum(W ** 2))
    close(ops.l2_penalty_backward(W, 0.3), 0.3 * W)


def test_hinge_losses_are_means_over_the_rows(batch, rng):
    S, labels = batch["dY"], batch["labels"]  # scores (5, 3), samples in rows
    B = S.shape[0]
    onehot = np.eye(3)[labels]
    margins = S - S[np.arange(B), labels][:, None] + 1
    active = (margins > 0) & (onehot == 0)  # the label's own margin (always 1) is left out
    close(ops.multiclass_hinge_forward(S, labels), np.sum(np.where(active, margins, 0.0)) / B)
    close(ops.multiclass_hinge_backward(S, labels), (active - onehot * active.sum(axis=1, keepdims=True)) / B)
    s = 1.5 * rng.normal(size=B)
    y01 = np.array([1, 0, 0, 1, 1])
    y = 2.0 * y01 - 1.0  # labels 0/1 are the signs -1/+1
    close(ops.binary_hinge_forward(s, y01), np.mean(np.maximum(0.0, 1.0 - y * s)))
    close(ops.binary_hinge_backward(s, y01), -y * (1.0 - y * s > 0) / B)
    # the subgradient at a margin of exactly 0 is 0
    assert ops.binary_hinge_backward(np.array([1.0, -1.0]), [1, 0]).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match=r"binary_hinge_forward: label 2 at index 1"):
        ops.binary_hinge_forward(s[:2], [0, 2])
    with pytest.raises(ValueError, match=r"binary_hinge_backward: scores has shape \(5, 3\): it must be 1-D"):
        ops.binary_hinge_backward(S, labels)


def test_one_label_for_one_sample(rng):
    z = rng.normal(size=4)
    loss, p = ops.softmax_cross_entropy_forward(z, 2)
    close(loss, logsumexp(z)[0] - z[2])
    close(ops.softmax_cross_entropy_backward(p, [2]), p - np.eye(4)[2])


def test_batchnorm_normalises_each_column_over_the_batch(rng):
    X, dY = rng.normal(size=(6, 3)) * 3 + 1, rng.normal(size=(6, 3))
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    eps = gradlab.ops.batchnorm_default_eps
    mean, var = X.mean(axis=0), X.var(axis=0)
    x_hat = (X - mean) / np.sqrt(var + eps)
    Y, cache = ops.batchnorm_forward(X, gamma, beta)
    close(Y, gamma * x_hat + beta)
    close(cache.x_hat, x_hat)
    close(cache.mean, mean)
    close(cache.var, var)
    close(cache.inv_std, 1 / np.sqrt(var + eps))
    g = ops.batchnorm_backward(dY, gamma, cache)
    B = X.shape[0]
    close(g["beta"], dY.sum(axis=0))
    close(g["gamma"], (dY * x_hat).sum(axis=0))
    close(g["X"], gamma / np.sqrt(var + eps) / B
          * (B * dY - dY.sum(axis=0) - x_hat * (dY * x_hat).sum(axis=0)))
    running_mean, running_var = rng.normal(size=3), rng.uniform(0.5, 2.0, size=3)
    Ye, ce = ops.batchnorm_forward_eval(X, gamma, beta, running_mean, running_var)
    xe = (X - running_mean) / np.sqrt(running_var + eps)
    close(Ye, gamma * xe + beta)
    ge = ops.batchnorm_backward_eval(dY, gamma, ce)
    close(ge["X"], dY * gamma / np.sqrt(running_var + eps))
    close(ge["gamma"], (dY * xe).sum(axis=0))
    close(ge["beta"], dY.sum(axis=0))


def test_dropout_masks_are_seeded_and_scaled(rng):
    X, dY = rng.normal(size=(40, 50)), rng.normal(size=(40, 50))
    Y, mask = ops.dropout_forward(X, 0.3, seed=5)
    kept = mask != 0
    close(mask[kept], np.full(kept.sum(), 1 / 0.7))
    close(Y, X * mask)
    assert abs(1 - kept.mean() - 0.3) < 0.03
    np.testing.assert_array_equal(ops.dropout_forward(X, 0.3, seed=5)[1], mask)
    assert not np.array_equal(ops.dropout_forward(X, 0.3, seed=6)[1], mask)
    close(ops.dropout_backward(dY, mask), dY * mask)
    close(ops.dropout_forward(X, 0.0, seed=1)[0], X)


def test_results_are_fresh_arrays(batch):
    X = batch["X"]
    Y = ops.relu_forward(X)
    Y[0, 0] = 123.0
    assert X[0, 0] != 123.0
    ops.relu_forward(X.T)  # a non-contiguous view is read as the array it shows
    close(ops.relu_forward(X.T), np.maximum(X.T, 0))


def test_the_ops_plug_into_the_checker(batch):
    """A backward returning several gradients returns the dict check_vjp wants."""
    inputs = {"W": batch["W"], "b": batch["b"], "X": batch["X"]}
    report = gradlab.check_vjp(ops.affine_forward, lambda G, W, b, X: ops.affine_backward(G, W, X), inputs)
    assert report.verdict == "PASS"
    X, gamma, beta = batch["X"], np.ones(4) * 1.5, np.zeros(4) + 0.1
    report = gradlab.check_vjp(lambda X, gamma, beta: ops.batchnorm_forward(X, gamma, beta)[0],
                               lambda G, X, gamma, beta: ops.batchnorm_backward(
                                   G, gamma, ops.batchnorm_forward(X, gamma, beta)[1]),
                               {"X": X, "gamma": gamma, "beta": beta})
    assert report.verdict == "PASS"


def conv2d_loops(X, W, b, stride, padding):
    """F.conv2d written out: Y[n, k, i, j] = b[k] + sum W[k, c, u, v] Xp[n, c, i*s + u, j*s + v]."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    K, _, kh, kw = W.shape
    Ho = (Xp.shape[2] - kh) // stride + 1
    Wo = (Xp.shape[3] - kw) // stride + 1
    Y = np.empty((X.shape[0], K, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            window = Xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            Y[:, :, i, j] = np.einsum("ncuv,kcuv->nk", window, W) + b
    return Y


@pytest.mark.parametrize("stride, padding", [(1, 1), (2, 0), (2, 1)], ids=str)
def test_conv2d_takes_pytorchs_shapes(stride, padding, rng):
    X, W, b = rng.normal(size=(3, 2, 5, 6)), rng.normal(size=(4, 2, 3, 2)), rng.normal(size=4)
    Y = ops.conv2d_forward(X, W, b, stride=stride, padding=padding)
    close(Y, conv2d_loops(X, W, b, stride, padding))
    dY = rng.normal(size=Y.shape)
    g = ops.conv2d_backward(dY, X, W, stride=stride, padding=padding)
    assert g["X"].shape == X.shape and g["W"].shape == W.shape and g["b"].shape == (4,)
    close(g["b"], dY.sum(axis=(0, 2, 3)))
    # conv2d is linear in X and in W: <dY, Y - b> = <dX, X> = <dW, W>
    inner = np.sum(dY * (Y - b[None, :, None, None]))
    close(np.sum(g["X"] * X), inner)
    close(np.sum(g["W"] * W), inner)
    report = gradlab.check_vjp(lambda X, W, b: ops.conv2d_forward(X, W, b, stride, padding),
                               lambda G, X, W, b: ops.conv2d_backward(G, X, W, stride, padding),
                               {"X": X, "W": W, "b": b})
    assert report.verdict == "PASS"


def test_pools_take_pytorchs_shapes_and_ties_go_to_the_first_maximum(rng):
    X = rng.normal(size=(2, 3, 4, 6))
    Y, argmax = ops.max_pool2d_forward(X, 2)
    windows = X.reshape(2, 3, 2, 2, 3, 2).transpose(0, 1, 2, 4, 3, 5)  # (n, c, i, j, u, v)
    close(Y, windows.max(axis=(4, 5)))
    close(ops.avg_pool2d_forward(X, 2), windows.mean(axis=(4, 5)))
    flat = X.reshape(2, -1)
    close(np.take_along_axis(flat, argmax.reshape(2, -1), axis=1).reshape(Y.shape), Y)
    dY = rng.normal(size=Y.shape)
    dX = ops.max_pool2d_backward(dY, argmax, X.shape)
    close(dX.sum(), dY.sum())  # windows side by side: each gradient lands once
    close(ops.avg_pool2d_backward(dY, X.shape, 2), np.repeat(np.repeat(dY, 2, axis=2), 2, axis=3) / 4)
    # A window of four equal maxima: the gradient goes to its top-left entry.
    tied = np.zeros((1, 1, 2, 2))
    _, where = ops.max_pool2d_forward(tied, (2, 2))
    assert where.item() == 0
    close(ops.max_pool2d_backward(np.ones((1, 1, 1, 1)), where, tied.shape), [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_image_ops_refuse_what_does_not_fit():
    with pytest.raises(ValueError, match="conv2d_forward.*4-D"):
        ops.conv2d_forward(np.zeros((2, 3)), np.zeros((1, 1, 1, 1)), np.zeros(1))
    with pytest.raises(ValueError, match=r"conv2d_forward.*W has shape \(1, 2, 3, 3\).*channels"):
        ops.conv2d_forward(np.zeros((1, 3, 5, 5)), np.zeros((1, 2, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="conv2d_forward.*does not fit"):
        ops.conv2d_forward(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="max_pool2d_forward.*window 3x3 does not fit"):
        ops.max_pool2d_forward(np.zeros((1, 1, 2, 2)), 3)
