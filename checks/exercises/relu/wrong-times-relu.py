# expect: unknown  multiplies dY by ReLU(X) itself instead of by its derivative
import numpy as np


def relu_backward(dY, X):
    return dY * np.maximum(X, 0.0)
