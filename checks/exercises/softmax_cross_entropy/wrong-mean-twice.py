# expect: scale 0.2  divided by B twice (c = 1/B, B = 5)
import numpy as np


def softmax_cross_entropy_backward(probs, labels):
    B = probs.shape[1]
    dZ = probs / B
    dZ[labels, np.arange(B)] -= 1.0 / B
    return dZ / B
