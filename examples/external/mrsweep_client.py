"""mrsweep external estimator client, protocol version 1 (docs/external-protocol.md).

Copy this file next to your method and call ``serve(fit)``: mrsweep starts your script once per
worker thread and sends it one task per dataset; ``fit(task)`` returns a dict with any of
``estimate, se, ci_lower, ci_upper, p`` (numbers; None or non-finite for NA), ``status`` (default
"ok"), ``message`` and ``extras`` (a dict of numbers whose names the sweep configuration declares).
An exception in ``fit`` becomes a failed row with its message; the process keeps serving.

Standard library only; ``task.numpy(name)`` and ``task.instruments_numpy()`` use numpy if you have it.
``print`` goes to standard error while serving (standard output carries the protocol), and what a
script writes there shows up in mrsweep's message when its process fails.
"""

import json
import math
import struct
import sys
from array import array

HELLO = {"protocol": "mrsweep-external", "version": 1}


class Task:
    """One dataset: ``header`` as sent, every column by name as ``array('d')``."""

    def __init__(self, header, columns):
        self.header = header
        self.columns = columns
        self.n = header["n"]
        self.seed = header["seed"]
        self.data_seed = header["data_seed"]
        self.roles = header["roles"]

    def column(self, name):
        return self.columns[name]

    @property
    def outcome(self):
        return self.columns[self.roles["outcome"]]

    @property
    def exposure(self):
        return self.columns[self.roles["exposure"]]

    @property
    def instruments(self):
        return [self.columns[g] for g in self.roles["instruments"]]

    def numpy(self, name):
        """The column as a numpy array (a view of the bytes received; numpy imported on first use)."""
        import numpy as np

        return np.frombuffer(self.columns[name], dtype="<f8")

    def instruments_numpy(self):
        """The instruments as an n x L numpy matrix."""
        import numpy as np

        return np.column_stack([self.numpy(g) for g in self.roles["instruments"]])


def _read_exact(stream, size):
    data = stream.read(size)
    if data is None or len(data) < size:
        raise EOFError
    return data


def _number(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _reply(task_id, result):
    reply = {"id": task_id}
    for key in ("estimate", "se", "ci_lower", "ci_upper", "p"):
        if key in result:
            reply[key] = _number(result[key])
    if "status" in result:
        reply["status"] = str(result["status"])
    if "message" in result:
        reply["message"] = str(result["message"])
    if "extras" in result:
        reply["extras"] = {str(k): _number(v) for k, v in result["extras"].items()}
    return reply


def read_task(stream):
    """The next task from ``stream``, or None at the end of input."""
    line = stream.readline()
    if not line:
        return None
    header = json.loads(line)
    n, names = header["n"], header["columns"]
    # Every block holds n values: the blocks are read in one call (far fewer system calls).
    block = 4 + 8 * n
    data = memoryview(_read_exact(stream, block * len(names)))
    columns = {}
    for j, name in enumerate(names):
        (count,) = struct.unpack_from("<I", data, j * block)
        if count != n:
            raise ValueError(f"column {name}: {count} values, expected n = {n}")
        values = array("d")
        values.frombytes(data[j * block + 4 : (j + 1) * block])
        if sys.byteorder == "big":
            values.byteswap()
        columns[name] = values
    return Task(header, columns)


def serve(fit):
    """Answers tasks with ``fit`` until mrsweep closes standard input."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer

    def send(obj):
        out.write((json.dumps(obj, allow_nan=False) + "\n").encode("utf-8"))
        out.flush()

    send(HELLO)
    while True:
        try:
            task = read_task(inp)
        except EOFError:
            return
        if task is None:
            return
        try:
            reply = _reply(task.header["id"], fit(task))
        except Exception as e:  # the method's failure is the row's, not the process's
            reply = {"id": task.header["id"], "status": "failed", "message": f"{type(e).__name__}: {e}"}
        send(reply)
