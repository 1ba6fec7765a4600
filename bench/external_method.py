"""The external method of bench/external.ts: `null` (reads the task, replies a constant) or `tsls`
(numpy 2SLS when numpy is installed, else the standard-library one of examples/external/tsls.py).
Each reply carries the method's own compute time in seconds (extra `fit_seconds`), so that the
bench can tell the protocol's cost from the method's."""

import os
import sys
import time

# One process per worker thread already: numpy's BLAS threads would only compete with the workers.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "external"))

from mrsweep_client import serve  # noqa: E402

import tsls as example  # noqa: E402

try:
    import numpy  # noqa: F401

    method = example.tsls_numpy
except ImportError:
    method = example.tsls


def null(task):
    return {"estimate": 0.0}


def timed(fit):
    def run(task):
        t0 = time.perf_counter()
        out = fit(task)
        out.setdefault("extras", {})["fit_seconds"] = time.perf_counter() - t0
        return out

    return run


serve(timed(null if sys.argv[1:] == ["null"] else method))
