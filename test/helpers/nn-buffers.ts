import type { Core } from "../../src/core/memory.js";
import { type GradCheck, gradCheck } from "./gradcheck.js";

/** The element type of an assembly/nn kernel's buffers (descriptor field 0: 0 = f64, 1 = f32). */
export type Dtype = "f64" | "f32";

/**
 * Buffers for assembly/nn kernels in one dtype, allocated from the core's arena (use inside
 * `core.scoped`). Views are taken afresh on every read and write, so memory growth between
 * allocations cannot leave a detached view behind.
 */
export class NnBuffers {
  constructor(
    readonly core: Core,
    readonly dtype: Dtype,
  ) {}

  /** An i32 descriptor: the dtype code, then `fields`. */
  desc(...fields: number[]): number {
    const all = [this.dtype === "f32" ? 1 : 0, ...fields];
    const ptr = this.core.alloc(Math.ceil(all.length / 2));
    new Int32Array(this.core.wasm.memory.buffer, ptr, all.length).set(all);
    return ptr;
  }

  /** An f64 hyperparameter block. */
  hyper(...values: number[]): number {
    return this.core.put(values);
  }

  /** A buffer of the dtype holding `values` (rounded to f32 for f32), or `values` zeros when a number. */
  put(values: ArrayLike<number> | number): number {
    const len = typeof values === "number" ? values : values.length;
    const ptr = this.core.alloc(this.dtype === "f32" ? Math.ceil(len / 2) : len);
    this.view(ptr, len).set(typeof values === "number" ? new Float64Array(len) : values);
    return ptr;
  }

  /** Overwrites the buffer at `ptr` with `values`. */
  write(ptr: number, values: ArrayLike<number>): void {
    this.view(ptr, values.length).set(values);
  }

  /** A copy, widened to f64, of `len` elements at `ptr`. */
  read(ptr: number, len: number): Float64Array {
    return Float64Array.from(this.view(ptr, len));
  }

  /** A view of `len` elements of the dtype at `ptr`: valid until the next allocation. */
  view(ptr: number, len: number): Float64Array | Float32Array {
    const buffer = this.core.wasm.memory.buffer;
    return this.dtype === "f32" ? new Float32Array(buffer, ptr, len) : new Float64Array(buffer, ptr, len);
  }
}

/** sum_i out[i] g[i] in f64: the scalar loss whose gradient with respect to out is g. */
export function weighted(out: ArrayLike<number>, g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (out[i] as number) * (g[i] as number);
  return s;
}

/** Finite-difference step and tolerance of gradCheck for a dtype (test/helpers/gradcheck.ts). */
export function fdSettings(dtype: Dtype): { h: number; tol: number } {
  return dtype === "f64" ? { h: 1e-6, tol: 1e-6 } : { h: 1e-2, tol: 1e-3 };
}

/** Tolerance of a dtype against an f64 PyTorch fixture: 1e-10 (f64), 1e-5 (f32) relative to the largest value. */
export function fixtureTol(dtype: Dtype, expected: ArrayLike<number>): { rtol: number; atol: number } {
  const rtol = dtype === "f64" ? 1e-10 : 1e-5;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  return { rtol, atol: rtol * scale };
}

/** A layer run on named f64 inputs: its output and the gradients of sum(out * g) for the inputs it checks. */
export type LayerRun = (inputs: Record<string, Float64Array>) => {
  out: Float64Array;
  grads: Record<string, Float64Array>;
};

/**
 * gradCheck of every input named in `run`'s grads against central differences of sum(out * g),
 * with the dtype's step; returns the worst relative error per input.
 */
export function layerGradCheck(
  dtype: Dtype,
  inputs: Record<string, Float64Array>,
  g: ArrayLike<number>,
  run: LayerRun,
): Record<string, GradCheck> {
  const { h } = fdSettings(dtype);
  const base = run(inputs);
  const worst: Record<string, GradCheck> = {};
  for (const [name, analytic] of Object.entries(base.grads)) {
    const x = Float64Array.from(inputs[name] as Float64Array);
    worst[name] = gradCheck((v) => weighted(run({ ...inputs, [name]: v }).out, g), x, analytic, h);
  }
  return worst;
}
