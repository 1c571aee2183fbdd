# expect: scale 0.2  divides by B, but softmax is per sample and the batch mean belongs to the loss (B = 5)
import numpy as np


def softmax_backward(dY, Y):
    B = dY.shape[1]
    return Y * (dY - np.sum(Y * dY, axis=0, keepdims=True)) / B
