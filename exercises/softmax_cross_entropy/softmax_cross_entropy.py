import numpy as np


def softmax_cross_entropy_backward(probs, labels):
    """Exercise softmax_cross_entropy: the gradient of softmax and cross-entropy together.

    The forward pass computed, from logits Z (C x B) and class labels y (one per sample),
        probs = softmax(Z)                                  (each column on its own)
        L = -(1/B) sum_b log probs[y_b, b]                  (the mean over the batch)
    Return dZ = dL/dZ, the gradient with respect to the logits, of this MEAN loss.

    Shapes (columns are samples, B of them):
        probs:  C x B    2-D float array, softmax(Z); each column sums to 1
        labels: B        1-D integer array, the class index of each sample, in [0, C)
        returns dZ: C x B

    In the reports: report 004, Q14 (the loss written with the logits) and Q15 (its gradient
    for one sample); report 003, Question 1.1 c) for the mean over the batch.

    Run: ./workbench exercise softmax_cross_entropy --python
         (hints: ./workbench exercise softmax_cross_entropy --hint 1)
    """
    raise NotImplementedError("softmax_cross_entropy_backward: not implemented yet")
