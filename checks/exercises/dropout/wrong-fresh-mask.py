# expect: contract  draws a new random mask in backward instead of using keep: two calls give different gradients
import numpy as np


def dropout_backward(dY, keep, p):
    fresh = (np.random.random(dY.shape) >= p).astype(float)
    return dY * fresh / (1.0 - p)
