# expect: scale 0.1  lr applied twice: v = mu v + lr dW, then W -= lr v (c = lr = 0.1)
import numpy as np


def momentum_step(W, V, dW, lr, momentum):
    V = momentum * V + lr * dW
    return W - lr * V, V
