#!/usr/bin/python3
"""The PyTorch side of `./workbench bench --compare`.

Times exactly what bench-training and bench-gradcheck time, with PyTorch on the CPU (Debian's
python3-torch, run with /usr/bin/python3):

  training   one step -- forward, cross-entropy, backward, momentum SGD update (lr 0.01,
             momentum 0.9, zero_grad(set_to_none=True)) -- of the ReLU networks 784-100-100-10
             and 784-200-150-100-50-25-10-10 at batch 1, 5, 32, 64, 256 and 1000, in float64 and
             float32, on 1, 2, 4, 8, ... threads up to the cores this process may use, as
             bench-training sweeps them (torch.set_num_threads and OpenBLAS's own count, which
             torch does not set, both set to the row's count; OMP_WAIT_POLICY=PASSIVE unless
             set, see below);
  conv       one F.conv2d forward and its backward (dX, dW, db by torch.autograd.grad with a
             fixed upstream gradient), 3x3 kernels with padding 1, float64, batch 64, on the
             layers bench-conv times (3 -> 32 channels at 32x32, 32 -> 64 at 16x16, 64 -> 128
             at 8x8), on the same thread counts as the training rows;
  gradcheck  torch.autograd.gradcheck of the 784-100-10 tanh network with cross-entropy at
             batch 8, float64, X and every parameter requiring grad (85 782 numbers), with
             fast_mode off (every number perturbed) and on (one random direction).

Writes one JSON file (--out) that bench-plot reads beside gradlab's Google Benchmark JSON:
  {"torch": version, "blas": torch's BLAS, "cores": the cores used,
   "training": [{"arch", "batch", "threads", "dtype", "time_s", "cpu_s",
   "samples_per_s", "iterations"}], "conv": [{"layer", "batch", "threads", "dtype", "time_s",
   "cpu_s", "images_per_s", "iterations"}], "gradcheck": [{"name", "fast_mode", "threads",
   "time_s", "cpu_s", "iterations", "passed", "checked"}]}
Exits 3 when torch cannot be imported (the caller prints the skip line).

  /usr/bin/python3 benchmarks/reference/torch_reference.py --task training --out FILE
  options: --task training|conv|gradcheck|all, --quick (fewer rows, shorter timing), --min-time S,
           --threads 1,2,4 (the thread counts of the training rows)
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import re
import sys
import time

# torch's OpenMP threads spin after each parallel region by default; beside OpenBLAS's own
# threads (which do the float64 products) that oversubscribes a 2-core machine, and a 2-thread
# step runs many times slower than a 1-thread one (docs/studies/performance.md has the
# measurement). Passive waiting removes that (set it yourself to override). Must be set before
# torch loads libgomp.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the caller checks this first; say it plainly anyway
    print(f"torch_reference: PyTorch is not available ({e})", file=sys.stderr)
    sys.exit(3)

ARCHS = {
    "784-100-100-10": [784, 100, 100, 10],
    "784-200-150-100-50-25-10-10": [784, 200, 150, 100, 50, 25, 10, 10],
}
BATCHES = [1, 5, 32, 64, 256, 1000]


def openblas():
    """OpenBLAS as torch loaded it (Debian's torch calls the system BLAS), or None."""
    for name in ("libblas.so.3", ctypes.util.find_library("openblas") or ""):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_set_num_threads  # raises AttributeError when absent
            return lib
        except (OSError, AttributeError):
            continue
    return None


BLAS = openblas()


def cores():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def thread_counts(n):
    """1, 2, 4, 8, ... below n, and n: the counts bench-training sweeps (bench::thread_counts)."""
    counts, c = [], 1
    while c < n:
        counts.append(c)
        c *= 2
    return counts + [max(1, n)]


def torch_blas():
    """The BLAS torch was built with (BLAS_INFO in torch.__config__.show()), and OpenBLAS's core
    when torch calls the system's BLAS (not with MKL, which torch then calls instead)."""
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    info = found.group(1) if found else ""
    if BLAS is not None and "mkl" not in info.lower():  # torch calls this OpenBLAS
        try:
            BLAS.openblas_get_corename.restype = ctypes.c_char_p
            info += f" (OpenBLAS core {BLAS.openblas_get_corename().decode()})"
        except AttributeError:
            pass
    return info


def set_threads(n):
    torch.set_num_threads(n)
    if BLAS is not None:
        BLAS.openblas_set_num_threads(n)


def timed(step, min_time):
    """Seconds per call (wall and this thread's CPU), Google Benchmark's way: grow the
    iteration count until one timed run lasts at least min_time."""
    for _ in range(3):  # warm up: first calls allocate
        step()
    iterations = 1
    while True:
        w0, c0 = time.perf_counter(), time.thread_time()
        for _ in range(iterations):
            step()
        wall, cpu = time.perf_counter() - w0, time.thread_time() - c0
        if wall >= min_time or iterations >= 10**7:
            return wall / iterations, cpu / iterations, iterations
        iterations = max(iterations + 1, int(iterations * min(10.0, 1.4 * min_time / max(wall, 1e-9))))


def mlp(sizes, dtype, activation=torch.nn.ReLU):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=dtype))
        if i + 2 < len(sizes):
            layers.append(activation())
    return torch.nn.Sequential(*layers)


def training(args):
    rows = []
    dtypes = {"float64": torch.float64, "float32": torch.float32}
    for arch, sizes in ARCHS.items():
        for batch in BATCHES:
            if args.quick and batch not in (1, 64, 256):
                continue
            for threads in args.threads:
                for dname, dtype in dtypes.items():
                    set_threads(threads)
                    torch.manual_seed(1)
                    model = mlp(sizes, dtype)
                    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
                    X = torch.rand(batch, sizes[0], dtype=dtype)
                    y = torch.randint(0, sizes[-1], (batch,))

                    def step():
                        opt.zero_grad(set_to_none=True)
                        loss = F.cross_entropy(model(X), y)
                        loss.backward()
                        opt.step()

                    t, cpu, n = timed(step, args.min_time)
                    rows.append({"arch": arch, "batch": batch, "threads": threads, "dtype": dname,
                                 "time_s": t, "cpu_s": cpu, "samples_per_s": batch / t,
                                 "iterations": n})
                    print(f"torch train/{arch}/batch:{batch}/threads:{threads}/{dname}: "
                          f"{t * 1e6:10.1f} us  {batch / t:12.1f} samples/s", flush=True)
    return rows


# bench-conv's layers: name -> (channels in, kernels, image size); 3x3 kernels, padding 1.
CONV_LAYERS = {"3-32-32x32": (3, 32, 32), "32-64-16x16": (32, 64, 16), "64-128-8x8": (64, 128, 8)}
CONV_BATCH = 64


def conv(args):
    rows = []
    dt = torch.float64
    for layer, (C, K, size) in CONV_LAYERS.items():
        for threads in args.threads:
            set_threads(threads)
            torch.manual_seed(1)
            X = torch.randn(CONV_BATCH, C, size, size, dtype=dt, requires_grad=True)
            W = (0.1 * torch.randn(K, C, 3, 3, dtype=dt)).requires_grad_()
            b = torch.randn(K, dtype=dt, requires_grad=True)
            dY = torch.randn(CONV_BATCH, K, size, size, dtype=dt)

            def step():
                Y = F.conv2d(X, W, b, padding=1)
                torch.autograd.grad(Y, (X, W, b), dY)

            t, cpu, n = timed(step, args.min_time)
            rows.append({"layer": layer, "batch": CONV_BATCH, "threads": threads, "dtype": "float64",
                         "time_s": t, "cpu_s": cpu, "images_per_s": CONV_BATCH / t, "iterations": n})
            print(f"torch conv/{layer}/batch:{CONV_BATCH}/threads:{threads}/float64: "
                  f"{t * 1e3:10.2f} ms  {CONV_BATCH / t:10.1f} images/s", flush=True)
    return rows


def gradcheck(args):
    set_threads(1)  # gradlab's thread policy picks 1 thread for this network at batch 8
    torch.manual_seed(1)
    dt = torch.float64
    net = mlp([784, 100, 10], dt, torch.nn.Tanh)
    X = torch.rand(8, 784, dtype=dt, requires_grad=True)
    y = torch.randint(0, 10, (8,))
    W1, b1 = net[0].weight.detach().clone().requires_grad_(), net[0].bias.detach().clone().requires_grad_()
    W2, b2 = net[2].weight.detach().clone().requires_grad_(), net[2].bias.detach().clone().requires_grad_()
    inputs = (X, W1, b1, W2, b2)
    checked = sum(t.numel() for t in inputs)

    def f(X, W1, b1, W2, b2):
        return F.cross_entropy(F.linear(torch.tanh(F.linear(X, W1, b1)), W2, b2), y)

    rows = []
    for name, fast in (("fast", True), ("exhaustive", False)):
        if args.quick and not fast:
            continue
        result = {}

        def run():
            result["passed"] = torch.autograd.gradcheck(f, inputs, fast_mode=fast)

        if fast:
            t, cpu, n = timed(run, args.min_time)
        else:  # about half a minute: once
            w0, c0 = time.perf_counter(), time.thread_time()
            run()
            t, cpu, n = time.perf_counter() - w0, time.thread_time() - c0, 1
        rows.append({"name": name, "fast_mode": fast, "threads": 1, "time_s": t, "cpu_s": cpu,
                     "iterations": n, "passed": bool(result["passed"]), "checked": checked})
        print(f"torch gradcheck/{name}: {t * 1e3:10.2f} ms  passed={result['passed']}", flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=("training", "conv", "gradcheck", "all"), default="all")
    parser.add_argument("--out", required=True, help="the JSON file to write")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--min-time", type=float, default=None, help="seconds per timed row")
    parser.add_argument("--threads", default=None,
                        help="thread counts of the training rows, e.g. 1,2,4 (default: 1, 2, 4, "
                             "... up to the cores)")
    args = parser.parse_args()
    if args.threads is None:
        args.threads = thread_counts(cores())
    else:
        try:
            args.threads = [int(t) for t in args.threads.split(",")]
        except ValueError:
            parser.error(f"--threads {args.threads}: give whole numbers joined by commas")
        if any(t < 1 for t in args.threads):
            parser.error(f"--threads {','.join(map(str, args.threads))}: counts start at 1")
    if args.min_time is None:
        args.min_time = 0.05 if args.quick else 0.3
    report = {"torch": torch.__version__, "blas": torch_blas(), "cores": cores(),
              "blas_threads_settable": BLAS is not None,
              "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
              "load_average": list(os.getloadavg()), "training": [], "conv": [], "gradcheck": []}
    if args.task in ("training", "all"):
        report["training"] = training(args)
    if args.task in ("conv", "all"):
        report["conv"] = conv(args)
    if args.task in ("gradcheck", "all"):
        report["gradcheck"] = gradcheck(args)
    report["load_average_end"] = list(os.getloadavg())
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as out:
        json.dump(report, out, indent=1)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
