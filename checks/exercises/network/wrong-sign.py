# expect: sign  the output gradient written (onehot - probs) / B, so all four gradients have the wrong sign
import numpy as np


def network_backward(X, labels, H, probs, Wy):
    B = X.shape[1]
    G = -probs
    G[labels, np.arange(B)] += 1.0
    G /= B
    Gh = (Wy.T @ G) * (1.0 - H * H)
    return Gh @ X.T, Gh.sum(axis=1), G @ H.T, G.sum(axis=1)
