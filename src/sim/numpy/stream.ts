import type { Core } from "../../core/memory.js";
import type { RandomStream } from "../rng.js";
import { Pcg64 } from "./pcg64.js";
import { FI, KI, WI, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R } from "./ziggurat-tables.js";

/**
 * The distributions of numpy's `Generator` that the study draws, bit for bit:
 * `np.random.default_rng(seed)`'s uniform, normal (256-layer ziggurat), integers (Lemire's method
 * on 32-bit halves, with the bit generator's own buffered half) and binomial (inversion).
 * see: numpy/random/src/distributions/distributions.c (random_standard_normal,
 * random_binomial_inversion), numpy/random/src/distributions/random_bounded_integers.c.in
 * (buffered_bounded_lemire_uint32), numpy/random/src/pcg64/pcg64.h (pcg64_next32).
 */
export class NumpyStream implements RandomStream {
  readonly backend = "numpy-pcg64";
  private readonly bits: Pcg64;
  /** The spare high half that pcg64_next32 keeps between calls (has_uint32 / uinteger). */
  private spare32 = -1;

  constructor(seed: number, core: Core) {
    this.bits = new Pcg64(core, seed);
  }

  /** The next raw 64-bit outputs as hex strings (numpy's bit_generator.random_raw), for tests. */
  randomRaw(count: number): string[] {
    return Array.from({ length: count }, () => {
      this.bits.next();
      return `0x${this.bits.hi.toString(16).padStart(8, "0")}${this.bits.lo.toString(16).padStart(8, "0")}`;
    });
  }

  /** `count` doubles in [0, 1) (numpy's Generator.random). */
  random(count: number): Float64Array {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = this.bits.nextDouble();
    return out;
  }

  /** pcg64_next32: the low half of a fresh output, keeping the high half for the next call. */
  private next32(): number {
    if (this.spare32 >= 0) {
      const v = this.spare32;
      this.spare32 = -1;
      return v;
    }
    this.bits.next();
    this.spare32 = this.bits.hi;
    return this.bits.lo;
  }

  private standardNormal(): number {
    const b = this.bits;
    for (;;) {
      b.next();
      const lo = b.lo;
      const idx = lo & 0xff;
      const negative = ((lo >>> 8) & 1) === 1;
      // rabs = bits 9..60 of the output (52 bits), exact as a double
      const rabs = (b.hi & 0x1fffffff) * 8388608 + (lo >>> 9);
      const x = rabs * (WI[idx] as number);
      const signed = negative ? -x : x;
      if (rabs < (KI[idx] as number)) return signed;
      if (idx === 0) {
        const tailNegative = ((lo >>> 17) & 1) === 1;
        for (;;) {
          const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-b.nextDouble());
          const yy = -Math.log1p(-b.nextDouble());
          if (yy + yy > xx * xx) return tailNegative ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
        }
      }
      const f0 = FI[idx - 1] as number;
      const f1 = FI[idx] as number;
      if ((f0 - f1) * b.nextDouble() + f1 < Math.exp(-0.5 * signed * signed)) return signed;
    }
  }

  uniform(low: number, high: number, size: number): Float64Array {
    const range = high - low;
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = low + range * this.bits.nextDouble();
    return out;
  }

  normal(mean: number, sd: number, size: number): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = mean + sd * this.standardNormal();
    return out;
  }

  /** Generator.integers(low, high): Lemire's nearly divisionless method for ranges below 2^32 - 1. */
  integers(low: number, high: number, size: number): Float64Array {
    const rng = high - low - 1;
    if (rng === 0) return new Float64Array(size).fill(low);
    if (!(rng > 0 && rng < 0xffffffff))
      throw new RangeError(`numpy backend: integers range ${rng + 1} is not supported`);
    const excl = rng + 1;
    const threshold = (0xffffffff - rng) % excl;
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let m = this.next32() * excl;
      let leftover = m % 4294967296;
      if (leftover < excl) {
        while (leftover < threshold) {
          m = this.next32() * excl;
          leftover = m % 4294967296;
        }
      }
      out[i] = low + Math.floor(m / 4294967296);
    }
    return out;
  }

  /** Binomial(n, p) by numpy's inversion algorithm, with its constants precomputed by `inversionSetup`. */
  private binomial(c: Inversion): number {
    if (c.n === 0 || c.p === 0) return 0;
    let x = 0;
    let px = c.qn;
    let u = this.bits.nextDouble();
    while (u > px) {
      x++;
      if (x > c.bound) {
        x = 0;
        px = c.qn;
        u = this.bits.nextDouble();
      } else {
        u -= px;
        px = ((c.n - x + 1) * c.p * px) / (x * c.q);
      }
    }
    return c.flip ? c.n - x : x;
  }

  binomialMatrix(trials: number, probs: Float64Array, rows: number): Float64Array {
    const cols = probs.length;
    const setups = Array.from(probs, (p) => inversionSetup(trials, p));
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[j * rows + i] = this.binomial(setups[j] as Inversion);
    }
    return out;
  }
}

/** Constants of numpy's binomial inversion for one (n, p), as its binomial_t cache holds them. */
interface Inversion {
  n: number;
  p: number;
  q: number;
  qn: number;
  bound: number;
  /** p > 0.5: draw with 1 - p and return n - X, as numpy does. */
  flip: boolean;
}

function inversionSetup(n: number, prob: number): Inversion {
  const flip = prob > 0.5;
  const p = flip ? 1 - prob : prob;
  if (p * n > 30) throw new RangeError(`numpy backend: binomial with n p = ${p * n} > 30 (BTPE) is not supported`);
  const q = 1 - p;
  const np = n * p;
  return {
    n,
    p,
    q,
    qn: Math.exp(n * Math.log(q)),
    bound: Math.trunc(Math.min(n, np + 10 * Math.sqrt(np * q + 1))),
    flip,
  };
}
