"""Times one training step of the Deep MR CNN (deep-mr §4: forward, MSE, backward, Adam with AMSGrad)
in PyTorch on one thread, for bench/deep-cnn.ts. Argument: a JSON file with the shape, the flat
initial parameters (the core's layout = parameters() order), the batch's base codes (rows x L) and
targets (rows x outputs). The network is test/fixtures/deep-cnn/make_deep_cnn.py's (the fixture's
reference). Prints one JSON object: per dtype the best seconds per step (bench/timing.ts's bestTime:
5 warm-up steps, 25 batches of at least 2 ms, minimum) in wall time and in the process's CPU time
(steadier on a loaded machine), and the first step's loss; then the same for naive ISM of one
sequence (its 4L rows, float32, train mode) through `ism_members` networks."""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "deep-cnn"))
from make_deep_cnn import network  # noqa: E402

torch.set_num_threads(1)
# set_num_threads(1) still let this process's CPU time exceed its wall time on a 2-core machine (some
# work runs on other threads); one CPU makes it one thread's worth, as the core has.
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def best_time(step, clock=time.perf_counter):
    for _ in range(5):
        step()
    reps = 1
    while True:
        t0 = clock()
        for _ in range(reps):
            step()
        if clock() - t0 >= 2e-3:
            break
        reps *= 2
    best = float("inf")
    for _ in range(25):
        t0 = clock()
        for _ in range(reps):
            step()
        best = min(best, (clock() - t0) / reps)
    return best


def run(spec, dtype):
    s = spec["shape"]
    net = network(s).to(dtype)
    flat = torch.tensor(spec["params"], dtype=dtype)
    with torch.no_grad():
        k = 0
        for p in net.parameters():
            p.copy_(flat[k:k + p.numel()].reshape(p.shape))
            k += p.numel()
    net.train()
    codes = torch.tensor(spec["codes"]).reshape(-1, s["L"])
    x = torch.nn.functional.one_hot(codes, 4).to(dtype).transpose(1, 2).contiguous()
    y = torch.tensor(spec["y"], dtype=dtype).reshape(-1, s["outputs"])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=True)
    losses = []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        if not losses:
            losses.append(float(loss))

    return {"seconds": best_time(step), "cpu_seconds": best_time(step, time.process_time), "first_loss": losses[0]}


def run_ism(spec, members):
    """Naive ISM as a PyTorch user writes it: the 4L mutagenesis rows (one-hot) through `members`
    networks in train mode (the authors never call eval()), no gradient."""
    s = spec["shape"]
    net = network(s).to(torch.float32)
    net.train()
    seq = torch.tensor(spec["ism_seq"])
    rows = seq.repeat(4 * s["L"], 1)
    pos = torch.arange(4 * s["L"])
    rows[pos, pos // 4] = pos % 4
    x = torch.nn.functional.one_hot(rows, 4).to(torch.float32).transpose(1, 2).contiguous()

    def ism():
        with torch.no_grad():
            for _ in range(members):
                net(x)

    return {"seconds": best_time(ism), "cpu_seconds": best_time(ism, time.process_time)}


with open(sys.argv[1]) as f:
    spec = json.load(f)
out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
    out[name] = run(spec, dtype)
out["ism"] = run_ism(spec, spec["ism_members"])
print(json.dumps(out))
