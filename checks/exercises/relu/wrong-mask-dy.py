# expect: mask  the mask is taken from the upstream gradient (dY > 0) instead of the input X
import numpy as np


def relu_backward(dY, X):
    return dY * (dY > 0)
