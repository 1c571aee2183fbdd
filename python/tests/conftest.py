"""Shared fixtures of the pytest suite: small NumPy functions with right and wrong backward passes."""
import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(7)


@pytest.fixture
def affine(rng):
    """Y = X @ W + b with samples in rows: X (5, 4), W (4, 3), b (3,); its right backward."""
    inputs = {"X": rng.normal(size=(5, 4)), "W": rng.normal(size=(4, 3)), "b": rng.normal(size=3)}

    def forward(X, W, b):
        return X @ W + b

    def backward(G, X, W, b):
        return {"X": G @ W.T, "W": X.T @ G, "b": G.sum(axis=0)}

    return forward, backward, inputs
