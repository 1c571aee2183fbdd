# expect: transpose  dW computed as X dY^T, the transpose of dY X^T; dX and db are right
import numpy as np


def affine_backward(dY, W, X):
    return W.T @ dY, X @ dY.T, dY.sum(axis=1)
