import numpy as np


def momentum_step(W, V, dW, lr, momentum):
    """Exercise momentum: one step of SGD with (heavy-ball) momentum.

    Momentum keeps a velocity V, one entry per weight, that starts at 0 and accumulates past
    gradients, each step's older part shrunk by the factor momentum (mu). One step, given the
    gradient dW of this step, is
        V = mu V + dW
        W = W - lr V
    Perform that step and return the new values as the tuple (W, V). (The C++ version updates
    W and V in place; here, return them.)

    Shapes: W, V and dW are 2-D float arrays, all the shape of the weight matrix (any, say
    M x D). lr > 0 and 0 <= momentum < 1 are Python floats.

    The classical form u = mu u - lr dW, W = W + u (the learning rate inside the velocity)
    gives the same W at every step while lr is constant, and is accepted too: the grader calls
    your function for several steps, passing back the V you returned, and compares W.

    In the reports: report 002, Sec. 2.3 and report 000, Sec. IV train with momentum SGD;
    neither prints the update rule.

    Run: ./workbench exercise momentum --python   (hints: ./workbench exercise momentum --hint 1)
    """
    raise NotImplementedError("momentum_step: not implemented yet")
