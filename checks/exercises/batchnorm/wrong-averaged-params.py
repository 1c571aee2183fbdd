# expect: scale 0.2  dgamma and dbeta averaged over the batch instead of summed (1/B twice, B = 5); dX right
import numpy as np


def batchnorm_backward(dY, x_hat, gamma, inv_std):
    B = dY.shape[1]
    dbeta = dY.sum(axis=1)
    dgamma = (dY * x_hat).sum(axis=1)
    dX = (gamma * inv_std / B)[:, None] * (B * dY - dbeta[:, None] - x_hat * dgamma[:, None])
    return dX, (dY * x_hat).mean(axis=1), dY.mean(axis=1)
