"""Times pandas.read_csv on the files written by bench/read-csv.ts.

Run by `npm run bench -- --read-only` with Debian's /usr/bin/python3 when pandas is installed
there (python3-pandas); prints one JSON object: {file: [CPU seconds, rows, columns]}, one read each
(the reads are long; import time excluded; CPU time, as the mrsweep side measures it). read_csv's defaults: the C parser, float_precision
None (pandas' own "high"-precision xstrtod), compression inferred from the .gz name.
"""
import json
import sys
import time

import pandas as pd

out = {}
for path in sys.argv[1:]:
    t0 = time.process_time()
    frame = pd.read_csv(path)
    out[path] = [time.process_time() - t0, frame.shape[0], frame.shape[1]]
print(json.dumps(out))
