import numpy as np


def tanh_backward(dY, Y):
    """Exercise tanh: the backward pass of tanh.

    The forward pass computed, element by element,
        Y = tanh(X)
    and kept its output Y (not X). Return dX = dL/dX, given the upstream gradient dY = dL/dY
    and the forward's output Y.

    Shapes (columns are samples, B of them; 2-D float arrays):
        dY: D x B    the gradient of the loss with respect to Y
        Y:  D x B    the forward's output, tanh(X)
        returns dX: D x B

    In the reports: report 000, Sec. III-B derives tanh's derivative with the quotient rule;
    report 004, Q17 uses it in a network.

    Run: ./workbench exercise tanh --python   (hints: ./workbench exercise tanh --hint 1)
    """
    raise NotImplementedError("tanh_backward: not implemented yet")
