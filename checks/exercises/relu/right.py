# A correct answer: dX = dY * 1[X > 0] (report 003, eq. 5; 0 at X = 0).
import numpy as np


def relu_backward(dY, X):
    return dY * (X > 0)
