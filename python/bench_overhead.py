#!/usr/bin/env python3
"""The binding's overhead per call of the user's forward, on a 784-100-10 NumPy net.

A check calls the user's forward twice per element (check_vjp) or per direction
(check_directional). What it costs beyond those calls, divided by their number, is the
overhead of the binding (calling Python from C++, reading the result) plus the checker's own
work per call. Each figure is the best of --repeat runs:

  bare         the net's NumPy forward and backward called directly, per call;
  overhead     check_vjp of a forward that returns a constant, per call: the binding and the
               checker's bookkeeping alone (a float returned, then a 1-element array);
  check_vjp    of the net (ReLU, softmax cross-entropy, the loss as output; the batch held
               fixed): with W2 and b2 checked, per forward call against as many bare calls, in
               alternating rounds; then with every weight and bias checked, its total time;
  directional  check_directional of the net: per direction, and the checker's own work per
               direction (drawing v over every parameter, moving and restoring them), which a
               constant forward measures.

The BLAS runs on one thread (OPENBLAS_NUM_THREADS=1, set before NumPy loads), so that the bare
and the checked forward are timed alike on a busy machine.

    PYTHONPATH=build/python /usr/bin/python3 python/bench_overhead.py [--batch 1] [--repeat 3]
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread count)

import gradlab  # noqa: E402


def best_time(run, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def per_call(f, kwargs, calls, repeat):
    def run():
        for _ in range(calls):
            f(**kwargs)
    return best_time(run, repeat) / calls


def counted(f, counter):
    def wrapper(*args, **kwargs):
        counter[0] += 1
        return f(*args, **kwargs)
    return wrapper


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1, help="samples in the fixed batch (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    parser.add_argument("--directions", type=int, default=64, help="directions of the directional check")
    parser.add_argument("--rounds", type=int, default=20, help="alternating rounds of the partial check")
    args = parser.parse_args()

    rng = np.random.default_rng(1)
    X = rng.normal(size=(args.batch, 784))
    labels = rng.integers(0, 10, size=args.batch)
    onehot = np.eye(10)[labels]
    params = {"W1": rng.normal(size=(784, 100)) * 0.05, "b1": np.zeros(100),
              "W2": rng.normal(size=(100, 10)) * 0.1, "b2": np.zeros(10)}
    count = sum(p.size for p in params.values())

    def forward(W1, b1, W2, b2):
        h = np.maximum(X @ W1 + b1, 0.0)
        z = h @ W2 + b2
        z = z - z.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(labels)), labels]))

    def backward(G, W1, b1, W2, b2):
        a = X @ W1 + b1
        h = np.maximum(a, 0.0)
        z = h @ W2 + b2
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        dz = G * (p - onehot) / len(labels)
        da = (dz @ W2.T) * (a > 0)
        return {"W1": X.T @ da, "b1": da.sum(axis=0), "W2": h.T @ dz, "b2": dz.sum(axis=0)}

    print(f"784-100-10 ReLU net, softmax cross-entropy, batch {args.batch}, BLAS on one thread: "
          f"{count:,} parameters checked")
    t_forward = per_call(forward, params, 2000, args.repeat)
    t_backward = per_call(lambda **p: backward(1.0, **p), params, 200, args.repeat)
    print(f"  bare NumPy forward   {t_forward * 1e6:9.1f} us per call")
    print(f"  bare NumPy backward  {t_backward * 1e6:9.1f} us per call")

    zeros = {k: np.zeros_like(v) for k, v in params.items()}
    calls = [0]
    gradlab.check_vjp(counted(lambda **p: 0.0, calls), lambda G, **p: zeros, params)
    one = np.zeros(1)
    for returned, constant in [("a float", lambda **p: 0.0), ("an array", lambda **p: one)]:
        seconds = best_time(lambda: gradlab.check_vjp(constant, lambda G, **p: zeros, params), args.repeat)
        print(f"  overhead             {seconds / calls[0] * 1e6:9.2f} us per forward call returning {returned} "
              f"(check_vjp of a constant: {calls[0]:,} calls in {seconds:.2f} s)")

    # W2 and b2 checked (about 2,000 forward calls) and as many bare calls, alternately, in short
    # rounds: a busy machine slows both alike, and the fastest round of each is compared.
    part = {"W2": params["W2"], "b2": params["b2"]}

    def forward_part(W2, b2):
        return forward(params["W1"], params["b1"], W2, b2)

    def backward_part(G, W2, b2):
        grads = backward(G, params["W1"], params["b1"], W2, b2)
        return {"W2": grads["W2"], "b2": grads["b2"]}

    forwards, backwards = [0], [0]
    verdict = gradlab.check_vjp(counted(forward_part, forwards), counted(backward_part, backwards), part).verdict
    bare = check = float("inf")
    for _ in range(args.rounds):
        bare = min(bare, per_call(forward_part, part, forwards[0], 1))
        seconds = best_time(lambda: gradlab.check_vjp(forward_part, backward_part, part), 1)
        check = min(check, (seconds - backwards[0] * t_backward) / forwards[0])
    print(f"  check_vjp            {check * 1e6:9.1f} us per forward call against {bare * 1e6:.1f} us bare: "
          f"{(check - bare) * 1e6:+.1f} us, {verdict} (W2 and b2 checked, {forwards[0]:,} forward calls; "
          f"the fastest of {args.rounds} alternating rounds)")

    forwards, backwards = [0], [0]
    verdict = gradlab.check_vjp(counted(forward, forwards), counted(backward, backwards), params).verdict
    seconds = best_time(lambda: gradlab.check_vjp(forward, backward, params), 1)
    print(f"  check_vjp, all       {seconds:9.2f} s, {verdict}: {forwards[0]:,} forward and {backwards[0]} "
          f"backward calls, {seconds / forwards[0] * 1e6:.1f} us per forward call")

    k = args.directions
    seconds = best_time(lambda: gradlab.check_directional(forward, backward, params, directions=k), args.repeat)
    own = best_time(lambda: gradlab.check_directional(lambda **p: 0.0, lambda G, **p: zeros, params,
                                                      directions=k), args.repeat)
    verdict = gradlab.check_directional(forward, backward, params, directions=k).verdict
    print(f"  check_directional    {seconds / k * 1e3:9.2f} ms per direction, {verdict}: two forwards "
          f"({2 * t_forward * 1e3:.2f} ms) and the checker's own work over {count:,} parameters "
          f"({own / k * 1e3:.2f} ms, in C++)")


if __name__ == "__main__":
    main()
