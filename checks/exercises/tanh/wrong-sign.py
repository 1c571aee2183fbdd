# expect: sign  tanh' written as Y^2 - 1 instead of 1 - Y^2
import numpy as np


def tanh_backward(dY, Y):
    return dY * (Y * Y - 1.0)
