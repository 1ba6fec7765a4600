"""Two-stage least squares as an external mrsweep estimator (standard library only).

X on [1, G], then Y on [1, X_hat]; the standard error from the residuals Y - b X on n - 2 degrees
of freedom, as mrsweep's built-in tsls. The interval and p-value are normal (z), not t.
Run with ``--numpy`` to compute the same with numpy.
"""

import math
import sys
from operator import mul
from statistics import NormalDist

from mrsweep_client import serve

Z95 = NormalDist().inv_cdf(0.975)


def dot(a, b):
    return sum(map(mul, a, b))


def centred(v):
    m = sum(v) / len(v)
    return [x - m for x in v]


def cholesky_solve(a, b):
    """Solves a x = b for a symmetric positive definite matrix a (lists of rows)."""
    k = len(b)
    low = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            s = a[i][j] - sum(low[i][m] * low[j][m] for m in range(j))
            low[i][j] = math.sqrt(s) if i == j else s / low[j][j]
    z = [0.0] * k
    for i in range(k):
        z[i] = (b[i] - sum(low[i][m] * z[m] for m in range(i))) / low[i][i]
    x = [0.0] * k
    for i in reversed(range(k)):
        x[i] = (z[i] - sum(low[m][i] * x[m] for m in range(i + 1, k))) / low[i][i]
    return x


def result(n, big_l, b, se, ess, tss):
    f = (ess / big_l) / ((tss - ess) / (n - big_l - 1))
    z = b / se
    return {
        "estimate": b,
        "se": se,
        "ci_lower": b - Z95 * se,
        "ci_upper": b + Z95 * se,
        "p": 2 * NormalDist().cdf(-abs(z)),
        "extras": {"first_stage_f": f},
    }


def tsls(task):
    y, x = centred(task.outcome), centred(task.exposure)
    g = [centred(col) for col in task.instruments]
    n, big_l = len(y), len(g)
    gram = [[dot(g[i], g[j]) for j in range(big_l)] for i in range(big_l)]
    coef = cholesky_solve(gram, [dot(gi, x) for gi in g])
    xhat = [0.0] * n
    for c, gj in zip(coef, g):
        xhat = [h + c * v for h, v in zip(xhat, gj)]
    ess = dot(xhat, xhat)
    b = dot(xhat, y) / ess
    resid = [yi - b * xi for yi, xi in zip(y, x)]
    se = math.sqrt(dot(resid, resid) / (n - 2) / ess)
    return result(n, big_l, b, se, ess, dot(x, x))


def tsls_numpy(task):
    import numpy as np

    y, x = task.numpy(task.roles["outcome"]), task.numpy(task.roles["exposure"])
    g = task.instruments_numpy()
    y, x, g = y - y.mean(), x - x.mean(), g - g.mean(axis=0)
    xhat = g @ np.linalg.solve(g.T @ g, g.T @ x)
    ess = float(xhat @ xhat)
    b = float(xhat @ y) / ess
    resid = y - b * x
    n, big_l = g.shape
    se = math.sqrt(float(resid @ resid) / (n - 2) / ess)
    return result(n, big_l, b, se, ess, float(x @ x))


if __name__ == "__main__":
    serve(tsls_numpy if "--numpy" in sys.argv[1:] else tsls)
