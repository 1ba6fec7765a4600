import { chiSquareSf, studentTTwoSided } from "../stats/dist.js";
import { normalQuantile, normalSf } from "../stats/normal.js";
import type { SummaryData } from "./data.js";

/**
 * Summary-level MR estimators with MendelianRandomization's defaults (that package's R code and documentation):
 * IVW, MR-Egger, weighted and simple median, weighted mode. Inference uses the normal distribution.
 * The TwoSampleMR conventions (section 3.9) are an option: IVW always with the random-effects SE,
 * MR-Egger p-values from t on J - 2 df, second-order weighted-median weights, 1000 median
 * bootstraps, and the mode's p-value from t on J - 1 df (intervals stay normal, as TwoSampleMR's).
 */

/** Whose defaults and conventions the summary-level estimators follow. */
export type Convention = "MendelianRandomization" | "TwoSampleMR";

export const CONVENTIONS: readonly Convention[] = ["MendelianRandomization", "TwoSampleMR"];

/** An estimate with its normal-theory interval and p-value. */
export interface Inference {
  estimate: number;
  se: number;
  ci_lower: number;
  ci_upper: number;
  p_value: number;
}

const Z975 = normalQuantile(0.975);

/** Estimate and SE with a normal 95% interval and two-sided p. */
export function normalInference(estimate: number, se: number): Inference {
  return {
    estimate,
    se,
    ci_lower: estimate - Z975 * se,
    ci_upper: estimate + Z975 * se,
    p_value: 2 * normalSf(Math.abs(estimate / se)),
  };
}

/** A normal 95% interval with a two-sided p-value from t on `df` degrees of freedom (TwoSampleMR). */
export function tPInference(estimate: number, se: number, df: number): Inference {
  return { ...normalInference(estimate, se), p_value: studentTTwoSided(estimate / se, df) };
}

/**
 * Weighted least squares of y on the columns of `x` (1 or 2 columns; no intercept unless one is a
 * column of ones): coefficients, their lm standard errors, and the residual SE sigma on J - k df.
 */
function wls(x: ReadonlyArray<Float64Array>, y: Float64Array, w: Float64Array) {
  const k = x.length;
  const J = y.length;
  const a = Array.from({ length: k }, (_, r) =>
    Array.from(
      { length: k },
      (_, c) => x[r]?.reduce((s, v, i) => s + (w[i] as number) * v * ((x[c] as Float64Array)[i] as number), 0) ?? 0,
    ),
  );
  const b = Array.from({ length: k }, (_, r) =>
    (x[r] as Float64Array).reduce((s, v, i) => s + (w[i] as number) * v * (y[i] as number), 0),
  );
  let inv: number[][];
  if (k === 1) inv = [[1 / (a[0]?.[0] as number)]];
  else {
    const [[p, q], [r, s]] = a as [[number, number], [number, number]];
    const det = p * s - q * r;
    inv = [
      [s / det, -q / det],
      [-r / det, p / det],
    ];
  }
  const coef = inv.map((row) => row.reduce((s, v, c) => s + v * (b[c] as number), 0));
  const resid = Float64Array.from(
    y,
    (v, i) => v - coef.reduce((s, cf, c) => s + cf * ((x[c] as Float64Array)[i] as number), 0),
  );
  const rss = resid.reduce((s, v, i) => s + (w[i] as number) * v * v, 0);
  const sigma = Math.sqrt(rss / (J - k));
  const se = inv.map((row, c) => Math.sqrt(row[c] as number) * sigma);
  return { coef, se, sigma, rss };
}

/**
 * IVW with first-order weights: fixed-effect SE, multiplicative random-effects SE (floored at
 * fixed), Cochran's Q. The default model is MendelianRandomization's (fixed when J < 4, else
 * random) or TwoSampleMR's (always random).
 */
export function ivw(
  d: SummaryData,
  model: "default" | "fixed" | "random" = "default",
  convention: Convention = "MendelianRandomization",
) {
  const J = d.bx.length;
  const w = d.sy.map((s) => 1 / (s * s));
  const fit = wls([d.bx], d.by, w);
  const seFixed = (fit.se[0] as number) / fit.sigma;
  const seRandom = seFixed * Math.max(fit.sigma, 1);
  const useFixed = model === "fixed" || (model === "default" && convention === "MendelianRandomization" && J < 4);
  const q = fit.rss;
  return {
    ...normalInference(fit.coef[0] as number, useFixed ? seFixed : seRandom),
    se_fixed: seFixed,
    se_random: seRandom,
    q,
    q_df: J - 1,
    q_p: chiSquareSf(q, J - 1),
  };
}

/**
 * MR-Egger: oriented to positive bx, WLS of by on [1, bx] with weights sy^-2, SEs divided by
 * min(sigma, 1); p-values normal (MendelianRandomization) or t on J - 2 df (TwoSampleMR).
 */
export function egger(d: SummaryData, convention: Convention = "MendelianRandomization") {
  const J = d.bx.length;
  const sign = d.bx.map((b) => (b < 0 ? -1 : 1));
  const bxo = d.bx.map((b) => Math.abs(b));
  const byo = d.by.map((b, i) => (sign[i] as number) * b);
  const w = d.sy.map((s) => 1 / (s * s));
  const fit = wls([new Float64Array(J).fill(1), bxo], byo, w);
  const scale = Math.min(fit.sigma, 1);
  const infer = (estimate: number, se: number) =>
    convention === "TwoSampleMR" ? tPInference(estimate, se, J - 2) : normalInference(estimate, se);
  const slope = infer(fit.coef[1] as number, (fit.se[1] as number) / scale);
  const intercept = infer(fit.coef[0] as number, (fit.se[0] as number) / scale);
  const x = bxo.map((b, i) => b / (d.sy[i] as number));
  const wx = d.sx.map((s, i) => ((d.sy[i] as number) / s) ** 2);
  const xbar = x.reduce((s, v, i) => s + (wx[i] as number) * v, 0) / wx.reduce((s, v) => s + v, 0);
  const qx = x.reduce((s, v, i) => s + (wx[i] as number) * (v - xbar) ** 2, 0);
  return {
    ...slope,
    intercept: intercept.estimate,
    intercept_se: intercept.se,
    intercept_p: intercept.p_value,
    q: fit.rss,
    q_df: J - 2,
    q_p: chiSquareSf(fit.rss, J - 2),
    i2_gx: Math.max(0, (qx - (J - 1)) / qx),
  };
}

/**
 * Weighted-median weights: bx^2 / sy^2 (first order, MendelianRandomization) or
 * 1 / (sy^2 / bx^2 + by^2 sx^2 / bx^4) (second order, TwoSampleMR).
 */
export function medianWeights(d: SummaryData, convention: Convention): Float64Array {
  const w = new Float64Array(d.bx.length);
  for (let j = 0; j < w.length; j++) {
    const bx = d.bx[j] as number;
    const sy2 = (d.sy[j] as number) ** 2;
    w[j] =
      convention === "TwoSampleMR"
        ? 1 / (sy2 / bx ** 2 + ((d.by[j] as number) ** 2 * (d.sx[j] as number) ** 2) / bx ** 4)
        : (bx * bx) / sy2;
  }
  return w;
}

/** The weighted median of values with (unnormalised) weights, by interpolation at 0.5 of the mid-cumulative weights. */
export function weightedMedianOf(theta: ArrayLike<number>, weights: ArrayLike<number>): number {
  const idx = Array.from({ length: theta.length }, (_, i) => i).sort(
    (a, b) => (theta[a] as number) - (theta[b] as number),
  );
  const total = idx.reduce((s, i) => s + (weights[i] as number), 0);
  const t = idx.map((i) => theta[i] as number);
  const wn = idx.map((i) => (weights[i] as number) / total);
  let cum = 0;
  const s = wn.map((v) => {
    cum += v;
    return cum - v / 2;
  });
  let k = 0;
  for (let j = 0; j < s.length; j++) if ((s[j] as number) < 0.5) k = j;
  if (k + 1 >= t.length) return t[k] as number;
  return (
    (t[k] as number) +
    ((t[k + 1] as number) - (t[k] as number)) * ((0.5 - (s[k] as number)) / ((s[k + 1] as number) - (s[k] as number)))
  );
}

/** R's mad(): 1.4826 times the median absolute deviation from the median. */
export function mad(v: ArrayLike<number>): number {
  const med = median(Array.from(v));
  return 1.4826 * median(Array.from(v, (x) => Math.abs(x - med)));
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Sample standard deviation (n - 1). */
export function sd(v: ArrayLike<number>): number {
  const a = Array.from(v);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
}

/** The bandwidth rule of the mode-based estimate: phi 0.9 min(sd, mad) / J^(1/5), at least 1e-8. */
export function modeBandwidth(theta: ArrayLike<number>, phi = 1): number {
  return Math.max(1e-8, (phi * 0.9 * Math.min(sd(theta), mad(theta))) / theta.length ** 0.2);
}

/**
 * The mode of a weighted Gaussian kernel density, evaluated exactly on R density()'s 512-point
 * grid over [min - 3h, max + 3h] (R bins and convolves by FFT; the exact sum differs slightly).
 */
export function kernelMode(theta: ArrayLike<number>, weights: ArrayLike<number>, h: number): number {
  const a = Array.from(theta);
  const lo = Math.min(...a) - 3 * h;
  const hi = Math.max(...a) + 3 * h;
  const total = Array.from(weights).reduce((s, v) => s + v, 0);
  let best = lo;
  let bestF = Number.NEGATIVE_INFINITY;
  for (let g = 0; g < 512; g++) {
    const x = lo + ((hi - lo) * g) / 511;
    let f = 0;
    for (let j = 0; j < a.length; j++)
      f += ((weights[j] as number) / total) * Math.exp(-0.5 * ((x - (a[j] as number)) / h) ** 2);
    if (f > bestF) {
      bestF = f;
      best = x;
    }
  }
  return best;
}
