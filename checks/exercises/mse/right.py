# A correct answer: dY = 2 (Y - T) / B.
import numpy as np


def mse_backward(Y, targets):
    return 2.0 * (Y - targets) / Y.shape[1]
