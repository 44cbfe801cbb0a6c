"""Peer for bench/fd.ts: scipy's 3-point finite differences of L(W) = ½‖XW − T‖².

Reads {"X": [...], "W": [...], "T": [...], "shapes": {"X": [m, k], "W": [k, n], "T": [m, n]},
"samples": s} on stdin (row-major flat lists), runs
scipy.optimize._numdiff.approx_derivative(loss, W.ravel(), method="3-point") — scipy's default
relative step ε^(1/3)·max(1, |w|), 2 evaluations per entry — once to warm up and `samples` times
timed, and prints {"medianMs", "samplesMs", "gradient": [...], "evaluations", "scipy"}. The caller
computes the errors against its exact gradient, the same reference for both sides.
The caller sets OMP/OPENBLAS/MKL_NUM_THREADS=1; they are set here too in case it is run by hand.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import json
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.optimize._numdiff import approx_derivative


def main() -> None:
    spec = json.load(sys.stdin)
    shapes = spec["shapes"]
    X = np.asarray(spec["X"], dtype=np.float64).reshape(shapes["X"])
    W = np.asarray(spec["W"], dtype=np.float64).reshape(shapes["W"])
    T = np.asarray(spec["T"], dtype=np.float64).reshape(shapes["T"])
    evaluations = 0

    def loss(w: np.ndarray) -> float:
        nonlocal evaluations
        evaluations += 1
        r = X @ w.reshape(W.shape) - T
        return 0.5 * float(np.sum(r * r))

    approx_derivative(loss, W.ravel(), method="3-point")  # warm-up
    times = []
    gradient = None
    for _ in range(int(spec.get("samples", 5))):
        evaluations = 0
        start = time.perf_counter()
        gradient = approx_derivative(loss, W.ravel(), method="3-point")
        times.append((time.perf_counter() - start) * 1000.0)
    print(json.dumps({
        "medianMs": statistics.median(times),
        "samplesMs": times,
        "gradient": gradient.tolist(),
        "evaluations": evaluations,
        "scipy": scipy.__version__,
    }))


if __name__ == "__main__":
    main()
