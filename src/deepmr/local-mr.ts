import { described, errors } from "../errors.js";
import { egger, normalInference } from "../summary/methods.js";

/**
 * Local (per-sequence) MR of Deep MR (specification sections 2 steps 6 and 8, and 2.1): MR-Egger
 * with MendelianRandomization's conventions, by weighted least squares up to 10 instruments and by
 * an injected robust (MM) regression above, and the naive ratio baseline.
 */

/** How to choose the robust fit: "auto" above 10 instruments (MendelianRandomization's rule), or always / never. */
export type EggerRobust = "auto" | "never" | "always";

export const EGGER_ROBUST: readonly EggerRobust[] = ["auto", "never", "always"];

/**
 * A robust weighted regression of y on [1, x] (lmrob's MM fit in MendelianRandomization), supplied by
 * the caller: coefficients (intercept, slope), their robust SEs, and the robust residual scale; null
 * when the fit fails (the sequence is then dropped).
 */
export type RobustRegression = (
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
) => { coef: readonly [number, number]; se: readonly [number, number]; scale: number } | null;

/** Options of `localEgger`. */
export interface LocalEggerOptions {
  robust?: EggerRobust;
  robustFit?: RobustRegression;
}

/** One sequence's MR-Egger slope with its normal 95% CI, the intercept, and how it was fitted. */
export interface LocalEgger {
  estimate: number;
  se: number;
  ci_lower: number;
  ci_upper: number;
  p_value: number;
  intercept: number;
  intercept_se: number;
  instruments: number;
  method: "wls" | "robust";
  /** The robust fit was called for but none was supplied, so WLS was used instead. */
  robust_missing: boolean;
}

/** Instruments above which "auto" uses the robust fit. */
export const ROBUST_ABOVE = 10;

function checkLengths(bx: ArrayLike<number>, by: ArrayLike<number>, sy: ArrayLike<number>): void {
  if (by.length !== bx.length || sy.length !== bx.length)
    throw errors.invalid(
      "deep MR local Egger",
      "bx, by and sy",
      "of equal length",
      described(`${bx.length}, ${by.length}, ${sy.length}`),
    );
}

/** A fit counts when its slope is finite and its SE finite and positive; anything else drops the sequence. */
function usable(r: LocalEgger): LocalEgger | null {
  return Number.isFinite(r.estimate) && Number.isFinite(r.se) && r.se > 0 ? r : null;
}

/** WLS Egger through summary/methods.ts `egger` (orientation by sign(bx), weights sy^-2, se / min(sigma, 1), normal CI). */
function wlsEgger(bx: Float64Array, by: Float64Array, sy: Float64Array, robustMissing: boolean): LocalEgger {
  const J = bx.length;
  const e = egger({ names: [], bx, sx: new Float64Array(J).fill(Number.NaN), by, sy });
  return {
    estimate: e.estimate,
    se: e.se,
    ci_lower: e.ci_lower,
    ci_upper: e.ci_upper,
    p_value: e.p_value,
    intercept: e.intercept,
    intercept_se: e.intercept_se,
    instruments: J,
    method: "wls",
    robust_missing: robustMissing,
  };
}

/** The robust path: the same orientation and weights, SEs divided by min(robust scale, 1), normal CI. */
function robustEgger(bx: Float64Array, by: Float64Array, sy: Float64Array, fit: RobustRegression): LocalEgger | null {
  const x = bx.map(Math.abs);
  const y = by.map((b, i) => ((bx[i] as number) < 0 ? -b : b));
  const w = sy.map((s) => 1 / (s * s));
  const r = fit(x, y, w);
  if (r === null) return null;
  const scale = Math.min(r.scale, 1);
  const slope = normalInference(r.coef[1], r.se[1] / scale);
  return {
    ...slope,
    intercept: r.coef[0],
    intercept_se: r.se[0] / scale,
    instruments: bx.length,
    method: "robust",
    robust_missing: false,
  };
}

/**
 * MR-Egger of one sequence's kept instruments (exposure effects bx, outcome effects by and their SEs sy),
 * or null when it has 2 or fewer instruments or the fit fails (non-finite slope, SE not > 0, or the
 * robust fit returning null). With robust "auto" above 10 instruments, or "always", the injected
 * `robustFit` is used; "auto" without one falls back to WLS and sets `robust_missing`; "always"
 * without one is an input error.
 */
export function localEgger(
  bx: Float64Array,
  by: Float64Array,
  sy: Float64Array,
  options: LocalEggerOptions = {},
): LocalEgger | null {
  checkLengths(bx, by, sy);
  const robust = options.robust ?? "auto";
  if (!EGGER_ROBUST.includes(robust))
    throw errors.unknownId("deep MR local Egger", "egger_robust", robust, EGGER_ROBUST);
  if (robust === "always" && !options.robustFit)
    throw errors.missing("deep MR local Egger", "a robust fit", 'supplied when egger_robust is "always"');
  if (bx.length <= 2) return null;
  const wantRobust = robust === "always" || (robust === "auto" && bx.length > ROBUST_ABOVE);
  if (wantRobust && options.robustFit) {
    const r = robustEgger(bx, by, sy, options.robustFit);
    return r && usable(r);
  }
  return usable(wlsEgger(bx, by, sy, wantRobust));
}

/** The naive local estimate: mean_j (by_j / bx_j) over the kept instruments; null with 2 or fewer. */
export function localNaive(bx: ArrayLike<number>, by: ArrayLike<number>): number | null {
  if (bx.length <= 2) return null;
  let sum = 0;
  for (let j = 0; j < bx.length; j++) sum += (by[j] as number) / (bx[j] as number);
  return sum / bx.length;
}

/** The naive global estimate and its band: mean of the local means, mean -/+ 2 SD (divisor n - 1). */
export function naiveGlobal(locals: ArrayLike<number>): {
  estimate: number;
  sd: number;
  band_lower: number;
  band_upper: number;
  n: number;
} {
  const n = locals.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += locals[i] as number;
  const estimate = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((locals[i] as number) - estimate) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN;
  return { estimate, sd, band_lower: estimate - 2 * sd, band_upper: estimate + 2 * sd, n };
}
