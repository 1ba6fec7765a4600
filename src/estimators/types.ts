import type { Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import type { ByteMatrix } from "../data/frame.js";
import type { LabelRole } from "../data/roles.js";
import type { ParamSpec } from "../params.js";
import type { SummaryData } from "../summary/data.js";
import type { DataShape } from "./workspace.js";

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
 * A row's status: an estimator's own (FIT_STATUSES), or `failed` when it threw (a bug, by the
 * estimator contract) and the caller kept going (sweeps: the error's message goes with the row).
 */
export const ROW_STATUSES = [...FIT_STATUSES, "failed"] as const;

/** One of ROW_STATUSES. */
export type RowStatus = (typeof ROW_STATUSES)[number];

/**
 * What an estimator's ci_lower/ci_upper are, for given parameters: `exact` (t-based, exact under
 * normal homoskedastic errors), `asymptotic` (valid as n grows), `bootstrap_percentile` (a
 * percentile interval of a bootstrap that resamples the data), `ignores_selection` (a nominal CI
 * that treats data-driven instrument selection as fixed), `ignores_first_stage` (a nominal CI that
 * treats first-stage estimates from the same sample as known), `not_a_confidence_interval` (a
 * spread with another meaning, e.g. over re-splits of the same data), `none` (no interval).
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

/**
 * Whether intervals of this kind are claimed confidence intervals, whose coverage is measured
 * (those that ignore selection or the first stage are claimed CIs: their coverage shows the caveat).
 */
export function isConfidenceInterval(kind: IntervalKind): boolean {
  return kind !== "not_a_confidence_interval" && kind !== "none";
}

/**
 * One estimator's answer on one dataset, the one row type from estimator to output (table, JSON,
 * replicates.csv). Extras are flat snake_case numbers (first_stage_f, ...); NaN for missing numbers.
 * In a sweep `estimator` is the configured name.
 */
export interface EstimateRow {
  readonly estimator: string;
  readonly estimate: number;
  readonly se: number;
  readonly ci_lower: number;
  readonly ci_upper: number;
  readonly p_value: number;
  readonly status: RowStatus;
  /** With status `failed`, the error's message; empty or absent otherwise. */
  readonly message?: string;
  readonly extras: Readonly<Record<string, number>>;
  /**
   * Per-unit outputs by the names the estimator declares in `units`, one value per unit: per person
   * (a row of the data given; NaN for rows not fitted) for the contextualized beta_i and mu_i today.
   */
  readonly units?: Readonly<Record<string, Float64Array>>;
  /** What ci_lower/ci_upper are: the estimator's `interval(params)`, set by `fit` (src/estimators/fit.ts). */
  readonly interval?: IntervalKind;
}

/** What a simulation knows and a fit may be scored against. */
export interface Truth {
  readonly beta: number;
  /** Per-person true effects, or null when the effect is the same for everyone. */
  readonly betaIndividual: Float64Array | null;
  /**
   * True effects of single rows where the simulation defines them (deep_mr_sim: the local causal
   * effect of each both-motif test sequence), by frame row; absent when it defines none.
   */
  readonly units?: ReadonlyMap<number, number>;
  /** The simulation's resolved parameters, for settings matched to the design (inv_repr's decoder "matched"). */
  readonly design?: Readonly<Record<string, unknown>>;
}

/** Individual-level data in the roles of an MR analysis. */
export interface IndividualData {
  readonly n: number;
  readonly outcome: Float64Array;
  readonly exposure: Float64Array;
  /** n x L column-major genotype (instrument) matrix. */
  readonly instruments: Matrix;
  /**
   * Set when these data are rows [start, start + n) of larger data (sample 1 of two): the larger
   * data's instrument matrix, whose column j holds this one's at rows start..; estimators that read
   * G where it lies (the LASSO first stage) use it instead of binding `instruments`, a copy.
   */
  readonly instrumentRows?: { readonly of: Matrix; readonly start: number };
  readonly instrumentNames: readonly string[];
  /** Every numeric column by name, for estimators that take covariates or context columns. */
  readonly columns: ReadonlyMap<string, Float64Array>;
  /** The context role: the columns (in `columns`) the effect may vary with; empty when the data have none. */
  readonly context: readonly string[];
  /** The sample role: 1 or 2 per row in a two-sample design (1 gives the exposure side); null for one sample. */
  readonly sample: Float64Array | null;
  /** The environment (population) role: a label per row, or null. */
  readonly environment: Float64Array | null;
  /** The sequence role: the sequence each row belongs to, or null. */
  readonly sequence: Float64Array | null;
  /** The split role of a simulation (0 training, 1 validation per row); absent or null when there is none. */
  readonly split?: Float64Array | null;
  /**
   * The bases role: each row's sequence as base codes (0..3 = A, C, G, T), one byte each, row i at
   * `codes[i * width ..]`; absent or null when the data have none (every DGP but deep_mr_sim).
   */
  readonly bases?: ByteMatrix | null;
}

/** What a fit gets besides data and parameters. */
export interface FitContext {
  readonly core: Core;
  /** Seed for estimators that draw random numbers (splits, bootstraps). */
  readonly seed: number | string;
  /** The truth, when the data were simulated. */
  readonly truth?: Truth;
  /**
   * The dataset's own seed (a sweep task's), the same for every estimator fitting it, where `seed`
   * differs per configured estimator: for work that fits of several configurations share and must
   * draw alike (inv_repr's trained model). Absent: `seed`.
   */
  readonly dataSeed?: number | string;
  /** Parts of this fit computed before it, elsewhere (a sweep's other workers), by key: see `FitParts`. */
  readonly parts?: ReadonlyMap<string, unknown>;
}

/**
 * Independent pieces of one fit that a sweep runs as tasks of their own, on any worker, before the
 * fit itself (inv_repr's λ runs, one piece each), so that a few costly fits still keep every worker
 * busy. A key fixes its piece's result on a dataset (fits of other configurations naming the same
 * key share it); a result must survive structured cloning. The fit reads pieces from `ctx.parts`
 * and computes any that are missing itself, so it gives the same row either way.
 */
export interface FitParts<P extends object> {
  /** The keys of the pieces a fit with these parameters needs (from the parameters alone). */
  keys(params: P): readonly string[];
  /** Computes the piece `key` of a fit with these parameters. */
  run(data: IndividualData, params: P, ctx: FitContext, key: string): unknown;
  /** Rough seconds on one core of the piece `key` on data of this shape (a sweep's expected cost). */
  cost?(shape: DataShape, key: string): number;
}

/** A role an estimator may read besides outcome, exposure and instruments. */
export type RoleUse = "context" | "split" | LabelRole;

/** What an estimator fits: individual-level data, or per-variant summary statistics made from them. */
export type InputKind = "individual" | "summary";

/** What every estimator declares, whatever its input. */
interface EstimatorBase<P extends object> {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly defaults: P;
  /** Names of the extras this estimator reports, in column order. */
  readonly extras: readonly string[];
  /** The extras with these parameters, for an estimator whose extras its parameters name (`external`); absent: `extras`. */
  extrasOf?(params: P): readonly string[];
  /** Roles it reads beyond outcome, exposure and instruments (callers map them; none if absent). */
  readonly uses?: readonly RoleUse[];
  /** Names of the per-unit outputs its rows carry in `units` (per-person beta and mu, ...); absent if none. */
  readonly units?: readonly string[];
  /** What its units are: a person (a row of the data: `fit --per-person` can write them) or an analysed sequence; default person. */
  readonly unitKind?: "person" | "sequence";
  /** What this estimator's ci_lower/ci_upper are with these (resolved) parameters. */
  interval(params: P): IntervalKind;
  /**
   * Bytes of the core's arena one fit may use at most on data of this shape (beyond the data);
   * absent: `defaultWorkspace` (src/estimators/workspace.ts). Sweeps reserve it before fitting.
   */
  workspace?(shape: DataShape, params: P): number;
}

/** An estimator of individual-level data: one file under src/estimators registers one of these. */
export interface IndividualEstimator<P extends object = Record<string, unknown>> extends EstimatorBase<P> {
  readonly input: "individual";
  fit(data: IndividualData, params: P, ctx: FitContext): EstimateRow;
  /** Pieces of a fit that sweeps may run on other workers first; absent: a fit is one piece. */
  readonly parts?: FitParts<P>;
}

/**
 * An estimator of per-variant summary statistics. On individual-level data the caller makes the
 * statistics once per dataset (adjusted for the estimator's `covariates` parameter, if it has one)
 * and every summary-level estimator of the dataset shares them (src/estimators/dataset.ts).
 */
export interface SummaryEstimator<P extends object = Record<string, unknown>> extends EstimatorBase<P> {
  readonly input: "summary";
  fit(data: SummaryData, params: P, ctx: FitContext): EstimateRow;
}

/** An estimator of either input kind; `input` tells which `fit` it has. */
export type Estimator<P extends object = Record<string, unknown>> = IndividualEstimator<P> | SummaryEstimator<P>;
