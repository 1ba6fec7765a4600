import type { Core } from "../core/memory.js";

/**
 * Where a simulation puts its arrays: `length` doubles with arbitrary contents, so every element
 * must be written before it is read.
 */
export type Allocate = (length: number) => Float64Array;

/** Fresh arrays: the default outside sweeps. */
export const freshArrays: Allocate = (length) => new Float64Array(length);

/**
 * Views of the core's arena, allocated in order: a sweep worker simulates each task's dataset
 * straight into WASM memory, so the draws land where the kernels read them and nothing is copied
 * between JavaScript arrays and the core. A piece lives until the arena is reset below it. Growing
 * memory detaches every view handed out before, so the caller must notice growth and simulate
 * again (see `simulateInCore` in src/sweep/run-task.ts).
 */
export class CoreArrays {
  constructor(private readonly core: Core) {}

  readonly take: Allocate = (length) => this.core.view(this.core.alloc(length), length);
}

/**
 * `length` bytes from an allocator of doubles (a byte view of ⌈length/8⌉ of them): with the arena
 * allocator a DGP's byte matrices (sequences) land in the core's memory like its columns, so
 * kernels read them in place. Contents are arbitrary until written.
 */
export function allocBytes(alloc: Allocate, length: number): Uint8Array {
  const words = alloc(Math.ceil(length / 8));
  return new Uint8Array(words.buffer, words.byteOffset, length);
}
