import type { Core } from "../core/memory.js";

/**
 * inv_repr's network (assembly/models/inv-repr*.ts, invariance-mr §3.4) described once on the
 * TypeScript side: descriptor, parameter layout, hyperparameters and initialisation. Encoder
 * Linear(dz→h) → LayerNorm → ReLU → Linear(h→h) → LayerNorm → ReLU → Linear(h→p̂_V + p̂_W); decoder
 * polynomial features of the latents (constant included) → Linear(→dz), or Linear(q→h) → ReLU →
 * Linear(h→h) → ReLU → Linear(h→dz); with λ3 > 0, the predictor Linear(p̂_W→p̂_W) → tanh →
 * Linear(p̂_W→1) on Ŵ.
 */
export interface InvReprShape {
  /** dz: observed instruments per row. */
  inputs: number;
  width: number;
  /** p̂_V and p̂_W: latent sizes (default 2 and 2). */
  pv: number;
  pw: number;
  /** Degree of the polynomial decoder (the mixing degree); not read by the MLP decoder. */
  decoderDegree: number;
  /** "poly": polynomial features → Linear; "mlp": the study's decoder for `invmlp` mixing (width h). */
  decoder: "poly" | "mlp";
  /** Whether the relatedness predictor is part of the model: true iff λ3 > 0. */
  predictor: boolean;
  /** E environments and b items per batch: a batch is E b rows grouped by environment. */
  environments: number;
  items: number;
  /** Degree of the polynomial kernel of MMD² and HSIC (default 2). */
  kernelDegree: number;
  dtype: "f64" | "f32";
}

/** The loss weights and constants of one run. */
export interface InvReprHyper {
  lambda1: number;
  lambda2: number;
  /** λ3, the relatedness weight (read only when the shape has the predictor). */
  lambda3: number;
  /** λ4, the entropy (log-det) weight: 0.01 in the study. */
  lambda4: number;
  /** c of the kernel (x'y + c)^degree: 1. */
  kernelOffset: number;
  logdetEps: number;
  layerNormEps: number;
  /** Largest global L2 norm of each step's gradient (torch.nn.utils.clip_grad_norm_); 0: no clipping. */
  clipNorm: number;
}

/** The study's defaults (invariance-mr §3.4) for the given λ1, λ2: λ3 0, λ4 0.01, no clipping. */
export function invReprHyper(lambda1: number, lambda2: number): InvReprHyper {
  return {
    lambda1,
    lambda2,
    lambda3: 0,
    lambda4: 0.01,
    kernelOffset: 1,
    logdetEps: 1e-6,
    layerNormEps: 1e-5,
    clipNorm: 0,
  };
}

/** C(n + k, k). */
function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The parameter blocks in the core's order (blocks a shape does not have are empty). */
const SLOTS = [
  "w1",
  "b1",
  "g1",
  "e1",
  "w2",
  "b2",
  "g2",
  "e2",
  "w3",
  "b3",
  "wd",
  "bd",
  "wd1",
  "bd1",
  "wd2",
  "bd2",
  "wd3",
  "bd3",
  "wp1",
  "bp1",
  "wp2",
  "bp2",
] as const;

/** One parameter block's name. */
export type InvReprSlot = (typeof SLOTS)[number];

/**
 * Where each parameter block starts (elements), in the core's order, and the total: the encoder; the
 * polynomial decoder (wd, bd) or the MLP decoder (wd1 ... bd3); the predictor (wp1 ... bp2) when
 * the shape has it. An absent block starts where the next one does and is empty.
 */
export type InvReprLayout = Record<InvReprSlot, number> & {
  count: number;
  /** Polynomial decoder features: C(q + degree, degree) (0 with the MLP decoder). */
  features: number;
};

/** The block sizes of `s`, in SLOTS order. */
function slotSizes(s: InvReprShape, features: number): number[] {
  const [h, q, d, w] = [s.width, s.pv + s.pw, s.inputs, s.pw];
  const poly = s.decoder === "poly" ? [d * features, d] : [0, 0];
  const mlp = s.decoder === "mlp" ? [h * q, h, h * h, h, d * h, d] : [0, 0, 0, 0, 0, 0];
  const pred = s.predictor ? [w * w, w, w, 1] : [0, 0, 0, 0];
  return [h * d, h, h, h, h * h, h, h, h, q * h, q, ...poly, ...mlp, ...pred];
}

/** The parameter layout of `s` (the same arithmetic as assembly/models/inv-repr-layout.ts). */
export function invReprLayout(s: InvReprShape): InvReprLayout {
  const q = s.pv + s.pw;
  const features = s.decoder === "poly" ? choose(q + s.decoderDegree, s.decoderDegree) : 0;
  const sizes = slotSizes(s, features);
  const slots = Object.fromEntries(
    SLOTS.map((name, k) => [name, sizes.slice(0, k).reduce((a, b) => a + b, 0)]),
  ) as Record<InvReprSlot, number>;
  return { ...slots, count: sizes.reduce((a, b) => a + b, 0), features };
}

/** Writes the descriptor into the core (inside `core.scoped`); returns its pointer. */
export function putInvReprDescriptor(core: Core, s: InvReprShape): number {
  const desc = Int32Array.from([
    s.dtype === "f32" ? 1 : 0,
    s.inputs,
    s.width,
    s.pv,
    s.pw,
    s.decoderDegree,
    s.environments,
    s.items,
    s.kernelDegree,
    s.decoder === "mlp" ? 1 : 0,
    s.predictor ? 1 : 0,
  ]);
  const ptr = core.alloc(Math.ceil(desc.length / 2));
  new Int32Array(core.wasm.memory.buffer, ptr, desc.length).set(desc);
  return ptr;
}

/** Writes the hyper block (f64) into the core; returns its pointer. */
export function putInvReprHyper(core: Core, h: InvReprHyper): number {
  return core.put([
    h.lambda1,
    h.lambda2,
    h.lambda4,
    h.kernelOffset,
    h.logdetEps,
    h.layerNormEps,
    h.lambda3,
    h.clipNorm,
  ]);
}

/**
 * Initial parameters as PyTorch: each Linear's weight and bias U(±1/√fan_in) (weight then bias,
 * layer by layer, in the layout's order), LayerNorm gain 1 and bias 0.
 */
export function initInvRepr(s: InvReprShape, rand: () => number): Float64Array {
  const l = invReprLayout(s);
  const p = new Float64Array(l.count);
  const fill = (from: number, to: number, fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    for (let k = from; k < to; k++) p[k] = (2 * rand() - 1) * bound;
  };
  fill(l.w1, l.g1, s.inputs);
  p.fill(1, l.g1, l.e1);
  fill(l.w2, l.g2, s.width);
  p.fill(1, l.g2, l.e2);
  fill(l.w3, l.wd, s.width);
  fill(l.wd, l.wd1, l.features);
  fill(l.wd1, l.wd2, s.pv + s.pw);
  fill(l.wd2, l.wp1, s.width);
  fill(l.wp1, l.count, s.pw);
  return p;
}
