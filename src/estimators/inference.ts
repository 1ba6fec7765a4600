import { studentTQuantile, studentTTwoSided } from "../stats/dist.js";
import type { EstimateRow, FitStatus, RowStatus } from "./types.js";

/** Level of every confidence interval mrsweep reports. */
export const CI_LEVEL = 0.95;

/**
 * t_{0.975, df} by df. A sweep's rows share a handful of df values (n minus the design's columns),
 * and each quantile costs a Newton refinement on the incomplete beta (~9 µs, and garbage).
 */
const ciQuantiles = new Map<number, number>();

/** The CI's t quantile on `df` degrees of freedom, computed once per df (the map is bounded). */
export function ciQuantile(df: number): number {
  let q = ciQuantiles.get(df);
  if (q === undefined) {
    if (ciQuantiles.size >= 256) ciQuantiles.clear();
    q = studentTQuantile(1 - (1 - CI_LEVEL) / 2, df);
    ciQuantiles.set(df, q);
  }
  return q;
}

/**
 * A row from an estimate and its standard error with t-based inference on `df` degrees of freedom,
 * as R's summary.lm and AER's summary.ivreg do: p = 2 P(T_df > |est / se|), CI = est -/+ t_{0.975, df} se.
 */
export function tRow(
  estimator: string,
  estimate: number,
  se: number,
  df: number,
  extras: Record<string, number>,
): EstimateRow {
  const q = ciQuantile(df);
  return {
    estimator,
    estimate,
    se,
    ci_lower: estimate - q * se,
    ci_upper: estimate + q * se,
    p_value: studentTTwoSided(estimate / se, df),
    status: finiteStatus(estimate, se),
    extras,
  };
}

/**
 * `ok` when the estimate (and the SE, unless the estimator has none: `se` null) is finite, else
 * `non_finite`. Every row constructor goes through this, so no estimator reports `ok` with an
 * infinite or NaN estimate: a sweep's summary would otherwise have to guess what such a row means.
 */
export function finiteStatus(estimate: number, se: number | null): FitStatus {
  return Number.isFinite(estimate) && (se === null || Number.isFinite(se)) ? "ok" : "non_finite";
}

/** A row for a fit that could not be made: NaN numbers, the status, and NaN for every extra. */
export function failedRow(estimator: string, status: RowStatus, extraNames: readonly string[]): EstimateRow {
  return {
    estimator,
    estimate: Number.NaN,
    se: Number.NaN,
    ci_lower: Number.NaN,
    ci_upper: Number.NaN,
    p_value: Number.NaN,
    status,
    extras: Object.fromEntries(extraNames.map((k) => [k, Number.NaN])),
  };
}

/** The row of an estimator that threw: NaN numbers, status `failed`, the error's message and no extras. */
export function thrownRow(estimator: string, message: string): EstimateRow {
  return { ...failedRow(estimator, "failed", []), message };
}
