# A correct answer: dX = dY * (1 - Y * Y), since tanh' = 1 - tanh^2 (report 000, Sec. III-B).
import numpy as np


def tanh_backward(dY, Y):
    return dY * (1.0 - Y * Y)
