/**
 * Where a simulation puts its arrays: `length` doubles with arbitrary contents, so every element
 * must be written before it is read.
 */
export type Allocate = (length: number) => Float64Array;

/** Fresh arrays: the default outside sweeps. */
export const freshArrays: Allocate = (length) => new Float64Array(length);

/**
 * A grow-only buffer handed out in pieces and reused after `reset`. A sweep worker simulates each
 * task's dataset into one, so a steady sweep allocates no ArrayBuffers for its data: V8 counts them
 * as external memory and starts a full GC for every 64 MB of it, and each full GC also drops
 * optimised code that the next tasks then recompile. Pieces stay valid until `reset`; growing
 * moves on to a new buffer and leaves earlier pieces where they are.
 */
export class Slab {
  private buffer = new Float64Array(0);
  private used = 0;

  readonly take: Allocate = (length) => {
    if (this.used + length > this.buffer.length) {
      this.buffer = new Float64Array(Math.max(2 * this.buffer.length, length, 1 << 16));
      this.used = 0;
    }
    const piece = this.buffer.subarray(this.used, this.used + length);
    this.used += length;
    return piece;
  };

  /** Makes the whole buffer available again: every piece handed out so far may now be overwritten. */
  reset(): void {
    this.used = 0;
  }
}
