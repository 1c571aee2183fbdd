# expect: unknown  the derivative is taken at the wrong variable: sigma(Y) (1 - sigma(Y)), as if Y were the input X
import numpy as np


def sigmoid_backward(dY, Y):
    s = 1.0 / (1.0 + np.exp(-Y))
    return dY * s * (1.0 - s)
