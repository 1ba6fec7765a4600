import type { EstimatorSpec } from "./config.js";

/**
 * The typed protocol between the main thread and sweep workers. Tasks carry settings and seeds,
 * never data: a worker simulates its dataset, fits every estimator and returns small rows.
 */

/** What a worker needs to run one task. */
export interface TaskMessage {
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  readonly dgp: string;
  readonly rng: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly estimators: readonly EstimatorSpec[];
  /** Leading CSV fields of the task's rows (cell id and grid values), and the extras columns. */
  readonly lead: readonly string[];
  readonly extras: readonly string[];
}

/** One estimator's result on one task, flat: fixed fields and extras; NaN for missing numbers. */
export interface ResultRow {
  readonly estimator: string;
  readonly estimate: number;
  readonly se: number;
  readonly ci_lower: number;
  readonly ci_upper: number;
  readonly p_value: number;
  readonly status: string;
  readonly message: string;
  readonly extras: Readonly<Record<string, number>>;
}

/** A worker's answer for one task: a row per estimator (in the task's order) and fit times in seconds. */
export interface TaskResult {
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  readonly betaTrue: number;
  readonly rows: readonly ResultRow[];
  readonly seconds: readonly number[];
}

/** A task result with its replicates.csv rows and timings.csv lines already formatted (in the worker). */
export interface FormattedResult extends TaskResult {
  /** The rows' fields, as reading `csv` back would give them (the summary is built from these). */
  readonly fields: readonly string[][];
  readonly csv: string;
  readonly timings: string;
}
