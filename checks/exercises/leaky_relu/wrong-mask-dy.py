# expect: unknown  1 or slope is chosen by the sign of dY instead of X (no entry is zeroed, so no mask shows)
import numpy as np


def leaky_relu_backward(dY, X, slope):
    return dY * np.where(dY > 0, 1.0, slope)
