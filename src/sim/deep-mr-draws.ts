import type { RandomStream } from "./rng.js";

/** Uniforms drawn from the stream per refill: bulk draws, consumed one at a time. */
const BLOCK = 4096;

/**
 * The deep_mr_sim DGP's draws, all from uniforms of one stream taken in blocks (the task stream,
 * spec Q8): the same seed gives the same sequence of values whatever consumes them.
 */
export class Draws {
  private block: Float64Array = new Float64Array(0);
  private at = 0;

  constructor(private readonly rng: RandomStream) {}

  /** The next uniform on [0, 1). */
  next(): number {
    if (this.at === this.block.length) {
      this.block = this.rng.uniform(0, 1, BLOCK);
      this.at = 0;
    }
    return this.block[this.at++] as number;
  }

  /** An integer uniform on lo..hi inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.min(hi - lo, Math.floor(this.next() * (hi - lo + 1)));
  }

  /** Whether an event of probability p happens. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * The index of a category with weights w[off .. off + 4): the first whose cumulative weight
   * exceeds a uniform, the last when rounding leaves the uniform above them all (smoothed motif
   * rows are not renormalised, spec §3.1).
   */
  base(w: ArrayLike<number>, off: number): number {
    const u = this.next();
    let c = 0;
    for (let b = 0; b < 3; b++) {
      c += w[off + b] as number;
      if (u < c) return b;
    }
    return 3;
  }

  /** A Poisson(λ) count, λ >= 0: numpy's algorithms (multiplication below 10, Hörmann's PTRS above). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    return lambda >= 10 ? this.ptrs(lambda) : this.multiplication(lambda);
  }

  private multiplication(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let prod = this.next();
    while (prod > limit) {
      k++;
      prod *= this.next();
    }
    return k;
  }

  /** Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
  private ptrs(lambda: number): number {
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.next() - 0.5;
      const V = this.next();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1))
        return k;
    }
  }
}

/** Stirling-series coefficients of numpy's random_loggam. */
const LOGGAM = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/** log Γ(x) for x > 0 (numpy's random_loggam: shift to x >= 7, then the Stirling series). */
export function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  const n = x < 7 ? Math.floor(7 - x) : 0;
  let x0 = x + n;
  const x2 = 1 / (x0 * x0);
  let gl0 = LOGGAM[9] as number;
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + (LOGGAM[k] as number);
  let gl = gl0 / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 1; k <= n; k++) {
    gl -= Math.log(x0 - 1);
    x0 -= 1;
  }
  return gl;
}
