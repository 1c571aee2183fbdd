"""The checks on Python callables: each passes a right backward and fails a wrong one, whatever
the arrays' shapes; the reports name tensors, shapes and elements in NumPy's terms."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import gradlab

CHECKS = [gradlab.check_vjp, gradlab.check_jacobian, gradlab.check_directional]


def test_version_is_the_projects():
    cmake = (Path(__file__).resolve().parents[2] / "CMakeLists.txt").read_text()
    version = re.search(r"project\(gradlab VERSION ([0-9.]+)", cmake).group(1)
    assert gradlab.__version__ == version


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_a_right_backward_passes(check, affine):
    forward, backward, inputs = affine
    report = check(forward, backward, inputs)
    assert report.verdict == "PASS", report
    assert report.ok
    assert report.contract.holds
    assert all(t.failed == 0 and t.verdict == "PASS" for t in report.tensors)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_a_wrong_backward_fails(check, affine):
    forward, _, inputs = affine

    def backward_wrong_scale(G, X, W, b):  # dX off by a factor 1.5
        return {"X": G @ W.T * 1.5, "W": X.T @ G, "b": G.sum(axis=0)}

    report = check(forward, backward_wrong_scale, inputs)
    assert report.verdict == "FAIL"
    assert not report.ok
    failed = [t.name for t in report.tensors if t.verdict == "FAIL"]
    if check is gradlab.check_directional:
        assert failed == ["directions"]
    else:
        assert failed == ([("J[X]" if check is gradlab.check_jacobian else "dX")])


def test_the_taylor_test_passes_right_and_fails_wrong(rng):
    inputs = {"X": rng.normal(size=(3, 4))}

    def forward(X):
        return np.tanh(X)

    def right(G, X):
        return {"X": G * (1 - np.tanh(X) ** 2)}

    def wrong(G, X):
        return {"X": G * (1 - np.tanh(X))}

    good = gradlab.taylor_test(forward, right, inputs)
    bad = gradlab.taylor_test(forward, wrong, inputs)
    assert good.verdict == "PASS" and good.ok and good.slope > 1.5
    assert bad.verdict == "FAIL" and not bad.ok and bad.slope < 1.5
    assert len(good.points) == 13 and any(p.fitted for p in good.points)
    assert good.label == "forward" and good.shapes == "X (3, 4)"
    assert "second order" in good.note and "first order" in bad.note
    assert "taylor_test of forward (X (3, 4)): PASS" in repr(good)
    assert json.loads(bad.to_json())["verdict"] == "FAIL"


@pytest.mark.parametrize("shape", [(), (6,), (3, 4), (2, 3, 2)], ids=str)
def test_any_shape_is_checked_element_by_element(shape, rng):
    x = rng.normal(size=shape)
    report = gradlab.check_vjp(lambda x: np.sin(x) * 2.0, lambda G, x: {"x": G * 2.0 * np.cos(x)}, {"x": x})
    assert report.verdict == "PASS"
    assert report.tensors[0].shape == shape
    assert report.tensors[0].checked == x.size


@pytest.mark.parametrize("shape,index", [((7,), (5,)), ((3, 4), (2, 1)), ((4, 3), (0, 2)), ((2, 3, 2), (1, 0, 1))],
                         ids=str)
def test_the_worst_element_is_the_users_element(shape, index, rng):
    """One wrong element: the report names its index in the array's own shape (NumPy's order)."""
    x = rng.normal(size=shape)

    seen = {}

    def backward(G, x):
        seen.setdefault("G", np.array(G))  # the first call gets the check's G
        g = G * np.exp(x)
        g[index] *= 3.0
        return {"x": g}

    report = gradlab.check_vjp(lambda x: np.exp(x), backward, {"x": x})
    t = report.tensors[0]
    assert (t.failed, t.passed) == (1, x.size - 1)
    assert t.worst_index == index
    # phi = sum(G * exp(x)), so the derivative at that element is G[index] exp(x[index]).
    assert t.worst_numeric == pytest.approx(seen["G"][index] * np.exp(x[index]), rel=1e-6)
    assert t.worst_analytic == pytest.approx(3.0 * t.worst_numeric, rel=1e-6)


def test_the_jacobian_rows_are_outputs_and_columns_inputs_in_c_order(rng):
    W = rng.normal(size=(2, 3))  # Y = W @ x for x (3,): J = W
    x = rng.normal(size=3)

    def backward(G, x):
        return {"x": W.T @ G}

    def wrong(G, x):
        Wb = W.copy()
        Wb[1, 2] += 1.0
        return {"x": Wb.T @ G}

    right = gradlab.check_jacobian(lambda x: W @ x, backward, {"x": x})
    assert right.verdict == "PASS" and right.tensors[0].shape == (2, 3) and right.tensors[0].name == "J[x]"
    bad = gradlab.check_jacobian(lambda x: W @ x, wrong, {"x": x})
    t = bad.tensors[0]
    assert (t.failed, t.worst_index) == (1, (1, 2))
    assert t.worst_numeric == pytest.approx(W[1, 2], rel=1e-8)
    assert t.worst_analytic == pytest.approx(W[1, 2] + 1.0, rel=1e-8)


def test_a_scalar_loss_may_be_a_float(rng):
    X = rng.normal(size=(4, 2))
    report = gradlab.check_vjp(lambda X: float(np.sum(X ** 2)), lambda G, X: {"X": 2.0 * G * X}, {"X": X})
    assert report.verdict == "PASS"


def test_the_callers_arrays_are_never_touched_and_forward_sees_read_only_arrays(affine):
    forward, backward, inputs = affine
    before = {k: v.copy() for k, v in inputs.items()}
    seen = []

    def watching_forward(X, W, b):
        seen.append(X.flags.writeable)
        return forward(X, W, b)

    gradlab.check_vjp(watching_forward, backward, inputs)
    assert all(np.array_equal(before[k], inputs[k]) for k in inputs)
    assert seen and not any(seen)

    def writing_forward(X, W, b):
        X[0, 0] = 1.0
        return forward(X, W, b)

    with pytest.raises(ValueError, match="read-only"):
        gradlab.check_vjp(writing_forward, backward, inputs)


def test_the_contract_catches_accumulation_and_nonlinearity(rng):
    x = rng.normal(size=(3, 2))
    total = {"x": np.zeros_like(x)}

    def accumulating(G, x):
        total["x"] = total["x"] + G * np.cos(x)
        return {"x": total["x"].copy()}

    report = gradlab.check_vjp(lambda x: np.sin(x), lambda G, x: {"x": np.abs(G) * np.cos(x)}, {"x": x})
    assert report.verdict == "FAIL" and not report.contract.linear
    assert "not linear" in report.contract.problem
    report = gradlab.check_vjp(lambda x: np.sin(x), accumulating, {"x": x})
    assert report.verdict == "FAIL" and not report.contract.repeatable
    assert "contract: BROKEN" in repr(report)


def test_non_finite_gradients_fail_the_contract(rng):
    x = rng.normal(size=4)
    report = gradlab.check_vjp(lambda x: np.exp(x), lambda G, x: {"x": np.full_like(x, np.nan)}, {"x": x})
    assert report.verdict == "FAIL" and not report.contract.assigned
    assert json.loads(report.to_json())["tensors"][0]["max_abs_error"] is None  # inf -> null


def test_kinks_are_reported_at_relus_corner():
    x = np.array([[-1.0, 0.0], [0.0, 2.0]])
    report = gradlab.check_vjp(lambda x: np.maximum(x, 0), lambda G, x: {"x": G * (x > 0)}, {"x": x})
    assert report.verdict == "KINK" and report.ok
    assert report.tensors[0].kinks == 2


def test_options_reach_the_checker(affine):
    forward, backward, inputs = affine
    r = gradlab.check_vjp(forward, backward, inputs, scheme="forward", seed=3, label="affine")
    assert (r.scheme, r.step, r.atol, r.rtol, r.seed, r.label) == ("forward", 1e-8, 1e-7, 1e-4, 3, "affine")
    r = gradlab.check_vjp(forward, backward, inputs, step=1e-4, atol=1e-8)
    assert (r.scheme, r.step, r.atol, r.rtol) == ("central", 1e-4, 1e-8, 1e-6)
    r = gradlab.check_directional(forward, backward, inputs, directions=3)
    assert r.tensors[0].shape == (3,) and r.tensors[0].checked == 3
    # A tolerance so tight that rounding fails right gradients: the option is used, and the
    # checker calls those elements inconclusive (within the numeric value's own error).
    r = gradlab.check_vjp(forward, backward, inputs, atol=0.0, rtol=1e-15)
    assert r.verdict == "INCONCLUSIVE" and not r.ok
    assert all(t.inconclusive > 0 and t.inconclusive_reason == "rounding noise" for t in r.tensors)
    assert "^ dX: inconclusive_reason: rounding noise" in repr(r)
    with pytest.raises(ValueError, match="check_vjp: batch = 0 must be positive"):
        gradlab.check_vjp(forward, backward, inputs, batch=0)


def test_the_report_reads_as_a_table_and_as_json(affine):
    forward, backward, inputs = affine
    report = gradlab.check_vjp(forward, backward, inputs)
    text = repr(report)
    assert text.startswith("forward (X (5, 4), W (4, 3), b (3,)): vjp, central differences at step 1.0e-05")
    for column in ("name", "shape", "checked", "max_rel_error", "worst_index", "worst_analytic", "verdict"):
        assert column in text
    assert re.search(r"dW\s+\(4, 3\)\s+12\s+12\s+0\s+0", text)
    assert "contract: holds" in text
    data = json.loads(report.to_json(indent=2))
    assert data["verdict"] == "PASS" and data["method"] == "vjp" and data["contract"]["holds"]
    assert [t["name"] for t in data["tensors"]] == ["dX", "dW", "db"]
    assert data["tensors"][2]["shape"] == [3]
    # Every attribute of a tensor's report is in its JSON, and the other way round.
    t = report.tensors[1]
    assert set(data["tensors"][1]) == {a for a in dir(t) if not a.startswith("_") and a not in ("to_dict", "to_json")}
    assert report.to_dict()["tensors"][1]["worst_index"] == t.worst_index


def test_a_failing_tensor_carries_its_diagnosis(affine):
    forward, backward, inputs = affine

    def sign_error(G, X, W, b):
        grads = backward(G, X, W, b)
        return {**grads, "X": -grads["X"]}

    report = gradlab.check_vjp(forward, sign_error, inputs)
    dX, dW = report.tensors[0], report.tensors[1]
    assert dW.diagnosis is None
    assert dX.diagnosis.pattern == "sign" and dX.diagnosis.constant == pytest.approx(-1.0)
    assert dX.diagnosis.explained == 1.0
    assert "^ dX: diagnosis: sign: analytic = -numeric" in repr(report)
    data = json.loads(report.to_json())
    assert data["tensors"][0]["diagnosis"]["pattern"] == "sign" and data["tensors"][1]["diagnosis"] is None


def test_a_transposed_gradient_is_diagnosed_as_a_transpose(rng):
    """NumPy's orientation keeps a transpose a transpose: W.T's gradient where W's belongs."""
    X, W = rng.normal(size=(6, 4)), rng.normal(size=(4, 4))
    report = gradlab.check_vjp(lambda X, W: X @ W, lambda G, X, W: {"X": G @ W.T, "W": (X.T @ G).T},
                               {"X": X, "W": W})
    assert [t.verdict for t in report.tensors] == ["PASS", "FAIL"]
    assert report.tensors[1].diagnosis.pattern == "transpose"


def test_the_batch_mean_is_named_for_a_loss_given_its_batch(rng):
    """A mean loss whose backward forgets the 1/B: 'scale' with c = B, named when batch is given."""
    T = np.eye(3)[[0, 1, 2, 0, 1]]
    Z = rng.normal(size=(5, 3))

    def loss(Z):
        return float(np.sum((Z - T) ** 2) / 5)

    def backward_without_mean(G, Z):
        return {"Z": G * 2 * (Z - T)}

    named = gradlab.check_vjp(loss, backward_without_mean, {"Z": Z}, batch=5).tensors[0].diagnosis
    assert named.pattern == "scale" and named.constant == pytest.approx(5.0)
    assert "= B (B = 5): the batch mean never applied" in named.summary
    unnamed = gradlab.check_vjp(loss, backward_without_mean, {"Z": Z}).tensors[0].diagnosis
    assert unnamed.pattern == "scale" and "B = 5" not in unnamed.summary


def test_a_directional_check_states_what_it_certifies(affine):
    forward, backward, inputs = affine
    directional = gradlab.check_directional(forward, backward, inputs, directions=8)
    assert 0 < directional.certified_error < 1e-4
    assert "8 random directions catch a gradient error of relative size >=" in repr(directional)
    vjp = gradlab.check_vjp(forward, backward, inputs)
    assert np.isnan(vjp.certified_error) and json.loads(vjp.to_json())["certified_error"] is None
