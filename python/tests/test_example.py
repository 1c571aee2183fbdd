"""examples/numpy_mlp.py: report 003's NumPy MLP passes, and every planted published error is caught."""
import re
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "numpy_mlp.py"


def test_the_numpy_mlp_example():
    done = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    summary = re.search(r"(\d+) of (\d+) right checks pass; (\d+) of (\d+) planted errors caught", out)
    assert summary and summary.group(1) == summary.group(2) and summary.group(3) == summary.group(4)
    assert int(summary.group(4)) == 6
    for planted in ("report 000 eq. 5: db = 1 for every output", "report 002 eq. 33: dL/dz = softmax(z)",
                    "report 004 Q15: dL/dz summed over the classes", "report 003 eq. 18: y = gamma x_hat - beta"):
        assert re.search(re.escape(planted) + r" \(.*\): vjp, .*: FAIL", out), planted
    assert "ValueError: check_vjp: backward mlp_backward returned 'b1' of shape (6, 10) but input 'b1' has shape (10,)" in out
    assert re.search(r"mlp \(x \(6, 12\), W1 \(10, 12\), b1 \(10,\), W2 \(4, 10\), b2 \(4,\)\): vjp, .*: PASS", out)
    assert "UNEXPECTED" not in out
