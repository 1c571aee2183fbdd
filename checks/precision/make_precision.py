#!/usr/bin/python3
"""The precision study's hard inputs, and PyTorch's float64 results on them.

    /usr/bin/python3 checks/precision/make_precision.py

writes checks/precision/precision_cases.hpp: every case's inputs (as gradlab sees them, features
x samples, column by column) and what PyTorch's float64 forward and autograd backward give on
them, each number as a hexadecimal float literal (exact). The header is committed, so the
precision table (checks/precision/precision_table.cpp) never needs torch; rerun this script
only to change a case. Inputs are written out, not drawn: each is a hard case the ordinary
golden values do not cover (saturated tanh and sigmoid, dominating logits, two samples far
apart in batch norm).
"""
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = pathlib.Path(__file__).resolve().parent / "precision_cases.hpp"


def dy_for(rows, cols):
    return torch.tensor([[0.3 + 0.7 * ((5 * i + 3 * j) % 7) / 7 - 0.45 * ((i + j) % 2)
                          for j in range(cols)] for i in range(rows)])


CASES = []


def case(op, input_text, X, labels=None, extra=None):
    CASES.append((op, input_text, X, labels, extra))


for text, xs in (("x = 0.5, -3", [0.5, -3.0]), ("x = +-8", [8.0, -8.0]), ("x = +-20", [20.0, -20.0])):
    case("tanh", text, torch.tensor([xs]))
for text, xs in (("x = 0.1, -2", [0.1, -2.0]), ("x = +-20", [20.0, -20.0]), ("x = +-40", [40.0, -40.0])):
    case("sigmoid", text, torch.tensor([xs]))
COLUMNS = (("logits -3, 0.5, 2", [-3.0, 0.5, 2.0]),
           ("logits 20, 0, 1", [20.0, 0.0, 1.0]),
           ("logits 1000, 980, 0", [1000.0, 980.0, 0.0]),
           ("logits 1e5, 1e5-20, 1e5-40", [1e5, 1e5 - 20.0, 1e5 - 40.0]))
for op in ("softmax", "log_softmax", "softmax_cross_entropy"):
    for text, column in COLUMNS:
        # two samples: the column, and the same column shifted by one place (another label)
        X = torch.tensor([column, column[1:] + column[:1]]).t().contiguous()
        case(op, text + (", label at the top" if op == "softmax_cross_entropy" else ""), X,
             labels=[column.index(max(column)), 2] if op == "softmax_cross_entropy" else None)
case("batchnorm", "B = 2, the samples 2e3 and 2e6 apart",
     torch.tensor([[1000.0, -1000.0], [1e6 + 0.5, -1e6 + 0.25]]),
     extra={"gamma": [1.5, 0.5], "beta": [0.1, -0.2]})
case("batchnorm", "B = 8, ordinary",
     torch.tensor([[0.37 * ((3 * j + i) % 5) - 0.4 + 0.1 * i for j in range(8)] for i in range(3)]),
     extra={"gamma": [1.5, 0.5, 1.0], "beta": [0.1, -0.2, 0.0]})


TINY = [[1e-300, -1e-300, 3.5, -2.0]]
case("relu", "x = +-1e-300, 3.5, -2", torch.tensor(TINY))
case("leaky_relu", "x = +-1e-300, 3.5, -2 (slope 0.01)", torch.tensor(TINY), extra={"scalar": 0.01})
case("affine", "W X + b with cancelling terms (1e8, -1e8)",
     torch.tensor([[1.0, 1.0], [1e-8, 2.0], [1.0, 1.0 + 2 ** -26]]),
     extra={"A2": [[1e8, 1.0, -1e8], [0.1, 0.2, 0.3]], "v1": [0.5, -0.25]})
case("mse", "Y within 1e-10 of the targets",
     torch.tensor([[0.3 + 1e-10, 0.7], [0.2, 0.1 - 3e-11]]), extra={"A2": [[0.3, 0.7 + 2e-10], [0.2, 0.1]]})
case("nll", "log-probabilities near 0 and -700", torch.tensor([[-1e-12, -700.0], [-27.6, -1e-300]]),
     labels=[0, 1])
case("cross_entropy", "probabilities 1e-12 and near 1", torch.tensor([[1e-12, 0.999999], [0.5, 1e-12]]),
     extra={"A2": [[1.0, 1.0], [0.0, 0.0]]})
case("dropout", "p = 0.1, entries from 1e-300 to 1e8", torch.tensor([[1e-300, 1e8], [-3.0, 0.7]]),
     extra={"A2": [[1.0, 1.0], [0.0, 1.0]], "scalar": 0.1})
case("l2_penalty", "weights from 1e-150 to 1e100 (lambda 1e-4)", torch.tensor([[1e-150, 1e100], [-3.0, 0.5]]),
     extra={"scalar": 1e-4})
case("multiclass_hinge", "scores up to 1e8, margins 2^-26 and 1.5",
     torch.tensor([[1e8, -3.0], [1e8 - 1 + 2 ** -26, 0.5], [1e8 - 5, 1e-300]]), labels=[0, 2])
case("binary_hinge", "margins 2^-40 and 2^-52, scores 1e-300 to 1e8",
     torch.tensor([[1 - 2 ** -40, -1e8, 1e-300, -(1 - 2 ** -52)]]), labels=[1, 0, 1, 0])
case("batchnorm_eval", "running statistics, an input 1e6 from its mean",
     torch.tensor([[1e6, 2.0], [0.5, -0.25]]),
     extra={"gamma": [1.5, 0.5], "beta": [0.1, -0.2], "v1": [3.0, 0.1], "v2": [4.0, 1e-6]})


def run(op, X, labels, extra):
    X = X.clone().requires_grad_(True)
    if op == "softmax_cross_entropy":
        loss = F.cross_entropy(X.t(), torch.tensor(labels))  # samples in rows for torch
        loss.backward()
        return [loss.item()], X.grad, None
    extra = extra or {}
    if op == "multiclass_hinge":  # PyTorch's multi_margin_loss divides by C too: times C
        loss = X.shape[0] * F.multi_margin_loss(X.t(), torch.tensor(labels))
        loss.backward()
        return [loss.item()], X.grad, None
    if op == "binary_hinge":  # labels 0/1 as signs y = 2 labels - 1
        y = 2.0 * torch.tensor(labels, dtype=torch.float64) - 1.0
        loss = torch.clamp(1 - y * X[0], min=0).mean()
        loss.backward()
        return [loss.item()], X.grad, None
    if op in ("mse", "nll", "cross_entropy", "l2_penalty"):
        if op == "mse":
            loss = ((X - torch.tensor(extra["A2"])) ** 2).sum() / X.shape[1]
        elif op == "nll":
            loss = -X[torch.tensor(labels), torch.arange(X.shape[1])].sum() / X.shape[1]
        elif op == "cross_entropy":
            loss = -(torch.tensor(extra["A2"]) * torch.log(X + 1e-10)).sum() / X.shape[1]
        else:
            loss = 0.5 * extra["scalar"] * (X ** 2).sum()
        loss.backward()
        return [loss.item()], X.grad, None
    dY = dy_for(*X.shape)
    if op == "relu":
        Y = torch.relu(X)
    elif op == "leaky_relu":
        Y = F.leaky_relu(X, extra["scalar"])
    elif op == "affine":
        Y = torch.tensor(extra["A2"]) @ X + torch.tensor(extra["v1"]).unsqueeze(1)
        dY = dy_for(*Y.shape)
    elif op == "dropout":
        Y = X * (torch.tensor(extra["A2"]) / (1 - extra["scalar"]))  # torch's F.dropout, its mask given
    elif op == "batchnorm_eval":
        Y = F.batch_norm(X.t(), torch.tensor(extra["v1"]), torch.tensor(extra["v2"]),
                         torch.tensor(extra["gamma"]), torch.tensor(extra["beta"]),
                         training=False, eps=1e-5).t()
    elif op == "tanh":
        Y = torch.tanh(X)
    elif op == "sigmoid":
        Y = torch.sigmoid(X)
    elif op == "softmax":
        Y = torch.softmax(X, dim=0)
    elif op == "log_softmax":
        Y = torch.log_softmax(X, dim=0)
    elif op == "batchnorm":
        gamma = torch.tensor(extra["gamma"])
        beta = torch.tensor(extra["beta"])
        Y = F.batch_norm(X.t(), None, None, gamma, beta, training=True, eps=1e-5).t()
    Y.backward(dY)
    return Y.detach(), X.grad, dY


def hexes(values):
    return "{" + ", ".join(float(v).hex() for v in values) + "}"


def column_major(t):
    return t.t().reshape(-1).tolist()


lines = [
    "// Generated by checks/precision/make_precision.py (PyTorch %s, float64): do not edit." % torch.__version__,
    "// The precision study's cases: inputs as gradlab sees them (features x samples, column-major),",
    "// and PyTorch's forward output and autograd gradient on them (exact hexadecimal literals).",
    "#pragma once",
    "#include <vector>",
    "",
    "namespace gradlab::precision {",
    "",
    "struct Case {",
    "  const char* op;",
    "  const char* input;",
    "  unsigned rows, cols;",
    "  std::vector<double> X, dY;           // dY: the upstream gradient (none for a loss)",
    "  std::vector<unsigned> labels;        // softmax_cross_entropy",
    "  std::vector<double> gamma, beta;     // batchnorm",
    "  std::vector<double> A2;              // W (affine), targets (mse, cross_entropy), keep (dropout)",
    "  unsigned rows2, cols2;               // A2's shape",
    "  std::vector<double> v1, v2;          // b (affine); running mean and variance (batchnorm_eval)",
    "  double scalar;                       // slope (leaky_relu), p (dropout), lambda (l2_penalty)",
    "  std::vector<double> torch_forward;   // Y, or the loss",
    "  std::vector<double> torch_backward;  // dX",
    "};",
    "",
    "inline const std::vector<Case>& cases() {",
    "  static const std::vector<Case> all = {",
]
for op, text, X, labels, extra in CASES:
    forward, grad, dY = run(op, X, labels, extra)
    fwd = forward if isinstance(forward, list) else column_major(forward)
    lines.append("      {\"%s\", \"%s\", %d, %d," % (op, text, X.shape[0], X.shape[1]))
    lines.append("       %s," % hexes(column_major(X)))
    lines.append("       %s," % (hexes(column_major(dY)) if dY is not None else "{}"))
    lines.append("       {%s}," % ", ".join(str(l) for l in (labels or [])))
    extra = extra or {}
    lines.append("       %s, %s," % (hexes(extra["gamma"]) if "gamma" in extra else "{}",
                                      hexes(extra["beta"]) if "beta" in extra else "{}"))
    A2 = torch.tensor(extra["A2"]) if "A2" in extra else None
    lines.append("       %s, %d, %d," % (hexes(column_major(A2)) if A2 is not None else "{}",
                                         A2.shape[0] if A2 is not None else 0, A2.shape[1] if A2 is not None else 0))
    lines.append("       %s, %s, %s," % (hexes(extra["v1"]) if "v1" in extra else "{}",
                                         hexes(extra["v2"]) if "v2" in extra else "{}",
                                         float(extra.get("scalar", 0.0)).hex()))
    lines.append("       %s," % hexes(fwd))
    lines.append("       %s}," % hexes(column_major(grad)))
lines += ["  };", "  return all;", "}", "", "}  // namespace gradlab::precision", ""]
OUT.write_text("\n".join(lines))
print("wrote", OUT, len(CASES), "cases")
