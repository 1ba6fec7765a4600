import type { Core } from "../../src/core/memory.js";

/** The value written just past every placed buffer, to catch kernels that write out of bounds. */
export const SENTINEL = 12345.678;

/**
 * Copies `src` into the core `offset` elements past a 16-byte boundary (so SIMD loads are
 * unaligned), with NaN before the data (a kernel that reads there poisons its result) and
 * `SENTINEL` after it. Returns the pointer to the first element.
 */
export function placed(core: Core, src: ArrayLike<number>, offset: number): number {
  const out = new Float64Array(offset + src.length + 1).fill(Number.NaN);
  out.set(src, offset);
  out[offset + src.length] = SENTINEL;
  return core.put(out) + offset * 8;
}
