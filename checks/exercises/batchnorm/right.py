# A correct answer (report 003, eq. 20): dbeta = sum_b dY, dgamma = sum_b dY * x_hat,
# dX = (gamma * inv_std / B) * (B dY - dbeta - x_hat * dgamma).
import numpy as np


def batchnorm_backward(dY, x_hat, gamma, inv_std):
    B = dY.shape[1]
    dbeta = dY.sum(axis=1)
    dgamma = (dY * x_hat).sum(axis=1)
    dX = (gamma * inv_std / B)[:, None] * (B * dY - dbeta[:, None] - x_hat * dgamma[:, None])
    return dX, dgamma, dbeta
