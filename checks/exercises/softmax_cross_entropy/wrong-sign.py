# expect: sign  written (onehot - probs) / B instead of (probs - onehot) / B
import numpy as np


def softmax_cross_entropy_backward(probs, labels):
    B = probs.shape[1]
    dZ = -probs
    dZ[labels, np.arange(B)] += 1.0
    return dZ / B
