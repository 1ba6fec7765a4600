import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { getCore } from "../src/core/load.js";
import type { Core } from "../src/core/memory.js";
import { getColumn } from "../src/data/frame.js";
import { precisionOf } from "../src/estimators/encoder-precision.js";
import {
  type InvReprShape,
  initInvRepr,
  invReprHyper,
  invReprLayout,
  putInvReprDescriptor,
  putInvReprHyper,
} from "../src/models/inv-repr.js";
import { simulate } from "../src/sim/simulate.js";
import { profileInvRepr } from "./inv-repr-profile.js";
import { bestTime, fmtTime } from "./timing.js";

const PYTHON = "/usr/bin/python3";
const ADAM: [number, number, number, number, number] = [1e-3, 0.9, 0.999, 1e-8, 1e-4];
const LAMBDAS = { l1: 1, l2: 1, l3: 0, l4: 0.01 };

/** The step: h 64, E 2 environments of b 500 items, dz 35 (the DGP's poly3 default), degree 3. */
export const STEP_SHAPE: InvReprShape = {
  inputs: 35,
  width: 64,
  pv: 2,
  pw: 2,
  decoderDegree: 3,
  decoder: "poly",
  predictor: false,
  environments: 2,
  items: 500,
  kernelDegree: 2,
  dtype: "f64",
};

/** One batch of the invariance DGP (poly3, E = 2): its first b training rows of each environment, row-major, grouped. */
export function stepBatch(s: InvReprShape): Float64Array {
  const sim = simulate("invariance", { E: s.environments, seed: 21 });
  const env = getColumn(sim.data, "env") as Float64Array;
  const split = getColumn(sim.data, "split") as Float64Array;
  const cols = sim.roles.instruments.map((k) => getColumn(sim.data, k) as Float64Array);
  const out = new Float64Array(s.environments * s.items * s.inputs);
  let r = 0;
  for (let e = 0; e < s.environments; e++) {
    for (let i = 0, taken = 0; taken < s.items; i++) {
      if (env[i] !== e || split[i] !== 0) continue;
      for (let j = 0; j < s.inputs; j++) out[r * s.inputs + j] = (cols[j] as Float64Array)[i] as number;
      r++;
      taken++;
    }
  }
  return out;
}

/**
 * Seconds per training step in the core (one `inv_repr_train_epoch` of one batch: gather, loss,
 * gradient, AdamW) at `dtype`, and the first step's f64 loss. Steps run on from state to state, as
 * the PyTorch side's do.
 */
export function coreStep(core: Core, s: InvReprShape, z: Float64Array, params: Float64Array) {
  const w = core.wasm;
  const num = precisionOf(s.dtype);
  return core.scoped(() => {
    const desc = putInvReprDescriptor(core, s);
    const hyper = putInvReprHyper(core, { ...invReprHyper(LAMBDAS.l1, LAMBDAS.l2), lambda4: LAMBDAS.l4 });
    const adam = core.put([...ADAM, 0]);
    const n = params.length;
    const zeros = new Float64Array(n);
    const [p, g, m, v] = [params, zeros, zeros, zeros].map((a) => num.put(core, a)) as [number, number, number, number];
    const zp = num.put(core, z);
    const rows = s.environments * s.items;
    const index = core.alloc(Math.ceil(rows / 2));
    new Int32Array(w.memory.buffer, index, rows).set(Int32Array.from({ length: rows }, (_, i) => i));
    const work = core.alloc(Math.ceil(w.inv_repr_work_size(desc) / 8));
    const terms = core.alloc(8);
    // No predictor: X is not read (0).
    const first = w.inv_repr_loss(desc, hyper, p, 0, zp, 0, index, work, 0);
    const seconds = bestTime(() => w.inv_repr_train_epoch(desc, hyper, adam, p, g, m, v, zp, 0, index, 1, work, terms));
    return { seconds, first };
  });
}

interface TorchRun {
  seconds: number;
  first_loss: number;
}

/** PyTorch's timings (bench/inv_repr_torch_step.py), or the reason there are none. */
function torchSteps(s: InvReprShape, z: Float64Array, params: Float64Array): Record<string, TorchRun> | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) return `torch does not import in ${PYTHON}`;
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-inv-"));
  try {
    const file = join(dir, "step.json");
    const shape = { dz: s.inputs, h: s.width, pv: s.pv, pw: s.pw, decoder: "poly", degree: s.decoderDegree };
    const full = { ...shape, E: s.environments, b: s.items, predictor: false };
    writeFileSync(file, JSON.stringify({ shape: full, lambdas: LAMBDAS, adam: ADAM, params: [...params], z: [...z] }));
    const r = spawnSync(PYTHON, [join("bench", "inv_repr_torch_step.py"), file], { encoding: "utf8" });
    if (r.status !== 0) return `the PyTorch script failed: ${r.stderr.trim().split("\n").at(-1)}`;
    return JSON.parse(r.stdout) as Record<string, TorchRun>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One inv_repr training step (issue 21's bench line) in the core, f64 and f32, against the same
 * network, losses, parameters and batch in PyTorch on one thread (float32 and float64; MMD² and
 * HSIC in the Gram form a PyTorch user writes, and in the core's feature form), in one run.
 */
export function benchInvRepr(): string {
  const core = getCore();
  const s = STEP_SHAPE;
  const z = stepBatch(s);
  const params = initInvRepr(s, seedrandom("bench inv_repr"));
  const f64 = coreStep(core, s, z, params);
  const f32 = coreStep(core, { ...s, dtype: "f32" }, z, params);
  const lines = [
    `inv_repr training step (h ${s.width}, E ${s.environments} x b ${s.items}, dz ${s.inputs}, poly degree ${s.decoderDegree}, ` +
      `${invReprLayout(s).count} parameters, λ1 = λ2 = 1, λ4 = 0.01, AdamW; best of 25, one thread):`,
    `  core f64 ${fmtTime(f64.seconds)}, f32 ${fmtTime(f32.seconds)}`,
  ];
  lines.push(profileInvRepr(s, f64.seconds), profileInvRepr({ ...s, dtype: "f32" }, f32.seconds));
  const torch = torchSteps(s, z, params);
  if (typeof torch === "string") return [...lines, `  PyTorch side skipped: ${torch}`].join("\n");
  for (const [key, mine] of [
    ["float64", f64.seconds],
    ["float32", f32.seconds],
  ] as const) {
    const gram = torch[`${key} gram`] as TorchRun;
    const feat = torch[`${key} feature`] as TorchRun;
    lines.push(
      `  PyTorch ${torch.torch} ${key}: Gram-form kernels ${fmtTime(gram.seconds)} (${(gram.seconds / mine).toFixed(2)}x the core's time), ` +
        `feature form ${fmtTime(feat.seconds)} (${(feat.seconds / mine).toFixed(2)}x)`,
    );
  }
  const ref = (torch["float64 gram"] as TorchRun).first_loss;
  lines.push(
    `  same network: first-step loss core f64 ${f64.first.toPrecision(12)}, PyTorch float64 ${ref.toPrecision(12)}`,
  );
  return lines.join("\n");
}
