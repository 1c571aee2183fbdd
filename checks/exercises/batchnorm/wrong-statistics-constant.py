# expect: missing_term  dX = gamma * inv_std * dY: the mean and variance treated as constants (both batch terms missing); dgamma, dbeta right
import numpy as np


def batchnorm_backward(dY, x_hat, gamma, inv_std):
    dX = (gamma * inv_std)[:, None] * dY
    return dX, (dY * x_hat).sum(axis=1), dY.sum(axis=1)
