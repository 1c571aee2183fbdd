# expect: scale 5  the 1/B of the mean over the batch is never applied (c = B, B = 5)
import numpy as np


def nll_backward(logprobs, labels):
    B = logprobs.shape[1]
    d = np.zeros_like(logprobs)
    d[labels, np.arange(B)] = -1.0
    return d
