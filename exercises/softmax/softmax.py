import numpy as np


def softmax_backward(dY, Y):
    """Exercise softmax: the backward pass of softmax (the vector-Jacobian product).

    The forward pass computed, for each column (sample) b on its own,
        Y_cb = exp(Z_cb) / sum_k exp(Z_kb)
    and kept its output Y, the probabilities. Return dZ = dL/dZ, the gradient with respect to
    the logits, given the upstream gradient dY = dL/dY.

    Shapes (columns are samples, B of them; 2-D float arrays):
        dY: C x B    the gradient of the loss with respect to the probabilities Y
        Y:  C x B    the forward's output; each column sums to 1
        returns dZ: C x B

    Each column has its own C x C Jacobian. You may form it, but you need not: the grader only
    looks at dZ.

    In the reports: report 003, eq. (4) (the Jacobian of softmax for one sample) and eq. (10)
    (the gradient pushed through it).

    Run: ./workbench exercise softmax --python   (hints: ./workbench exercise softmax --hint 1)
    """
    raise NotImplementedError("softmax_backward: not implemented yet")
