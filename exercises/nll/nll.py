import numpy as np


def nll_backward(logprobs, labels):
    """Exercise nll: the gradient of the negative log-likelihood on log-probabilities.

    The forward pass took log-probabilities (for example the output of log-softmax) and class
    labels y (one per sample) and computed
        L = -(1/B) sum_b logprobs[y_b, b]              (the mean over the batch)
    Return dlogprobs = dL/dlogprobs, the gradient of this MEAN loss with respect to the
    log-probabilities (not the logits: log-softmax is a separate step).

    Shapes (columns are samples, B of them):
        logprobs: C x B    2-D float array, the log-probabilities
        labels:   B        1-D integer array, the class index of each sample, in [0, C)
        returns dlogprobs: C x B

    In the reports: report 000, Sec. III-D and report 002, eq. (9) use "NLL" for the loss on
    logits, softmax included; here the input is already a log-probability (PyTorch's
    nll_loss).

    Run: ./workbench exercise nll --python   (hints: ./workbench exercise nll --hint 1)
    """
    raise NotImplementedError("nll_backward: not implemented yet")
