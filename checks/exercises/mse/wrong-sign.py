# expect: sign  the error written T - Y instead of Y - T
import numpy as np


def mse_backward(Y, targets):
    return 2.0 * (targets - Y) / Y.shape[1]
