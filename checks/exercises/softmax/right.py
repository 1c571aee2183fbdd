# A correct answer: per column, dz = (diag(s) - s s^T) p = s * (p - <s, p>) (report 003, eqs. 4, 10).
import numpy as np


def softmax_backward(dY, Y):
    return Y * (dY - np.sum(Y * dY, axis=0, keepdims=True))
