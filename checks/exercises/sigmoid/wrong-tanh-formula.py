# expect: unknown  tanh's derivative copied: 1 - Y^2 instead of Y (1 - Y)
import numpy as np


def sigmoid_backward(dY, Y):
    return dY * (1.0 - Y * Y)
