# expect: sign  the minus sign of the loss is lost: T / P / B
import numpy as np


def cross_entropy_backward(probs, targets):
    return targets / probs / probs.shape[1]
