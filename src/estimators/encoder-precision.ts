import type { Core } from "../core/memory.js";

/**
 * The encoder's buffers in one floating-point precision: `f64` (the default) or `f32`
 * (parameters, Adam moments, C, x and y in f32, f32x4 SIMD; loss sums and the step counter stay f64).
 */
export interface Precision {
  /** Allocates `len` elements; returns the byte pointer. */
  alloc(core: Core, len: number): number;
  /** Allocates and copies `values` in (rounded to the precision). */
  put(core: Core, values: ArrayLike<number>): number;
  /** A copy of `len` elements at `ptr`, as doubles. */
  read(core: Core, ptr: number, len: number): Float64Array;
  /** Writes the first `len` of `values` at `ptr` (rounded to the precision). */
  write(core: Core, ptr: number, values: ArrayLike<number>, len: number): void;
  /** Copies `len` elements from `from` to `to`. */
  copy(core: Core, to: number, from: number, len: number): void;
  /** `len` doubles at `ptr` (in the core) in this precision: `ptr` itself for f64, a converted copy for f32. */
  inCore(core: Core, ptr: number, len: number): number;
}

function f32View(core: Core, ptr: number, len: number): Float32Array {
  return new Float32Array(core.wasm.memory.buffer, ptr, len);
}

const F64: Precision = {
  alloc: (core, len) => core.alloc(len),
  put: (core, values) => core.put(values),
  read: (core, ptr, len) => core.read(ptr, len),
  write: (core, ptr, values, len) => core.view(ptr, len).set(Array.prototype.slice.call(values, 0, len)),
  copy: (core, to, from, len) => core.copyTo(to, from, len),
  inCore: (_core, ptr) => ptr,
};

const F32: Precision = {
  alloc: (core, len) => core.alloc(Math.ceil(len / 2)),
  put: (core, values) => {
    const ptr = core.alloc(Math.ceil(values.length / 2));
    f32View(core, ptr, values.length).set(values);
    return ptr;
  },
  read: (core, ptr, len) => Float64Array.from(f32View(core, ptr, len)),
  write: (core, ptr, values, len) => f32View(core, ptr, len).set(Array.prototype.slice.call(values, 0, len)),
  copy: (core, to, from, len) => f32View(core, to, len).set(f32View(core, from, len)),
  inCore: (core, ptr, len) => {
    const out = core.alloc(Math.ceil(len / 2));
    f32View(core, out, len).set(core.view(ptr, len));
    return out;
  },
};

/** The buffers of `precision`. */
export function precisionOf(precision: "f64" | "f32"): Precision {
  return precision === "f32" ? F32 : F64;
}
