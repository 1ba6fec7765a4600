"""Times one inv_repr training step (loss, backward, AdamW) in PyTorch on one thread, for
bench/inv-repr.ts. Argument: a JSON file with the shape, λs, AdamW settings, the flat initial
parameters (the core's layout) and the batch's rows (E b x dz, grouped by environment). The network
and losses are test/fixtures/inv-repr/inv_repr_torch.py (the fixture's reference).

Prints one JSON object: per "<dtype> <kernel form>" the best seconds per step (as bench/timing.ts's
bestTime: 5 warm-up steps, 25 batches of at least 2 ms, minimum) and the first step's loss.
Run by `npm run bench` with Debian's /usr/bin/python3 when torch imports there."""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "inv-repr"))
from inv_repr_torch import InvRepr, losses  # noqa: E402

torch.set_num_threads(1)


def best_time(step):
    for _ in range(5):
        step()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        if time.perf_counter() - t0 >= 2e-3:
            break
        reps *= 2
    best = float("inf")
    for _ in range(25):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def run(spec, dtype, form):
    flat = torch.tensor(spec["params"], dtype=torch.float64)
    model = InvRepr(spec["shape"], flat, dtype)
    z = torch.tensor(spec["z"], dtype=dtype).reshape(-1, spec["shape"]["dz"])
    x = torch.zeros(z.shape[0], dtype=dtype)
    lr, b1, b2, eps, wd = spec["adam"]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    first = float(losses(model, z, x, spec["lambdas"], form)[1])

    def step():
        opt.zero_grad(set_to_none=True)
        total = losses(model, z, x, spec["lambdas"], form)[1]
        total.backward()
        opt.step()

    return {"seconds": best_time(step), "first_loss": first}


with open(sys.argv[1]) as f:
    spec = json.load(f)
out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
    for form in ("gram", "feature"):
        out[f"{name} {form}"] = run(spec, dtype, form)
print(json.dumps(out))
