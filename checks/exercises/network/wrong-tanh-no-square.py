# expect: unknown  tanh' written 1 - H instead of 1 - H * H (as printed at the end of report 004's Q17): dWh and dbh wrong, dWy and dby right
import numpy as np


def network_backward(X, labels, H, probs, Wy):
    B = X.shape[1]
    G = probs.copy()
    G[labels, np.arange(B)] -= 1.0
    G /= B
    Gh = (Wy.T @ G) * (1.0 - H)
    return Gh @ X.T, Gh.sum(axis=1), G @ H.T, G.sum(axis=1)
