# A correct answer: v = mu v + dW, then W -= lr v, returned as (W, V).
import numpy as np


def momentum_step(W, V, dW, lr, momentum):
    V = momentum * V + dW
    W = W - lr * V
    return W, V
