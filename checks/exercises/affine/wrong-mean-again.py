# expect: scale 0.2  dW and db divided by B although dY already holds the loss's 1/B (1/B twice, B = 5); dX is right
import numpy as np


def affine_backward(dY, W, X):
    B = X.shape[1]
    return W.T @ dY, dY @ X.T / B, dY.sum(axis=1) / B
