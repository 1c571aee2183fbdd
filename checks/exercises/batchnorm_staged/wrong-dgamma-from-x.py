# expect: unknown  dgamma summed from dY * X instead of dY * x_hat (gamma multiplies x_hat, not X); dX, dbeta right
import numpy as np


def batchnorm_staged_backward(dY, X, gamma, eps):
    B = X.shape[1]
    mean = X.mean(axis=1, keepdims=True)
    centred = X - mean
    var = (centred ** 2).mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    dbeta = dY.sum(axis=1)
    dgamma = (dY * X).sum(axis=1)
    dx_hat = gamma[:, None] * dY
    dinv_std = (dx_hat * centred).sum(axis=1, keepdims=True)
    dcentred = dx_hat * inv_std
    dvar = -0.5 * (var + eps) ** -1.5 * dinv_std
    dcentred = dcentred + 2.0 / B * centred * dvar
    dmean = -dcentred.sum(axis=1, keepdims=True)
    dX = dcentred + dmean / B
    return dX, dgamma, dbeta
