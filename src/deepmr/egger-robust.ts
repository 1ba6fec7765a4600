import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { seedrandomStream } from "../sim/numpy/stream.js";
import type { RandomStream } from "../sim/rng.js";
import { normalQuantile, normalSf } from "../stats/normal.js";
import { type LmrobControl, type LmrobStatus, lmrob } from "./lmrob.js";

/**
 * Robust MR-Egger as MendelianRandomization's `mr_egger(robust = TRUE)` computes it (the Deep MR
 * authors' choice above 10 instruments, deep-mr.md 2.1): orient to bx* = |bx|, by* = sign(bx) by;
 * `lmrob(by* ~ bx*, weights = sy^-2, k.max = 500, maxit.scale = 500)`; each SE divided by
 * min(robust scale, 1); normal 95% interval and two-sided normal p-value.
 */

/** One robust MR-Egger fit, in the shape the Deep MR dispatcher takes from `robustFit`. */
export interface EggerRobustResult {
  /** Slope: the causal estimate. */
  estimate: number;
  se: number;
  ci_lower: number;
  ci_upper: number;
  /** Two-sided normal p-value of the slope. */
  p: number;
  intercept: number;
  intercept_se: number;
  /**
   * lmrob's status. `not_converged`: estimates kept, SE, CI and p NaN (robustbase reports no
   * covariance); `exact_fit`: S-scale 0, SE NaN (0/0 as in R); `singular`: all NaN (R stops,
   * and the authors drop the sequence).
   */
  status: LmrobStatus;
}

/** MendelianRandomization's settings for the robust fit, on top of lmrob.control's defaults. */
export const EGGER_LMROB: Partial<LmrobControl> = { kMax: 500, maxitScale: 500 };

const Z975 = normalQuantile(0.975);

function checkInputs(bx: ArrayLike<number>, by: ArrayLike<number>, sy: ArrayLike<number>): void {
  const where = "egger_robust";
  const n = bx.length;
  if (n < 3) throw errors.invalid(where, "the number of instruments", "at least 3", n);
  if (by.length !== n || sy.length !== n) {
    throw errors.invalid(where, "bx, by and sy", "of equal length", `${n}, ${by.length}, ${sy.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(bx[i]) && Number.isFinite(by[i]))) {
      throw errors.invalid(where, `bx and by at ${i}`, "finite", `${bx[i]}, ${by[i]}`);
    }
    const s = sy[i] as number;
    if (!(s > 0 && Number.isFinite(s))) throw errors.invalid(where, `sy at ${i}`, "positive and finite", s);
  }
}

/**
 * Robust MR-Egger of by on bx with outcome SEs sy (at least 3 instruments), the subsamples drawn
 * from `rng` (a stream, or a seed for the project's seedrandom-seeded PCG64).
 */
export function eggerRobust(
  core: Core,
  bx: ArrayLike<number>,
  by: ArrayLike<number>,
  sy: ArrayLike<number>,
  rng: RandomStream | number | string,
): EggerRobustResult {
  checkInputs(bx, by, sy);
  const n = bx.length;
  const x = new Float64Array(2 * n).fill(1, 0, n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = bx[i] as number;
    x[n + i] = Math.abs(b);
    y[i] = Math.sign(b) * (by[i] as number);
    w[i] = (sy[i] as number) ** -2;
  }
  const fit = lmrob(core, { rows: n, cols: 2, data: x }, y, w, rng, EGGER_LMROB);
  if (fit.status === "singular") return eggerRow(Number.NaN, Number.NaN, Number.NaN, Number.NaN, fit.status);
  // The covariance is NaN unless converged and 0 for an exact fit, whose scale 0 then gives 0/0.
  const divisor = Math.min(fit.scale, 1);
  const [a, b] = fit.coefficients as unknown as [number, number];
  return eggerRow(b, (fit.se[1] as number) / divisor, a, (fit.se[0] as number) / divisor, fit.status);
}

function eggerRow(est: number, se: number, icpt: number, icptSe: number, status: LmrobStatus): EggerRobustResult {
  return {
    estimate: est,
    se,
    ci_lower: est - Z975 * se,
    ci_upper: est + Z975 * se,
    p: 2 * normalSf(Math.abs(est / se)),
    intercept: icpt,
    intercept_se: icptSe,
    status,
  };
}

/**
 * `robustFit(bx, by, sy)` for the Deep MR dispatcher: robust MR-Egger on `core`, every fit drawing
 * its subsamples from one stream seeded once from `seed` (so a sequence of fits in a fixed order
 * is reproducible).
 */
export function robustFitter(
  core: Core,
  seed: number | string,
): (bx: ArrayLike<number>, by: ArrayLike<number>, sy: ArrayLike<number>) => EggerRobustResult {
  const stream = seedrandomStream(seed, core);
  return (bx, by, sy) => eggerRobust(core, bx, by, sy, stream);
}
