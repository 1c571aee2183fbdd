# A correct answer: dX = dY * Y * (1 - Y), since sigma' = sigma (1 - sigma).
import numpy as np


def sigmoid_backward(dY, Y):
    return dY * Y * (1.0 - Y)
