# expect: sign  the two forms mixed: v = mu v - lr dW, then W -= v, so every step goes uphill
import numpy as np


def momentum_step(W, V, dW, lr, momentum):
    V = momentum * V - lr * dW
    return W - V, V
