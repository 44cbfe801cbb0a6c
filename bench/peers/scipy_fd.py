"""Peer for bench/fd.ts: scipy's 3-point finite differences of L(W) = ½‖XW − T‖².

Reads {"X": [[...]], "W": [[...]], "T": [[...]], "repeats": r} as JSON on stdin, runs
scipy.optimize._numdiff.approx_derivative(method='3-point') on the flattened W (scipy's default
relative step ε^(1/3)·max(1, |w|)), and prints {"ms": [...], "maxRelError": e} where the error is
against the exact gradient Xᵀ(XW − T) computed in float64 by numpy.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize._numdiff import approx_derivative


def main() -> None:
    spec = json.load(sys.stdin)
    X = np.asarray(spec["X"], dtype=np.float64)
    W = np.asarray(spec["W"], dtype=np.float64)
    T = np.asarray(spec["T"], dtype=np.float64)
    repeats = int(spec.get("repeats", 3))
    shape = W.shape

    def loss(w: np.ndarray) -> float:
        r = X @ w.reshape(shape) - T
        return 0.5 * float(np.sum(r * r))

    exact = (X.T @ (X @ W - T)).ravel()
    times = []
    grad = None
    for _ in range(repeats):
        start = time.perf_counter()
        grad = approx_derivative(loss, W.ravel(), method="3-point")
        times.append((time.perf_counter() - start) * 1000.0)
    rel = np.abs(grad - exact) / np.abs(exact)
    print(json.dumps({"ms": times, "maxRelError": float(rel.max()), "normRelError": float(np.linalg.norm(grad - exact) / np.linalg.norm(exact))}))


if __name__ == "__main__":
    main()
