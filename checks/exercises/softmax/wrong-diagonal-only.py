# expect: missing_term  only the diagonal of the Jacobian is used, dZ = Y * dY: the -s <s, dY> term is missing
import numpy as np


def softmax_backward(dY, Y):
    return Y * dY
