import type { Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import type { ParamSpec } from "../params.js";

/**
 * Outcome of a fit. Expected numerical trouble is a status with NaN numbers, never an exception:
 * `too_few_rows` (not enough residual degrees of freedom), `constant_column` and `collinear`
 * (a regressor or instrument carries no independent information), `no_instruments`,
 * `not_converged` (iterative fits keep their last iterate), `degenerate_first_stage` (a LassoCV first
 * stage whose fitted exposure has no variance to speak of: the numbers would be rounding noise, so
 * they are NaN), `non_finite` (an estimate or standard error came out infinite or NaN where the
 * estimator computes one; the numbers are kept as computed, and written `NA` when non-finite).
 * Only `ok` rows enter a sweep's summary measures.
 */
export const FIT_STATUSES = [
  "ok",
  "too_few_rows",
  "too_few_variants",
  "constant_column",
  "collinear",
  "no_instruments",
  "not_converged",
  "degenerate_first_stage",
  "non_finite",
] as const;

/** One of FIT_STATUSES. */
export type FitStatus = (typeof FIT_STATUSES)[number];

/**
 * What an estimator's ci_lower/ci_upper are for given parameters. A confidence interval for coverage
 * purposes is exact, asymptotic, bootstrap_percentile, ignores_selection or ignores_first_stage;
 * not_a_confidence_interval and none are not.
 */
export const INTERVAL_KINDS = [
  "exact",
  "asymptotic",
  "bootstrap_percentile",
  "ignores_selection",
  "ignores_first_stage",
  "not_a_confidence_interval",
  "none",
] as const;

/** One of INTERVAL_KINDS. */
export type IntervalKind = (typeof INTERVAL_KINDS)[number];

/** One estimator's answer on one dataset. Extras are flat snake_case numbers (first_stage_f, ...). */
export interface EstimateRow {
  readonly estimator: string;
  readonly estimate: number;
  readonly se: number;
  readonly ci_lower: number;
  readonly ci_upper: number;
  readonly p_value: number;
  readonly status: FitStatus;
  readonly extras: Readonly<Record<string, number>>;
  /** Per-person effects and intercepts, from estimators that have them (contextualized regression). */
  readonly perPerson?: { readonly beta: Float64Array; readonly mu: Float64Array };
}

/** What a simulation knows and a fit may be scored against. */
export interface Truth {
  readonly beta: number;
  /** Per-person true effects, or null when the effect is the same for everyone. */
  readonly betaIndividual: Float64Array | null;
}

/** Individual-level data in the roles of an MR analysis. */
export interface IndividualData {
  readonly n: number;
  readonly outcome: Float64Array;
  readonly exposure: Float64Array;
  /** n x L column-major genotype (instrument) matrix. */
  readonly instruments: Matrix;
  readonly instrumentNames: readonly string[];
  /** Every other numeric column by name, for estimators that take covariates or context. */
  readonly columns: ReadonlyMap<string, Float64Array>;
}

/** What a fit gets besides data and parameters. */
export interface FitContext {
  readonly core: Core;
  /** Seed for estimators that draw random numbers (splits, bootstraps). */
  readonly seed: number | string;
  /** The truth, when the data were simulated. */
  readonly truth?: Truth;
}

/** An estimator: one file under src/estimators registers one of these. */
export interface Estimator<P extends object = Record<string, unknown>> {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly defaults: P;
  /** Names of the extras this estimator reports, in column order. */
  readonly extras: readonly string[];
  fit(data: IndividualData, params: P, ctx: FitContext): EstimateRow;
}
