# expect: missing_term  the velocity is ignored: a plain SGD step W -= lr dW
import numpy as np


def momentum_step(W, V, dW, lr, momentum):
    return W - lr * dW, V
