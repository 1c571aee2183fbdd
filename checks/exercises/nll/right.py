# A correct answer: dlogprobs = -onehot(labels) / B.
import numpy as np


def nll_backward(logprobs, labels):
    B = logprobs.shape[1]
    d = np.zeros_like(logprobs)
    d[labels, np.arange(B)] = -1.0 / B
    return d
