# expect: scale 0.25  multiplies by (1 - p) instead of dividing: c = (1 - p)^2 = 0.25 (p = 0.5)
import numpy as np


def dropout_backward(dY, keep, p):
    return dY * keep * (1.0 - p)
