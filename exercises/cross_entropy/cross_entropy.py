import numpy as np


def cross_entropy_backward(probs, targets):
    """Exercise cross_entropy: the gradient of cross-entropy with respect to probabilities.

    The forward pass computed, from probabilities P and targets T (one distribution per column,
    usually one-hot),
        L = -(1/B) sum_b sum_c T[c, b] log P[c, b]       (the mean over the batch)
    Return dP = dL/dP, the gradient of this MEAN loss with respect to the probabilities (not
    the logits: softmax is a separate step here).

    Shapes (columns are samples, B of them; 2-D float arrays):
        probs:   C x B    P, for example softmax's output; the grader keeps every entry away from 0
        targets: C x B    T, each column one-hot (or any distribution)
        returns dP: C x B

    In the reports: report 003, eqs. (1)-(2) (one sample) and Question 1.1 c) (the batch).

    Run: ./workbench exercise cross_entropy --python   (hints: ./workbench exercise cross_entropy --hint 1)
    """
    raise NotImplementedError("cross_entropy_backward: not implemented yet")
