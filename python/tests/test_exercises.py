"""gradlab.exercises: the exercises' grader on NumPy functions, as exercises/grader/runner.py
uses it. Each grade is JSON: status (todo / pass / fail), the diagnosis, a message."""
import json

import numpy as np
import pytest

exercises = pytest.importorskip("gradlab.exercises")


def grade(name, function):
    return json.loads(exercises.grade(name, function))


def test_fifteen_exercises_each_naming_its_function():
    names = exercises.names()
    assert len(names) == 15
    assert exercises.function_of("tanh") == "tanh_backward"
    assert exercises.function_of("momentum") == "momentum_step"


@pytest.mark.parametrize("name", ["relu", "tanh", "affine", "softmax", "batchnorm", "momentum", "network"])
def test_the_reference_ops_pass(name):
    g = json.loads(exercises.grade_reference(name))
    assert g["status"] == "pass", g["message"]


def test_a_right_numpy_answer_passes():
    g = grade("tanh", lambda dY, Y: dY * (1 - Y ** 2))
    assert g["status"] == "pass", g["message"]
    assert g["max_rel_error"] < 1e-6


def test_a_sign_mistake_is_diagnosed_as_sign():
    g = grade("tanh", lambda dY, Y: dY * (Y ** 2 - 1))
    assert (g["status"], g["diagnosis"]) == ("fail", "sign")
    assert "Worst entry dX" in g["message"]


def test_the_batch_mean_applied_twice_is_a_scale_of_one_over_b():
    g = grade("mse", lambda Y, T: 2 * (Y - T) / Y.shape[1] ** 2)
    assert (g["status"], g["diagnosis"]) == ("fail", "scale")
    assert "c = 0.2" in g["message"]


def test_an_untouched_function_is_todo():
    def untouched(dY, Y):
        raise NotImplementedError("tanh_backward: not implemented yet")
    assert grade("tanh", untouched)["status"] == "todo"


def test_a_tuple_of_the_wrong_length_a_3d_array_and_nan_each_have_their_problem():
    assert grade("affine", lambda dY, W, X: (dY, W))["problem"] == "wrong shape"
    assert grade("mse", lambda Y, T: np.zeros((2, 2, 2)))["problem"] == "wrong shape"
    assert grade("relu", lambda dY, X: dY * np.nan)["problem"] == "not finite"


def test_an_exception_is_reported_with_its_type_and_message():
    def broken(dY, X):
        raise ValueError("lost my way")
    g = grade("relu", broken)
    assert g["problem"] == "threw"
    assert "ValueError: lost my way" in g["message"]


def test_an_unknown_exercise_is_a_value_error():
    with pytest.raises(ValueError, match="no exercise 'nosuch'"):
        exercises.grade("nosuch", lambda: None)
