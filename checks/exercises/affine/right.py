# A correct answer: dX = W^T dY, dW = dY X^T, db = the row sums of dY.
import numpy as np


def affine_backward(dY, W, X):
    return W.T @ dY, dY @ X.T, dY.sum(axis=1)
