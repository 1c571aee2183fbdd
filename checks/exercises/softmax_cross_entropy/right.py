# A correct answer: dZ = (probs - onehot(labels)) / B (report 004, Q15, with the batch mean).
import numpy as np


def softmax_cross_entropy_backward(probs, labels):
    B = probs.shape[1]
    dZ = probs.copy()
    dZ[labels, np.arange(B)] -= 1.0
    return dZ / B
