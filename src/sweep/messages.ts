import type { EstimateRow } from "../estimators/types.js";
import type { PluginRef } from "../plugins/load.js";
import type { EstimatorSpec } from "./config.js";

/**
 * The typed protocol between the main thread and sweep workers. What every task of a sweep shares
 * goes to each worker once, when the pool starts; a task message is then its cell, replicate and
 * seed, and a worker answers with the task's CSV text and the few numbers the summary needs.
 */

/** One cell as a worker sees it: its DGP parameters (all but the seed) and its rows' leading CSV fields. */
export interface CellSetup {
  readonly params: Readonly<Record<string, unknown>>;
  /** Cell id and grid values, as written in replicates.csv. */
  readonly lead: readonly string[];
}

/** What every worker of a sweep knows from the start (its `workerData`). */
export interface SweepSetup {
  readonly dgp: string;
  readonly rng: string;
  readonly estimators: readonly EstimatorSpec[];
  /** The extras columns of replicates.csv, in order. */
  readonly extras: readonly string[];
  readonly cells: readonly CellSetup[];
  /** The output columns of units.csv when the sweep writes it (`--units`); absent otherwise. */
  readonly units?: readonly string[];
  /** Plug-in modules each worker loads (checking their content) before its first task; absent when none. */
  readonly plugins?: readonly PluginRef[];
}

/** One task: a replicate of a cell, with the seed the main thread derived for it. */
export interface TaskMessage {
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  /** A part task: compute this piece of the task's fits only (src/sweep/parts.ts). */
  readonly part?: { readonly spec: number; readonly key: string };
  /** The task's pieces computed by part tasks (results and seconds by key); missing ones are computed in the task. */
  readonly parts?: {
    readonly results: Readonly<Record<string, unknown>>;
    readonly seconds: Readonly<Record<string, number>>;
  };
}

/** What a worker sends back for a part task. */
export interface PartOutput {
  readonly kind: "part";
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  readonly key: string;
  /** The piece, or undefined when computing it threw (the task then computes it and reports). */
  readonly result: unknown;
  readonly seconds: number;
}

/** A task's results in the worker: a row per estimator (in the task's order) and fit times in seconds. */
export interface TaskResult {
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  readonly betaTrue: number;
  readonly rows: readonly EstimateRow[];
  readonly seconds: readonly number[];
}

/** A failed estimator of a task, for the progress display. */
export interface TaskFailure {
  readonly estimator: string;
  readonly message: string;
}

/** What a worker sends back for a task: its rows already formatted, and the summary's numbers. */
export interface TaskOutput {
  readonly kind?: "task";
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  /** The task's replicates.csv rows, each ending in a newline. */
  readonly csv: string;
  /** The task's timings.csv lines. */
  readonly timings: string;
  /** The task's units.csv lines, when the sweep writes that file. */
  readonly units?: string;
  /** `SummaryNumbers` of the task: exactly what reading `csv` back would give the summary. */
  readonly numbers: Float64Array;
  readonly failures: readonly TaskFailure[];
  /** Fit seconds summed over the task's estimators. */
  readonly seconds: number;
}
