import { type IntervalKind, isConfidenceInterval } from "../estimators/types.js";

/**
 * Performance measures of an estimator over replicates, each with its Monte Carlo standard error
 * where Morris, White and Crowther (2019, Stat Med 38:2074, table 6) give one.
 *
 * Only `ok` replicates enter the measures. Morris et al. ask that non-convergence
 * and other failures be counted and reported rather than silently mixed in: a `not_converged`
 * last iterate, or numbers from a degenerate fit, are not the estimator's answer, and averaging
 * them would make bias and coverage depend on how the failure happens to look. Every replicate is
 * counted once: n_ok + n_failed + n_nonok is the number of replicates.
 */
export interface Measures {
  /** Replicates with status `ok` and a finite estimate: the ones measured. */
  n_ok: number;
  /** Replicates whose estimator threw (status `failed`). */
  n_failed: number;
  /** Every other replicate: a fit status other than `ok` (not_converged, too_few_rows, ...). */
  n_nonok: number;
  mean: number;
  mean_mcse: number;
  bias: number;
  bias_mcse: number;
  emp_se: number;
  emp_se_mcse: number;
  mse: number;
  mse_mcse: number;
  rmse: number;
  rmse_mcse: number;
  /** Share of intervals holding the truth; NA for intervals that are not confidence intervals. */
  coverage: number;
  coverage_mcse: number;
  /** ok replicates with a finite interval, or NA (not a confidence interval). */
  n_ci: number;
  /** Share of ok replicates with a finite p-value that have p < 0.05 (power, or type I error when beta = 0). */
  rejection: number;
  rejection_mcse: number;
  /** sqrt(mean se^2) over ok replicates with a finite SE. */
  model_se: number;
  model_se_mcse: number;
  /** 100 (model_se / emp_se - 1), in percent. */
  rel_se_error: number;
  rel_se_error_mcse: number;
  /** Mean of ci_upper - ci_lower; NA for intervals that are not confidence intervals. */
  ci_width: number;
  median: number;
  /** Median absolute deviation from the median, scaled by 1.4826 (R's mad). */
  mad: number;
  /** Mean first-stage F over ok replicates that report one. */
  mean_f: number;
  /** Share of those replicates with F < 10. */
  f_below_10: number;
  mean_person_mse: number;
  /**
   * Pearson correlation over ok replicates between estimate and the replicate's own truth, with
   * its large-sample MCSE (1 - r^2) / sqrt(n - 3); NA when every replicate has the same truth.
   */
  cor_truth: number;
  cor_truth_mcse: number;
}

/** How a replicate's row ended: `ok`, `failed` (the estimator threw), or any other fit status. */
export type Outcome = "ok" | "failed" | "nonok";

/** The outcome of a row with this status. */
export function outcomeOf(status: string): Outcome {
  if (status === "ok") return "ok";
  return status === "failed" ? "failed" : "nonok";
}

/** One replicate's numbers for an estimator (NaN where absent). */
export interface Replicate {
  replicate: number;
  /** The replicate's beta_true (DGPs such as deep_mr_sim draw a new truth per replicate). */
  truth: number;
  estimate: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  pValue: number;
  personMse: number;
  firstStageF: number;
  outcome: Outcome;
}

/** Whether a replicate is measured: status ok and a finite estimate (an older file's ok row may lack one). */
export function isMeasured(r: Replicate): boolean {
  return r.outcome === "ok" && Number.isFinite(r.estimate);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((s, v) => s + v, 0) / xs.length;
}

/** Sum of squared deviations from the mean, over n - 1 (NaN for fewer than 2 values, never -0). */
function variance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1);
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** A proportion and its binomial MCSE sqrt(p (1 - p) / n); NaN for both when n = 0. */
function proportion(hits: number, n: number): [number, number] {
  const p = n > 0 ? hits / n : Number.NaN;
  return [p, Math.sqrt((p * (1 - p)) / n)];
}

/** Model SE sqrt(mean se^2), its MCSE and the relative error against `empSe` with its MCSE (Morris table 6). */
function modelSe(ses: readonly number[], empSe: number, nOk: number): number[] {
  const n = ses.length;
  const sq = ses.map((s) => s * s);
  const model = Math.sqrt(mean(sq));
  const v = variance(sq);
  const rel = 100 * (model / empSe - 1);
  const relMcse = 100 * (model / empSe) * Math.sqrt(v / (4 * n * model ** 4) + 1 / (2 * (nOk - 1)));
  return [model, Math.sqrt(v / (4 * n * model ** 2)), rel, relMcse];
}

/**
 * Coverage of each replicate's truth (`truths`, parallel to `good`), its MCSE, n_ci and mean width
 * of the intervals of `good` (all NaN when `kind` is not a CI).
 */
function intervals(good: readonly Replicate[], truths: readonly number[], kind: IntervalKind): number[] {
  if (!isConfidenceInterval(kind)) return [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  const withCi = good.flatMap((r, i) =>
    Number.isFinite(r.ciLower) && Number.isFinite(r.ciUpper) ? [{ r, t: truths[i] as number }] : [],
  );
  const covered = withCi.filter(({ r, t }) => r.ciLower <= t && t <= r.ciUpper).length;
  const [coverage, mcse] = proportion(covered, withCi.length);
  return [coverage, mcse, withCi.length, mean(withCi.map(({ r }) => r.ciUpper - r.ciLower))];
}

/** Pearson correlation of x and y with its MCSE (1 - r^2) / sqrt(n - 3); NaN for fewer than 4 pairs. */
function correlation(x: readonly number[], y: readonly number[]): [number, number] {
  const n = x.length;
  if (n < 4) return [Number.NaN, Number.NaN];
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return [r, (1 - r * r) / Math.sqrt(n - 3)];
}

/**
 * The measures of `reps` against the true value `theta`, for an estimator whose intervals are
 * `kind`. When the replicates' own truths differ (a DGP that draws its truth per replicate), each
 * replicate is measured against its own: bias, emp_se (then the SD of estimate − truth, since the
 * SD of the estimates would mostly be the spread of the truths), MSE and coverage use the errors,
 * and cor_truth says how well the estimates track the truths.
 */
export function measures(reps: readonly Replicate[], theta: number, kind: IntervalKind): Measures {
  const good = reps.filter(isMeasured);
  const failed = reps.filter((r) => r.outcome === "failed").length;
  const est = good.map((r) => r.estimate);
  const n = est.length;
  const m = mean(est);
  const varying = good.some((r) => r.truth !== theta && !Number.isNaN(r.truth));
  const truths = good.map((r) => (varying ? r.truth : theta));
  const errors = est.map((v, i) => v - (truths[i] as number));
  const empSe = Math.sqrt(variance(varying ? errors : est));
  const sq = errors.map((v) => v ** 2);
  const mse = mean(sq);
  const mseMcse = Math.sqrt(sq.reduce((s, v) => s + (v - mse) ** 2, 0) / (n * (n - 1)));
  const [coverage, coverageMcse, nCi, width] = intervals(good, truths, kind) as [number, number, number, number];
  const ps = good.map((r) => r.pValue).filter(Number.isFinite);
  const [rejection, rejectionMcse] = proportion(ps.filter((p) => p < 0.05).length, ps.length);
  const ses = good.map((r) => r.se).filter(Number.isFinite);
  const [model, modelMcse, rel, relMcse] = modelSe(ses, empSe, n) as [number, number, number, number];
  const med = median(est);
  const fs = good.map((r) => r.firstStageF).filter(Number.isFinite);
  return {
    n_ok: n,
    n_failed: failed,
    n_nonok: reps.length - n - failed,
    mean: m,
    mean_mcse: empSe / Math.sqrt(n),
    bias: varying ? mean(errors) : m - theta,
    bias_mcse: empSe / Math.sqrt(n),
    emp_se: empSe,
    emp_se_mcse: empSe / Math.sqrt(2 * (n - 1)),
    mse,
    mse_mcse: mseMcse,
    rmse: Math.sqrt(mse),
    rmse_mcse: mseMcse / (2 * Math.sqrt(mse)),
    coverage,
    coverage_mcse: coverageMcse,
    n_ci: nCi,
    rejection,
    rejection_mcse: rejectionMcse,
    model_se: model,
    model_se_mcse: modelMcse,
    rel_se_error: rel,
    rel_se_error_mcse: relMcse,
    ci_width: width,
    median: med,
    mad: 1.4826 * median(est.map((v) => Math.abs(v - med))),
    mean_f: mean(fs),
    f_below_10: fs.length ? fs.filter((f) => f < 10).length / fs.length : Number.NaN,
    mean_person_mse: mean(good.map((r) => r.personMse).filter(Number.isFinite)),
    ...corTruth(varying, est, truths),
  };
}

function corTruth(varying: boolean, est: readonly number[], truths: readonly number[]) {
  const [r, mcse] = varying ? correlation(est, truths) : [Number.NaN, Number.NaN];
  return { cor_truth: r, cor_truth_mcse: mcse };
}

/** The measure columns of summary.csv, in order (between `interval` and `n_common`). */
export const MEASURE_COLUMNS: readonly (keyof Measures)[] = [
  "n_ok",
  "n_failed",
  "n_nonok",
  "mean",
  "mean_mcse",
  "bias",
  "bias_mcse",
  "emp_se",
  "emp_se_mcse",
  "mse",
  "mse_mcse",
  "rmse",
  "rmse_mcse",
  "coverage",
  "coverage_mcse",
  "n_ci",
  "rejection",
  "rejection_mcse",
  "model_se",
  "model_se_mcse",
  "rel_se_error",
  "rel_se_error_mcse",
  "ci_width",
  "median",
  "mad",
  "mean_f",
  "f_below_10",
  "mean_person_mse",
  "cor_truth",
  "cor_truth_mcse",
];
