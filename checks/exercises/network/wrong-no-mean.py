# expect: scale 5  the 1/B of the mean loss is never applied, so all four gradients are B times too large (B = 5)
import numpy as np


def network_backward(X, labels, H, probs, Wy):
    B = X.shape[1]
    G = probs.copy()
    G[labels, np.arange(B)] -= 1.0
    Gh = (Wy.T @ G) * (1.0 - H * H)
    return Gh @ X.T, Gh.sum(axis=1), G @ H.T, G.sum(axis=1)
