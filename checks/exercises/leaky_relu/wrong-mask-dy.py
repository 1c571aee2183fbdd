# expect: contract  chooses between slope and 1 by the sign of dY instead of X: the gradient is then not linear in dY
import numpy as np


def leaky_relu_backward(dY, X, slope):
    return dY * np.where(dY > 0, 1.0, slope)
