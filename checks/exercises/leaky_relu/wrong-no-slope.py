# expect: mask  the slope is dropped: the derivative is 0 instead of slope where X <= 0 (plain ReLU)
import numpy as np


def leaky_relu_backward(dY, X, slope):
    return dY * (X > 0)
