import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";

/**
 * The Deep MR CNN (assembly/models/deep-cnn*.ts, deep-mr §4) described once on the TypeScript side:
 * shape, descriptor, parameter layout and PyTorch's default initialisation. Input: base codes (one
 * byte per position, 0..3 = A, C, G, T); `layers` × [Conv1d(4 or F → F, K, valid) → BatchNorm1d →
 * ReLU] → flatten channel-major → Linear(F·L_last → d1) → ReLU → Linear(d1 → d2) → ReLU →
 * Linear(d2 → outputs). With `dropout` p > 0 (mc_dropout; the authors' network has none, so the
 * placement is ours) a dropout layer follows every ReLU: convolution blocks (masks over channels ×
 * positions) and the two dense layers (masks over units), torch's inverted dropout (x · mask / (1 − p)).
 */
export interface DeepCnnShape {
  /** Sequence length L (100). */
  length: number;
  /** Filters per convolution F (15). */
  filters: number;
  /** Kernel width K (7). */
  kernel: number;
  /** Convolution blocks (3). */
  layers: number;
  /** Hidden dense widths (30, 30). */
  dense1: number;
  dense2: number;
  /** Outputs (2: exposure, outcome). */
  outputs: number;
  /** Rows per batch: the core's workspace capacity (1000 for training). */
  batch: number;
  dtype: "f64" | "f32";
  /** Dropout rate after every ReLU, in [0, 1); 0 or absent: no dropout layers (the paper's network). */
  dropout?: number;
}

/** The paper's network (deep-mr §4) at batch 1000 in `dtype`: 41 627 parameters. */
export function paperCnn(dtype: "f64" | "f32" = "f32"): DeepCnnShape {
  return { length: 100, filters: 15, kernel: 7, layers: 3, dense1: 30, dense2: 30, outputs: 2, batch: 1000, dtype };
}

/** Most convolution blocks (the core's header holds descriptors for this many). */
export const MAX_CONV_LAYERS = 8;

/** Output length of convolution j (0-based). */
export function convLength(s: DeepCnnShape, j: number): number {
  return s.length - (j + 1) * (s.kernel - 1);
}

/** Throws unless `s` is a network the core can run. */
export function checkDeepCnn(s: DeepCnnShape): void {
  const where = "deep_cnn";
  const ints: [string, number, number][] = [
    ["length", s.length, 2],
    ["filters", s.filters, 1],
    ["kernel", s.kernel, 1],
    ["dense1", s.dense1, 1],
    ["dense2", s.dense2, 1],
    ["outputs", s.outputs, 1],
    ["batch", s.batch, 1],
  ];
  for (const [name, v, lo] of ints) {
    if (!Number.isInteger(v) || v < lo) throw errors.invalid(where, name, `an integer >= ${lo}`, v);
  }
  if (!Number.isInteger(s.layers) || s.layers < 1 || s.layers > MAX_CONV_LAYERS) {
    throw errors.invalid(where, "layers", `an integer in 1..${MAX_CONV_LAYERS}`, s.layers);
  }
  const p = s.dropout ?? 0;
  if (!(p >= 0 && p < 1)) throw errors.invalid(where, "dropout", "in [0, 1)", p);
  if (convLength(s, s.layers - 1) < 1) {
    throw errors.invalid(where, "length", `more than layers × (kernel − 1) = ${s.layers * (s.kernel - 1)}`, s.length);
  }
}

/** Where each parameter block starts (elements), in the core's order (= torch's parameters() order). */
export interface DeepCnnLayout {
  /** Per convolution: weight (F, C_in, K), bias, BatchNorm γ, β. */
  conv: { weight: number; bias: number; gamma: number; beta: number; fanIn: number }[];
  /** Linear layers: weight (out × in), bias. */
  dense: { weight: number; bias: number; fanIn: number; out: number }[];
  count: number;
  /** Running statistics: per convolution its mean then its variance (F each). */
  stateCount: number;
}

/** The parameter layout of `s` (the same arithmetic as assembly/models/deep-cnn-layout.ts). */
export function deepCnnLayout(s: DeepCnnShape): DeepCnnLayout {
  const F = s.filters;
  let off = 0;
  const conv: DeepCnnLayout["conv"] = [];
  for (let j = 0; j < s.layers; j++) {
    const fanIn = (j === 0 ? 4 : F) * s.kernel;
    conv.push({ weight: off, bias: off + F * fanIn, gamma: off + F * fanIn + F, beta: off + F * fanIn + 2 * F, fanIn });
    off += F * fanIn + 3 * F;
  }
  const sizes = [
    [F * convLength(s, s.layers - 1), s.dense1],
    [s.dense1, s.dense2],
    [s.dense2, s.outputs],
  ] as const;
  const dense: DeepCnnLayout["dense"] = [];
  for (const [i, o] of sizes) {
    dense.push({ weight: off, bias: off + i * o, fanIn: i, out: o });
    off += i * o + o;
  }
  return { conv, dense, count: off, stateCount: 2 * F * s.layers };
}

/** Writes the descriptor into the core (inside `core.scoped`); returns its pointer. */
export function putDeepCnnDescriptor(core: Core, s: DeepCnnShape): number {
  const desc = Int32Array.from([
    s.dtype === "f32" ? 1 : 0,
    s.length,
    s.filters,
    s.kernel,
    s.layers,
    s.dense1,
    s.dense2,
    s.outputs,
    s.batch,
    (s.dropout ?? 0) > 0 ? 1 : 0,
  ]);
  const ptr = core.alloc(Math.ceil(desc.length / 2));
  new Int32Array(core.wasm.memory.buffer, ptr, desc.length).set(desc);
  return ptr;
}

/** BatchNorm constants as torch's defaults: eps 1e-5, momentum 0.1. */
export const BATCHNORM_HYPER = [1e-5, 0.1] as const;

/** The core's hyper block of `s`: BatchNorm's eps and momentum, then the dropout rate. */
export function deepCnnHyper(s: DeepCnnShape): number[] {
  return [...BATCHNORM_HYPER, s.dropout ?? 0];
}

/**
 * Initial parameters as PyTorch: every convolution's and Linear's weight and bias U(±1/√fan_in)
 * (fan_in = C_in·K for a convolution), drawn weight then bias, layer by layer in the layout's
 * order; BatchNorm γ 1, β 0.
 */
export function initDeepCnn(s: DeepCnnShape, rand: () => number): Float64Array {
  const l = deepCnnLayout(s);
  const p = new Float64Array(l.count);
  const fill = (from: number, to: number, fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    for (let k = from; k < to; k++) p[k] = (2 * rand() - 1) * bound;
  };
  for (const c of l.conv) {
    fill(c.weight, c.gamma, c.fanIn);
    p.fill(1, c.gamma, c.beta);
  }
  for (const d of l.dense) fill(d.weight, d.bias + d.out, d.fanIn);
  return p;
}

/** Initial running statistics as torch: means 0, variances 1. */
export function initDeepCnnState(s: DeepCnnShape): Float64Array {
  const st = new Float64Array(2 * s.filters * s.layers);
  for (let j = 0; j < s.layers; j++) st.fill(1, (2 * j + 1) * s.filters, (2 * j + 2) * s.filters);
  return st;
}
