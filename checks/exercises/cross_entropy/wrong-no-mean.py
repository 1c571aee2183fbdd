# expect: scale 5  the 1/B of the mean over the batch is never applied (c = B, B = 5)
import numpy as np


def cross_entropy_backward(probs, targets):
    return -targets / probs
