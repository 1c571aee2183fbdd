# A correct answer: the forward recomputed, then each stage's chain rule in reverse order.
import numpy as np


def batchnorm_staged_backward(dY, X, gamma, eps):
    B = X.shape[1]
    # forward
    mean = X.mean(axis=1, keepdims=True)
    centred = X - mean
    var = (centred ** 2).mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = centred * inv_std
    # backward: Y = gamma x_hat + beta
    dbeta = dY.sum(axis=1)
    dgamma = (dY * x_hat).sum(axis=1)
    dx_hat = gamma[:, None] * dY
    # x_hat = centred inv_std
    dinv_std = (dx_hat * centred).sum(axis=1, keepdims=True)
    dcentred = dx_hat * inv_std
    # inv_std = (var + eps)^(-1/2)
    dvar = -0.5 * (var + eps) ** -1.5 * dinv_std
    # var = (1/B) sum_b centred^2
    dcentred = dcentred + 2.0 / B * centred * dvar
    # centred = X - mean, mean = (1/B) sum_b X
    dmean = -dcentred.sum(axis=1, keepdims=True)
    dX = dcentred + dmean / B
    return dX, dgamma, dbeta
