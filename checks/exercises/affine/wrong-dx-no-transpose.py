# expect: transpose  dX uses W where W^T belongs (dX = W dY); dW and db are right
import numpy as np


def affine_backward(dY, W, X):
    return W @ dY, dY @ X.T, dY.sum(axis=1)
