# expect: missing_term  dX without the term through the variance (-x_hat * dgamma); dgamma, dbeta right
import numpy as np


def batchnorm_backward(dY, x_hat, gamma, inv_std):
    B = dY.shape[1]
    dbeta = dY.sum(axis=1)
    dgamma = (dY * x_hat).sum(axis=1)
    dX = (gamma * inv_std / B)[:, None] * (B * dY - dbeta[:, None])
    return dX, dgamma, dbeta
