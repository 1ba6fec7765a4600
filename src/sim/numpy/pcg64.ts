import type { Core } from "../../core/memory.js";
import { generateState } from "./seed-sequence.js";

/** Raw outputs fetched from the WASM core per refill. */
const BLOCK = 1024;

/**
 * numpy's PCG64 seeded through SeedSequence, as `np.random.default_rng(seed).bit_generator`. The
 * 128-bit LCG runs in WASM (u64 arithmetic) in blocks; its state lives here between blocks, so
 * the stream does not depend on the core's arena. Outputs are read as (lo, hi) 32-bit halves, so
 * no BigInt is needed.
 */
export class Pcg64 {
  private readonly core: Core;
  private readonly state = new Uint32Array(8);
  private block = new Uint32Array(0);
  private at = 0;

  constructor(core: Core, seed: number) {
    this.core = core;
    const words = generateState(seed, 8);
    core.scoped(() => {
      const st = core.alloc(4);
      const sd = core.alloc(4);
      core.u32(sd, 8).set(words);
      core.wasm.pcg64_seed(st, sd);
      this.state.set(core.u32(st, 8));
    });
  }

  private refill(): void {
    const { core } = this;
    core.scoped(() => {
      const st = core.alloc(4);
      const out = core.alloc(BLOCK);
      core.u32(st, 8).set(this.state);
      core.wasm.pcg64_fill(st, out, BLOCK);
      this.state.set(core.u32(st, 8));
      this.block = core.u32(out, 2 * BLOCK).slice();
    });
    this.at = 0;
  }

  /** Advances to the next raw output; read it with `lo` and `hi`. */
  next(): void {
    if (this.at + 2 >= this.block.length) this.refill();
    else this.at += 2;
  }

  /** Low 32 bits of the current output. */
  get lo(): number {
    return this.block[this.at] as number;
  }

  /** High 32 bits of the current output. */
  get hi(): number {
    return this.block[this.at + 1] as number;
  }

  /** numpy's next_double: (u64 >> 11) * 2^-53, computed exactly from the halves. */
  nextDouble(): number {
    this.next();
    return (this.hi * 2097152 + (this.lo >>> 11)) * 1.1102230246251565e-16;
  }
}
