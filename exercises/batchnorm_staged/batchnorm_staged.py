import numpy as np


def batchnorm_staged_backward(dY, X, gamma, eps):
    """Exercise batchnorm_staged: batch normalisation's backward pass, one stage at a time.

    The forward pass (training mode) computed, for each feature (row) d, in this order:
        mean    = (1/B) sum_b X_b                (a D-vector: one mean per row)
        centred = X - mean                       (mean subtracted from every column)
        var     = (1/B) sum_b centred_b * centred_b      (biased: 1/B)
        inv_std = 1 / sqrt(var + eps)
        x_hat   = centred * inv_std              (per row)
        Y       = gamma * x_hat + beta           (per row)
    Recompute what you need of this forward from X, then walk the graph backwards, one stage
    at a time, and return the tuple (dX, dgamma, dbeta) of dL/dX, dL/dgamma and dL/dbeta.

    Shapes (columns are samples, B of them):
        dY:    D x B    2-D float array, the gradient of the loss with respect to Y
        X:     D x B    2-D float array, the forward's input
        gamma: D        1-D float array, the scale
        eps:            a Python float, what the forward added to the variance
        returns dX: D x B (2-D),  dgamma: D (1-D),  dbeta: D (1-D)

    A variable used twice (centred feeds var and x_hat; X feeds mean and centred) collects one
    contribution from each use. In the reports: report 003, eqs. (17)-(19) derive the same
    gradient in one go; batchnorm (the other exercise) is its closed form, eq. (20).

    Run: ./workbench exercise batchnorm_staged --python
         (hints: ./workbench exercise batchnorm_staged --hint 1)
    """
    raise NotImplementedError("batchnorm_staged_backward: not implemented yet")
