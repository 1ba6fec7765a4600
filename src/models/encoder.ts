import type { Core } from "../core/memory.js";

/**
 * The context encoder of assembly/models/encoder.ts described once on the TypeScript side: its
 * descriptor, its parameter layout and count, and its initialisation. Linear layers take P context
 * inputs through `hidden` ReLU layers of `width` units to the head's K + 1 values (theta_1 ...
 * theta_K, mu), or to K' archetype weights mixed by archetypes A (K' x (K + 1)); the prediction is
 * mu + sum_k theta_k x_k.
 */
export interface EncoderShape {
  /** P: context variables per row. */
  inputs: number;
  width: number;
  /** Hidden ReLU layers (0: the head's values are linear in C). */
  hidden: number;
  /** K: covariates of the varying-coefficient head (1: beta(C) x + mu(C)). */
  covariates: number;
  /** K': archetypes (0: the encoder outputs theta and mu itself). */
  archetypes: number;
  /** Minibatch size; predict and mse run in chunks of it. */
  batch: number;
  dtype: "f64" | "f32";
  /** false: the kernels' scalar twins (for tests and benchmarks). */
  simd?: boolean;
}

/** Where one Linear layer's weight (out x in, row-major) and bias sit in the parameters. */
export interface LinearSlot {
  in: number;
  out: number;
  weight: number;
  bias: number;
}

/** The parameters' layout: each Linear layer, then the archetypes (K' x (K + 1), row k = archetype k). */
export interface EncoderLayout {
  linear: LinearSlot[];
  archetypes: number;
  count: number;
}

/** torch.nn.Linear's weights and biases start in U(-1/sqrt(fan_in), +); the package's archetypes in U(-0.01, 0.01). */
const ARCHETYPE_INIT = 0.01;

/** Outputs of the last Linear layer. */
export function encoderOutputs(s: EncoderShape): number {
  return s.archetypes > 0 ? s.archetypes : s.covariates + 1;
}

/** The parameter layout of `s`. */
export function encoderLayout(s: EncoderShape): EncoderLayout {
  const dims = [s.inputs, ...Array<number>(s.hidden).fill(s.width), encoderOutputs(s)];
  const linear: LinearSlot[] = [];
  let at = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    const [nin, nout] = [dims[l] as number, dims[l + 1] as number];
    linear.push({ in: nin, out: nout, weight: at, bias: at + nout * nin });
    at += nout * nin + nout;
  }
  return { linear, archetypes: at, count: at + s.archetypes * (s.covariates + 1) };
}

/** The i32 descriptor assembly/models/encoder-layout.ts reads. */
export function encoderDescriptor(s: EncoderShape): Int32Array {
  return Int32Array.from([
    s.dtype === "f32" ? 1 : 0,
    s.inputs,
    s.width,
    s.hidden,
    s.covariates,
    s.archetypes,
    s.batch,
    s.simd === false ? 0 : 1,
  ]);
}

/** Writes the descriptor into the core (inside `core.scoped`); returns its pointer. */
export function putEncoderDescriptor(core: Core, s: EncoderShape): number {
  const desc = encoderDescriptor(s);
  const ptr = core.alloc(Math.ceil(desc.length / 2));
  new Int32Array(core.wasm.memory.buffer, ptr, desc.length).set(desc);
  return ptr;
}

/**
 * Initial parameters, drawn in layout order like torch.nn.Linear (per layer the weight, then the
 * bias, each U(-1/sqrt(fan_in), 1/sqrt(fan_in))), then the archetypes U(-0.01, 0.01).
 */
export function initEncoder(s: EncoderShape, rand: () => number): Float64Array {
  const layout = encoderLayout(s);
  const params = new Float64Array(layout.count);
  for (const slot of layout.linear) {
    const bound = 1 / Math.sqrt(slot.in);
    for (let k = slot.weight; k < slot.bias + slot.out; k++) params[k] = (2 * rand() - 1) * bound;
  }
  for (let k = layout.archetypes; k < layout.count; k++) params[k] = (2 * rand() - 1) * ARCHETYPE_INIT;
  return params;
}

/** Puts the pointers of C, x and y (in the training precision) in a block for the entry points' `data` argument. */
export function putEncoderData(core: Core, c: number, x: number, y: number): number {
  const ptr = core.alloc(2);
  core.u32(ptr, 3).set([c, x, y]);
  return ptr;
}
