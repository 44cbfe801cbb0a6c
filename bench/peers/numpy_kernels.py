"""Peer for bench/tensor.ts: numpy's matmul and an einsum conv layer, single-threaded, float64.

Reads {"matmul": [n, ...], "conv": {"N", "C", "H", "W", "F", "k", "padding"}, "sampleStride": s} on
stdin. Inputs are built exactly as bench/tensor.ts builds them (entry i = sin(0.37 i + phase)), each
kernel is timed as the median of 7 samples (each ≥ 100 ms of repeated calls, after a warm-up), and
{"matmul": {n: {"medianMs", "samplesMs"}}, "conv": {...}, "convSample": [...], "blas": "..."} is printed.
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
from numpy.lib.stride_tricks import sliding_window_view


def wave(shape, phase):
    size = int(np.prod(shape))
    return np.sin(0.37 * np.arange(size) + phase).reshape(shape)


def time_median(fn, samples=7, min_sample_ms=100.0, warmup_ms=500.0):
    calls = 0
    warm_end = time.perf_counter() + warmup_ms / 1000
    while time.perf_counter() < warm_end or calls < 2:
        fn()
        calls += 1
    per_call_ms = warmup_ms / calls
    per_sample = max(1, int(np.ceil(min_sample_ms / max(per_call_ms, 1e-3))))
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(per_sample):
            fn()
        times.append((time.perf_counter() - start) * 1000 / per_sample)
    return {"medianMs": statistics.median(times), "samplesMs": times}


def conv_layer(x, k, padding, optimize):
    """Y[n,f,i,j] = sum_{c,u,v} Xpad[n,c,i+u,j+v] K[f,c,u,v] (stride 1), by einsum over sliding windows."""
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(xp, k.shape[2:], axis=(2, 3))  # N, C, Ho, Wo, kh, kw (a view)
    return np.einsum("nchwuv,fcuv->nfhw", windows, k, optimize=optimize)


def blas_name():
    try:
        info = np.show_config(mode="dicts")
        blas = info["Build Dependencies"]["blas"]
        return f'{blas.get("name")} {blas.get("version")}'
    except Exception:  # older numpy without mode="dicts"
        return "unknown"


def main():
    spec = json.load(sys.stdin)
    out = {"matmul": {}, "conv": {}, "blas": blas_name()}
    for n in spec["matmul"]:
        a, b = wave((n, n), 0), wave((n, n), 1)
        out["matmul"][str(n)] = time_median(lambda: a @ b)
    c = spec["conv"]
    x = wave((c["N"], c["C"], c["H"], c["W"]), 0)
    k = wave((c["F"], c["C"], c["k"], c["k"]), 2)
    out["conv"]["einsum"] = time_median(lambda: conv_layer(x, k, c["padding"], False))
    out["conv"]["einsumOptimized"] = time_median(lambda: conv_layer(x, k, c["padding"], True))
    y = conv_layer(x, k, c["padding"], True)
    out["convSample"] = y.ravel()[:: spec["sampleStride"]].tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
