import numpy as np


def batchnorm_backward(dY, x_hat, gamma, inv_std):
    """Exercise batchnorm: the backward pass of batch normalisation, in closed form.

    The forward pass (training mode) normalised each feature (row) d with that row's
    statistics over the batch, then scaled and shifted it:
        mean_d = (1/B) sum_b X[d, b],    var_d = (1/B) sum_b (X[d, b] - mean_d)^2   (biased: 1/B)
        inv_std_d = 1 / sqrt(var_d + eps)
        x_hat[d, b] = (X[d, b] - mean_d) * inv_std_d
        Y[d, b]     = gamma_d * x_hat[d, b] + beta_d
    and kept x_hat and inv_std. Return the tuple (dX, dgamma, dbeta) of dL/dX, dL/dgamma and
    dL/dbeta, given the upstream gradient dY = dL/dY.

    Shapes (columns are samples, B of them):
        dY:      D x B    2-D float array, the gradient of the loss with respect to Y
        x_hat:   D x B    2-D float array, the normalised input
        gamma:   D        1-D float array, the scale
        inv_std: D        1-D float array, 1 / sqrt(var + eps) per row
        returns dX: D x B (2-D),  dgamma: D (1-D),  dbeta: D (1-D)

    Every x_hat[d, b] depends on the whole row of X (through mean_d and var_d), so dX has more
    than one term. In the reports: report 003, eqs. (15)-(16) (dbeta, dgamma) and eqs.
    (17)-(20) (dX; eq. (20) is the matrix form).

    Run: ./workbench exercise batchnorm --python   (hints: ./workbench exercise batchnorm --hint 1)
    """
    raise NotImplementedError("batchnorm_backward: not implemented yet")
