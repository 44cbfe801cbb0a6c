"""Peer for bench/cli-latency.ts: a whole python3 process checking the gradient of L(W) = ½‖XW − T‖².

The closest peer that runs here to `derivcheck check` (HIPS autograd, JAX and torch are not
installed): import numpy and scipy.optimize, then, like derivcheck's default, draw 100 samples with
distinct sizes N, D, M in 2..6 and standard-normal X, W, T, and on each compare the claimed gradient
Xᵀ(XW − T) with scipy.optimize.check_grad (forward differences of every entry, step √ε). A sample
passes when the difference is within 1e-5 · (1 + ‖gradient‖). Prints, as JSON, the verdict, the
phases measured from the first line (time.perf_counter, so interpreter start-up is not in them; the
caller has the wall time) and the process's CPU time so far (user + system, every thread).
Argument: the seed. The caller sets OMP/OPENBLAS/MKL_NUM_THREADS=1.
"""
import time

start = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

numpy_loaded = time.perf_counter()
from scipy.optimize import check_grad  # noqa: E402

scipy_loaded = time.perf_counter()

SAMPLES = 100
TOLERANCE = 1e-5


def main() -> None:
    rng = np.random.default_rng(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    passed = 0
    for _ in range(SAMPLES):
        n, d, m = (int(s) for s in rng.choice(np.arange(2, 7), size=3, replace=False))
        X, W, T = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal((n, m))

        def loss(w: np.ndarray) -> float:
            r = X @ w.reshape(d, m) - T
            return 0.5 * float(np.sum(r * r))

        def grad(w: np.ndarray) -> np.ndarray:
            return (X.T @ (X @ w.reshape(d, m) - T)).ravel()

        difference = check_grad(loss, grad, W.ravel())
        passed += difference <= TOLERANCE * (1 + np.linalg.norm(grad(W.ravel())))
    checked = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "verdict": "correct" if passed == SAMPLES else "incorrect",
        "samples": SAMPLES,
        "passed": int(passed),
        "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
        "phasesMs": {
            "import numpy": (numpy_loaded - start) * 1000,
            "import scipy.optimize": (scipy_loaded - numpy_loaded) * 1000,
            "sampling and FD": (checked - scipy_loaded) * 1000,
        },
    }))
    sys.stdout.flush()


main()
