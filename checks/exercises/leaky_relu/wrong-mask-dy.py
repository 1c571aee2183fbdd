# expect: unknown  chooses between slope and 1 by the sign of dY instead of X (no entry is zeroed, so no mask shows)
import numpy as np


def leaky_relu_backward(dY, X, slope):
    return dY * np.where(dY > 0, 1.0, slope)
