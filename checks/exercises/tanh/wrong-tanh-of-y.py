# expect: unknown  the derivative is taken at the wrong variable: 1 - tanh(Y)^2, as if Y were the input X
import numpy as np


def tanh_backward(dY, Y):
    return dY * (1.0 - np.tanh(Y) ** 2)
