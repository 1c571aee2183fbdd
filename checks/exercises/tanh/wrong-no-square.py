# expect: unknown  tanh' written as 1 - Y, without the square
import numpy as np


def tanh_backward(dY, Y):
    return dY * (1.0 - Y)
