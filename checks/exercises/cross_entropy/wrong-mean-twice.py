# expect: scale 0.2  the 1/B of the mean is applied twice (c = 1/B, B = 5)
import numpy as np


def cross_entropy_backward(probs, targets):
    B = probs.shape[1]
    return -(targets / B) / probs / B
