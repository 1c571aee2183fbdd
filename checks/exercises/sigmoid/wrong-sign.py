# expect: sign  sigma' written as sigma (sigma - 1) instead of sigma (1 - sigma)
import numpy as np


def sigmoid_backward(dY, Y):
    return dY * Y * (Y - 1.0)
