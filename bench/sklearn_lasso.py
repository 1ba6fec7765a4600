"""Times scikit-learn's LassoCV(cv=5) on CSV files written by bench/lasso.ts.

Run by `npm run bench` with Debian's /usr/bin/python3 when scikit-learn is installed there;
prints one JSON object: {file: median seconds per fit}.
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LassoCV

out = {}
for path in sys.argv[1:]:
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    y, g = data[:, 0], data[:, 1:]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        LassoCV(cv=5).fit(g, y)
        times.append(time.perf_counter() - t0)
    out[path] = sorted(times)[2]
print(json.dumps(out))
