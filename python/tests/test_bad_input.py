"""Bad input to the checks and the ops raises TypeError or ValueError naming the function, the
tensor and the shapes; exceptions inside the user's functions propagate with their traceback;
nothing crashes the interpreter."""
import subprocess
import sys
import traceback

import numpy as np
import pytest

import gradlab

CHECKS = [gradlab.check_vjp, gradlab.check_jacobian, gradlab.check_directional, gradlab.taylor_test]
check_ids = [c.__name__ for c in CHECKS]


@pytest.mark.parametrize("check", CHECKS, ids=check_ids)
def test_a_gradient_of_the_wrong_shape(check, affine):
    forward, _, inputs = affine

    def per_sample_bias(G, X, W, b):  # report 001's eq. 9: db = dY, not summed over the batch
        return {"X": G @ W.T, "W": X.T @ G, "b": G}

    with pytest.raises(ValueError) as e:
        check(forward, per_sample_bias, inputs)
    message = str(e.value)
    assert message.startswith(check.__name__ + ": backward per_sample_bias")
    assert "'b' of shape (5, 3) but input 'b' has shape (3,)" in message


@pytest.mark.parametrize("check", CHECKS, ids=check_ids)
def test_a_forward_whose_shape_changes(check, rng):
    calls = []

    def unstable(x):
        calls.append(1)
        return np.sin(x) if len(calls) < 3 else np.sin(x)[:2]

    with pytest.raises(ValueError, match=check.__name__ + r": forward .*unstable returned shape \(2,\), "
                                         r"but \(3,\) on its first call"):
        check(unstable, lambda G, x: {"x": G * np.cos(x)}, {"x": rng.normal(size=3)})


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs(value, rng):
    W = rng.normal(size=(3, 4))
    W[1, 2] = value
    with pytest.raises(ValueError, match=r"check_vjp: input 'W' of shape \(3, 4\) has 1 non-finite values "
                                         r"\(the first at \(1, 2\)\)"):
        gradlab.check_vjp(lambda W: W * 2, lambda G, W: {"W": 2 * G}, {"W": W})


def test_a_non_finite_forward(rng):
    x = rng.normal(size=(2, 2))
    with pytest.raises(ValueError, match=r"check_vjp: forward <lambda> returned 2 non-finite values at the given "
                                         r"inputs \(the first at index \(0, 1\) of its shape \(2, 2\)\)"):
        gradlab.check_vjp(lambda x: x * np.array([[1, np.inf], [np.nan, 1]]), lambda G, x: {"x": G}, {"x": x})


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.int32, np.bool_, np.complex128])
def test_inputs_of_another_dtype_are_refused(dtype):
    x = np.ones((2, 3), dtype=dtype)
    with pytest.raises(TypeError) as e:
        gradlab.check_vjp(lambda x: x, lambda G, x: {"x": G}, {"x": x})
    message = str(e.value)
    assert message.startswith("check_vjp: input 'x' is " + np.dtype(dtype).name + ", not float64")
    assert "gradient checks need float64" in message and ".astype(numpy.float64)" in message


def test_float32_is_refused_with_the_reason():
    with pytest.raises(TypeError, match=r"2e-11 in float64 but 1e-2 in float32"):
        gradlab.check_vjp(lambda x: x, lambda G, x: {"x": G}, {"x": np.ones(3, dtype=np.float32)})


def test_a_float32_gradient_or_output_is_refused(rng):
    x = rng.normal(size=3)
    with pytest.raises(TypeError, match=r"check_vjp: gradient 'x' from backward <lambda> is float32"):
        gradlab.check_vjp(lambda x: x * 2, lambda G, x: {"x": (2 * G).astype(np.float32)}, {"x": x})
    with pytest.raises(TypeError, match=r"check_vjp: the result of forward <lambda> is float32"):
        gradlab.check_vjp(lambda x: x.astype(np.float32), lambda G, x: {"x": G}, {"x": x})


def test_a_forward_that_returns_no_array(rng):
    x = {"x": rng.normal(size=2)}
    with pytest.raises(TypeError, match=r"check_vjp: the result of forward <lambda> is a list, not an array of numbers"):
        gradlab.check_vjp(lambda x: [[1.0], [1.0, 2.0]], lambda G, x: {"x": G}, x)
    with pytest.raises(TypeError, match=r"the result of forward <lambda> is object \(converted from a NoneType\)"):
        gradlab.check_vjp(lambda x: None, lambda G, x: {"x": G}, x)


def test_a_list_of_floats_is_an_array_but_a_list_of_ints_is_refused():
    report = gradlab.check_vjp(lambda x: x * 3, lambda G, x: {"x": 3 * G}, {"x": [1.0, 2.0]})
    assert report.verdict == "PASS"
    with pytest.raises(TypeError, match=r"input 'x' is int64 \(converted from a list\), not float64"):
        gradlab.check_vjp(lambda x: x, lambda G, x: {"x": G}, {"x": [1, 2]})


@pytest.mark.parametrize("check", CHECKS, ids=check_ids)
def test_a_backward_with_the_wrong_keys(check, affine):
    forward, backward, inputs = affine

    def misnamed(G, X, W, b):
        grads = backward(G, X, W, b)
        return {"x": grads["X"], "W": grads["W"], "b": grads["b"], "extra": grads["b"]}

    with pytest.raises(ValueError) as e:
        check(forward, misnamed, inputs)
    assert str(e.value) == (check.__name__ + ": backward misnamed returned the wrong keys: missing 'X'; "
                            "unexpected 'extra', 'x' (the inputs are ['X', 'W', 'b'])")

    def partial(G, X, W, b):
        return {"W": X.T @ G}

    with pytest.raises(ValueError, match="missing 'X', 'b'"):
        check(forward, partial, inputs)


def test_a_backward_that_returns_no_dict(affine):
    forward, backward, inputs = affine
    with pytest.raises(TypeError, match=r"check_vjp: backward <lambda> returned a tuple; it must return a dict"):
        gradlab.check_vjp(forward, lambda G, X, W, b: tuple(backward(G, X, W, b).values()), inputs)


def test_inputs_that_are_not_a_dict_of_named_arrays(affine):
    forward, backward, inputs = affine
    with pytest.raises(TypeError, match="check_vjp: the inputs must be a dict of named float64 arrays, not a list"):
        gradlab.check_vjp(forward, backward, list(inputs.values()))
    with pytest.raises(ValueError, match="check_vjp: the inputs dict is empty"):
        gradlab.check_vjp(forward, backward, {})
    with pytest.raises(TypeError, match="check_vjp: input names must be strings, not 3"):
        gradlab.check_vjp(forward, backward, {3: inputs["X"]})
    with pytest.raises(ValueError, match=r"check_vjp: input 'e' is empty \(shape \(0, 2\)\)"):
        gradlab.check_vjp(forward, backward, {"e": np.zeros((0, 2))})
    with pytest.raises(TypeError, match=r"check_vjp: input 's' is <U3 \(converted from a str\), not float64"):
        gradlab.check_vjp(forward, backward, {"s": "abc"})
    with pytest.raises(TypeError, match="check_vjp: backward must be callable, not a int"):
        gradlab.check_vjp(forward, 3, inputs)


def test_bad_options(affine):
    forward, backward, inputs = affine
    with pytest.raises(ValueError, match="check_vjp: scheme 'backward' is neither 'central' nor 'forward'"):
        gradlab.check_vjp(forward, backward, inputs, scheme="backward")
    with pytest.raises(ValueError, match=r"check_vjp: step 2.0 is outside \(0, 1\)"):
        gradlab.check_vjp(forward, backward, inputs, step=2.0)
    with pytest.raises(ValueError, match="check_jacobian: atol -1.0 and rtol 1e-06"):
        gradlab.check_jacobian(forward, backward, inputs, atol=-1.0)
    with pytest.raises(ValueError, match="check_directional: directions = 0 must be positive"):
        gradlab.check_directional(forward, backward, inputs, directions=0)
    # The library's own argument checks arrive as ValueError too.
    with pytest.raises(ValueError, match="taylor_test: needs 0 < h_min < h_max"):
        gradlab.taylor_test(forward, backward, inputs, h_min=1.0, h_max=0.1)
    with pytest.raises(TypeError):
        gradlab.check_vjp(forward, backward, inputs, step="small")


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("where", ["forward", "backward"])
@pytest.mark.parametrize("check", CHECKS, ids=check_ids)
def test_an_exception_in_a_callback_propagates_with_its_traceback(check, where, rng):
    calls = []

    def exploding_forward(x):
        calls.append(1)
        if where == "forward" and len(calls) == 3:
            raise Boom("forward gave up")
        return np.sin(x)

    def exploding_backward(G, x):
        if where == "backward":
            raise Boom("backward gave up")
        return {"x": G * np.cos(x)}

    with pytest.raises(Boom, match=where + " gave up") as e:
        check(exploding_forward, exploding_backward, {"x": rng.normal(size=4)})
    frames = [frame.name for frame in traceback.extract_tb(e.value.__traceback__)]
    assert "exploding_" + where in frames


def test_keyboard_interrupt_in_a_callback_stops_the_check(rng):
    def interrupted(x):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        gradlab.check_vjp(interrupted, lambda G, x: {"x": G}, {"x": rng.normal(size=2)})


@pytest.mark.parametrize("call,message", [
    (lambda: gradlab.ops.affine_forward(np.ones((4, 3)), np.ones(3), np.ones((5, 2))),
     r"affine_forward: X has shape \(5, 2\) and W has shape \(4, 3\): X @ W needs X.shape\[-1\] == W.shape\[0\]"),
    (lambda: gradlab.ops.affine_forward(np.ones((4, 3)), np.ones(2), np.ones((5, 4))),
     r"affine_forward: b has shape \(2,\) but W has shape \(4, 3\): one bias per column of W"),
    (lambda: gradlab.ops.affine_backward(np.ones((5, 2)), np.ones((4, 3)), np.ones((5, 4))),
     r"affine_backward: dY has shape \(5, 2\) but X @ W has shape \(5, 3\)"),
    (lambda: gradlab.ops.relu_backward(np.ones((2, 3)), np.ones((3, 2))),
     r"relu_backward: dY has shape \(2, 3\) but X has shape \(3, 2\) \(they must have the same shape\)"),
    (lambda: gradlab.ops.mse_forward(np.ones((2, 3)), np.ones(6)),
     r"mse_forward: Y has shape \(2, 3\) but targets has shape \(6,\)"),
    (lambda: gradlab.ops.softmax_cross_entropy_forward(np.ones((4, 3)), np.array([0, 1, 2])),
     r"softmax_cross_entropy_forward: labels has 3 entries but logits has shape \(4, 3\) \(one label per sample\)"),
    (lambda: gradlab.ops.nll_forward(np.ones((2, 3)), np.array([0, 3])),
     r"nll_forward: label 3 at index 1 is out of range for 3 classes"),
    (lambda: gradlab.ops.nll_forward(np.ones((2, 3)), np.array([0, -1])),
     r"nll_forward: label -1 at index 1 is out of range for 3 classes"),
    (lambda: gradlab.ops.batchnorm_forward(np.ones((1, 3)), np.ones(3), np.ones(3)),
     r"batchnorm_forward: X has shape \(1, 3\): training mode needs a batch of at least 2 rows"),
    (lambda: gradlab.ops.batchnorm_forward(np.ones((4, 3)), np.ones(2), np.ones(3)),
     r"batchnorm_forward: gamma has shape \(2,\) but X has shape \(4, 3\): one entry per column"),
    (lambda: gradlab.ops.batchnorm_backward(np.ones((4, 2)), np.ones(3), gradlab.ops.batchnorm_forward(
        np.arange(12.0).reshape(4, 3), np.ones(3), np.zeros(3))[1]),
     r"batchnorm_backward: dY has shape \(4, 2\) but the cache's x_hat has shape \(4, 3\)"),
    (lambda: gradlab.ops.softmax_forward(np.ones((0, 3))), r"softmax_forward: logits is empty \(shape \(0, 3\)\)"),
    (lambda: gradlab.ops.log_softmax_forward(np.ones((2, 0))), r"log_softmax_forward: logits is empty"),
    (lambda: gradlab.ops.dropout_forward(np.ones(3), 1.0, 1), r"dropout_forward: p = 1.0+ is outside \[0, 1\)"),
    (lambda: gradlab.ops.l2_penalty_forward(np.ones(3), -1.0), r"l2_penalty_forward"),
])
def test_ops_name_the_op_the_argument_and_numpys_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_ops_refuse_other_dtypes():
    with pytest.raises(TypeError, match=r"relu_forward: X is float32, not float64; gradlab's ops compute in float64"):
        gradlab.ops.relu_forward(np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match=r"nll_forward: labels has dtype float64; labels are integer class indices"):
        gradlab.ops.nll_forward(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(TypeError):
        gradlab.ops.batchnorm_backward(np.ones((2, 3)), np.ones(3), "not a cache")


def test_nothing_here_crashes_the_interpreter():
    """Every bad call above, in a fresh interpreter: it ends normally (exit 0), never by a signal."""
    script = (
        "import numpy as np, gradlab\n"
        "bad = [lambda: gradlab.check_vjp(lambda x: x, lambda G, x: {'x': G[:1]}, {'x': np.ones(3)}),\n"
        "       lambda: gradlab.check_vjp(lambda x: None, lambda G, x: {}, {'x': np.ones(3)}),\n"
        "       lambda: gradlab.check_vjp(lambda x: x, lambda G, x: 1 / 0, {'x': np.ones(3)}),\n"
        "       lambda: gradlab.ops.affine_forward(np.ones(3), np.ones(3), np.ones(3)),\n"
        "       lambda: gradlab.TensorReport()]\n"
        "for call in bad:\n"
        "    try:\n"
        "        call()\n"
        "    except (TypeError, ValueError, ZeroDivisionError):\n"
        "        pass\n"
        "print('survived')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "survived"
