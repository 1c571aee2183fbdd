import numpy as np


def sigmoid_backward(dY, Y):
    """Exercise sigmoid: the backward pass of the logistic sigmoid.

    The forward pass computed, element by element,
        Y = sigma(X) = 1 / (1 + exp(-X))
    and kept its output Y (not X). Return dX = dL/dX, given the upstream gradient dY = dL/dY
    and the forward's output Y.

    Shapes (columns are samples, B of them; 2-D float arrays):
        dY: D x B    the gradient of the loss with respect to Y
        Y:  D x B    the forward's output, sigma(X)
        returns dX: D x B

    In the reports: report 000, eq. (2) defines the sigmoid and report 001 uses it as a
    module; neither derivation of its derivative survives in the texts, so derive it yourself.

    Run: ./workbench exercise sigmoid --python   (hints: ./workbench exercise sigmoid --hint 1)
    """
    raise NotImplementedError("sigmoid_backward: not implemented yet")
