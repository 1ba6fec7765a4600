import type { Core } from "../core/memory.js";

/**
 * inv_repr's network (assembly/models/inv-repr*.ts, invariance-mr §3.4) described once on the
 * TypeScript side: descriptor, parameter layout, hyperparameters and initialisation. Encoder
 * Linear(dz→h) → LayerNorm → ReLU → Linear(h→h) → LayerNorm → ReLU → Linear(h→p̂_V + p̂_W); decoder
 * polynomial features of the latents (constant included) → Linear(→dz).
 */
export interface InvReprShape {
  /** dz: observed instruments per row. */
  inputs: number;
  width: number;
  /** p̂_V and p̂_W: latent sizes (default 2 and 2). */
  pv: number;
  pw: number;
  /** Degree of the polynomial decoder (the mixing degree). */
  decoderDegree: number;
  /** E environments and b items per batch: a batch is E b rows grouped by environment. */
  environments: number;
  items: number;
  /** Degree of the polynomial kernel of MMD² and HSIC (default 2). */
  kernelDegree: number;
  dtype: "f64" | "f32";
}

/** The loss weights and constants of one run (λ3, the relatedness loss, is not implemented). */
export interface InvReprHyper {
  lambda1: number;
  lambda2: number;
  /** λ4, the entropy (log-det) weight: 0.01 in the study. */
  lambda4: number;
  /** c of the kernel (x'y + c)^degree: 1. */
  kernelOffset: number;
  logdetEps: number;
  layerNormEps: number;
}

/** The study's defaults (invariance-mr §3.4) for the given λ1, λ2. */
export function invReprHyper(lambda1: number, lambda2: number): InvReprHyper {
  return { lambda1, lambda2, lambda4: 0.01, kernelOffset: 1, logdetEps: 1e-6, layerNormEps: 1e-5 };
}

/** C(n + k, k). */
function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The parameter blocks in the core's order. */
const SLOTS = ["w1", "b1", "g1", "e1", "w2", "b2", "g2", "e2", "w3", "b3", "wd", "bd"] as const;

/** Where each parameter block starts (elements), in the core's order, and the total. */
export interface InvReprLayout {
  w1: number;
  b1: number;
  g1: number;
  e1: number;
  w2: number;
  b2: number;
  g2: number;
  e2: number;
  w3: number;
  b3: number;
  wd: number;
  bd: number;
  count: number;
  /** Decoder features: C(q + degree, degree). */
  features: number;
}

/** The parameter layout of `s` (the same arithmetic as assembly/models/inv-repr-layout.ts). */
export function invReprLayout(s: InvReprShape): InvReprLayout {
  const [h, q] = [s.width, s.pv + s.pw];
  const features = choose(q + s.decoderDegree, s.decoderDegree);
  const sizes = [h * s.inputs, h, h, h, h * h, h, h, h, q * h, q, s.inputs * features, s.inputs];
  const slots = Object.fromEntries(
    SLOTS.map((name, k) => [name, sizes.slice(0, k).reduce((a, b) => a + b, 0)]),
  ) as Record<(typeof SLOTS)[number], number>;
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
  ]);
  const ptr = core.alloc(Math.ceil(desc.length / 2));
  new Int32Array(core.wasm.memory.buffer, ptr, desc.length).set(desc);
  return ptr;
}

/** Writes the hyper block (f64) into the core; returns its pointer. */
export function putInvReprHyper(core: Core, h: InvReprHyper): number {
  return core.put([h.lambda1, h.lambda2, h.lambda4, h.kernelOffset, h.logdetEps, h.layerNormEps]);
}

/**
 * Initial parameters as PyTorch: each Linear's weight and bias U(±1/√fan_in) (weight then bias,
 * layer by layer), LayerNorm gain 1 and bias 0.
 */
export function initInvRepr(s: InvReprShape, rand: () => number): Float64Array {
  const l = invReprLayout(s);
  const p = new Float64Array(l.count);
  const fill = (from: number, to: number, bound: number) => {
    for (let k = from; k < to; k++) p[k] = (2 * rand() - 1) * bound;
  };
  fill(l.w1, l.g1, 1 / Math.sqrt(s.inputs));
  p.fill(1, l.g1, l.e1);
  fill(l.w2, l.g2, 1 / Math.sqrt(s.width));
  p.fill(1, l.g2, l.e2);
  fill(l.w3, l.wd, 1 / Math.sqrt(s.width));
  fill(l.wd, l.count, 1 / Math.sqrt(l.features));
  return p;
}
