import { errors } from "../errors.js";
import type { CoreExports } from "./exports.js";

/** Bytes a wasm32 pointer can reach, less the arena's 16-byte alignment. */
const ADDRESS_SPACE = 2 ** 32 - 16;

/**
 * One instance of the numeric core and its memory. Buffers come from an arena: `scoped` takes a
 * mark, runs the computation and frees everything allocated inside it. Views are re-taken
 * whenever memory has grown (growth detaches the old ArrayBuffer).
 */
export class Core {
  readonly wasm: CoreExports;
  private buffer: ArrayBuffer;
  private f64: Float64Array;

  constructor(wasm: CoreExports) {
    this.wasm = wasm;
    this.buffer = wasm.memory.buffer;
    this.f64 = new Float64Array(this.buffer);
  }

  /** All of memory as doubles, valid until the next allocation. */
  get heap(): Float64Array {
    if (this.wasm.memory.buffer !== this.buffer) {
      this.buffer = this.wasm.memory.buffer;
      this.f64 = new Float64Array(this.buffer);
    }
    return this.f64;
  }

  /**
   * The highest arena address handed out (bytes) since it was last set: tests set it to the mark
   * before a fit and read how much the fit used, against the estimator's declared workspace.
   */
  peak = 0;

  /** Allocates room for `len` doubles (16-byte aligned) and returns its byte pointer. */
  alloc(len: number): number {
    // Refused past wasm32's 4 GiB: the arena's u32 byte count would wrap to a small, wrong block.
    const ptr = len * 8 <= ADDRESS_SPACE - (this.wasm.mark() >>> 0) ? this.wasm.alloc(len * 8) : 0;
    if (ptr === 0) throw errors.run("core", `could not allocate ${len} doubles (WASM memory is exhausted)`);
    const end = ptr + len * 8;
    if (end > this.peak) this.peak = end;
    return ptr;
  }

  /**
   * Grows memory, if needed, so that `bytes` more fit above the arena's top, and allocates nothing.
   * Returns whether memory grew (which detaches every view of it taken before).
   */
  reserve(bytes: number): boolean {
    const before = this.wasm.memory.buffer;
    const m = this.wasm.mark();
    const peak = this.peak;
    this.alloc(Math.ceil(bytes / 8));
    this.wasm.reset(m);
    this.peak = peak;
    return this.wasm.memory.buffer !== before;
  }

  /** Allocates and copies `src` in; returns the pointer. */
  put(src: ArrayLike<number>): number {
    const ptr = this.alloc(src.length);
    this.heap.set(src, ptr >>> 3);
    return ptr;
  }

  /** Whether `a` is a view of this core's memory, so that its pointer is `a.byteOffset`. */
  holds(a: ArrayLike<number>): boolean {
    return a instanceof Float64Array && a.buffer === this.wasm.memory.buffer;
  }

  /** The pointer of `src` when it already lives in the core, else of a copy put there: for inputs the caller only reads. */
  at(src: ArrayLike<number>): number {
    return this.holds(src) ? (src as Float64Array).byteOffset : this.put(src);
  }

  /**
   * Where a kernel should write `out`: in place when `out` lives in the core, else a new buffer
   * that `deliver` copies out. Take it before other allocations: growing memory detaches views.
   */
  target(out: Float64Array): number {
    return this.holds(out) ? out.byteOffset : this.alloc(out.length);
  }

  /** Copies a kernel's output at `ptr` (from `target`) into `out` unless it was written in place; returns `out`. */
  deliver(ptr: number, out: Float64Array): Float64Array {
    if (!this.holds(out) || out.byteOffset !== ptr) out.set(this.view(ptr, out.length));
    return out;
  }

  /** Copies `len` doubles from `from` to `to`, both in the core. */
  copyTo(to: number, from: number, len: number): void {
    this.heap.copyWithin(to >>> 3, from >>> 3, (from >>> 3) + len);
  }

  /** A new buffer holding a copy of the `len` doubles at `ptr`; returns its pointer. */
  copy(ptr: number, len: number): number {
    const out = this.alloc(len);
    this.copyTo(out, ptr, len);
    return out;
  }

  /** A view of `len` doubles at `ptr`: valid until the next allocation. */
  view(ptr: number, len: number): Float64Array {
    const at = ptr >>> 3;
    return this.heap.subarray(at, at + len);
  }

  /** A view of `len` 32-bit words at `ptr` (4-byte aligned): valid until the next allocation. */
  u32(ptr: number, len: number): Uint32Array {
    return new Uint32Array(this.wasm.memory.buffer, ptr, len);
  }

  /** A copy of `len` doubles at `ptr`. */
  read(ptr: number, len: number): Float64Array {
    return this.view(ptr, len).slice();
  }

  /**
   * Runs `fn(...args)` and then frees everything it allocated. Pass a module-level function and its
   * arguments rather than a fresh closure on hot paths: V8 drops a dead closure's optimised code at
   * each major GC, so a closure made per call is recompiled again and again.
   */
  scoped<A extends unknown[], T>(fn: (...args: A) => T, ...args: A): T {
    const m = this.wasm.mark();
    try {
      return fn(...args);
    } finally {
      this.wasm.reset(m);
    }
  }
}
