# expect: scale 0.5  the factor 2 from the square is missing
import numpy as np


def mse_backward(Y, targets):
    return (Y - targets) / Y.shape[1]
