import numpy as np


def mse_backward(Y, targets):
    """Exercise mse: the gradient of the mean squared error.

    The forward pass computed, from outputs Y and targets T,
        L = (1/B) sum_b || Y_b - T_b ||^2               (Y_b, T_b: column b)
    that is, the squared errors summed over the C outputs of a sample, then the mean over the
    B samples. Return dY = dL/dY.

    Shapes (columns are samples, B of them; 2-D float arrays):
        Y:       C x B    the network's outputs
        targets: C x B    T, the targets (one-hot for classification)
        returns dY: C x B

    In the reports: report 001, eq. (7) (the loss, with N the number of samples).

    Run: ./workbench exercise mse --python   (hints: ./workbench exercise mse --hint 1)
    """
    raise NotImplementedError("mse_backward: not implemented yet")
