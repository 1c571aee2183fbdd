# expect: reduction  db is the first sample's column of dY (code written for batch 1) instead of the sum over the batch
import numpy as np


def affine_backward(dY, W, X):
    return W.T @ dY, dY @ X.T, dY[:, 0].copy()
