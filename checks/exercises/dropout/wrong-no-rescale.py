# expect: scale 0.5  the 1/(1 - p) is missing: c = 1 - p = 0.5 (p = 0.5)
import numpy as np


def dropout_backward(dY, keep, p):
    return dY * keep
