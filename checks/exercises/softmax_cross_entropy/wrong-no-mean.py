# expect: scale 5  the 1/B of the mean over the batch is never applied (c = B, B = 5)
import numpy as np


def softmax_cross_entropy_backward(probs, labels):
    B = probs.shape[1]
    dZ = probs.copy()
    dZ[labels, np.arange(B)] -= 1.0
    return dZ
