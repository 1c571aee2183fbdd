# A correct answer: dP = -T / P / B, elementwise (report 003, eqs. 1-2, with the batch mean).
import numpy as np


def cross_entropy_backward(probs, targets):
    return -targets / probs / probs.shape[1]
