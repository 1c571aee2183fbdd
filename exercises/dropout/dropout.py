import numpy as np


def dropout_backward(dY, keep, p):
    """Exercise dropout: the backward pass of (inverted) dropout.

    The forward pass drew a 0/1 matrix keep (1 with probability 1 - p, 0 with probability p)
    and computed, element by element,
        Y = X * keep / (1 - p)
    ("inverted" dropout: the kept entries are scaled up at training time, so that evaluation
    needs no rescaling). Return dX = dL/dX, given the upstream gradient dY = dL/dY.

    Shapes (columns are samples, B of them):
        dY:   D x B    2-D float array, the gradient of the loss with respect to Y
        keep: D x B    2-D float array of 0s and 1s, the forward's draw (1 where kept)
        p:             a Python float, the probability of dropping an entry, in [0, 1)
        returns dX: D x B

    In the reports: report 003 trains with dropout (p = 0.1, Sec. 2, "Dropout"); the reports
    do not derive its gradient.

    Run: ./workbench exercise dropout --python   (hints: ./workbench exercise dropout --hint 1)
    """
    raise NotImplementedError("dropout_backward: not implemented yet")
