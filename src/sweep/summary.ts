import { numberText } from "../io/write-table.js";

/**
 * Performance measures of an estimator over replicates, each with its Monte Carlo standard error
 * (Morris, White and Crowther 2019, Stat Med 38:2074, table 6): bias, empirical SE, MSE, RMSE
 * (delta method), coverage of the 95% interval, mean model SE, mean person_mse.
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
  coverage: number;
  coverage_mcse: number;
  n_ci: number;
  mean_se: number;
  mean_person_mse: number;
}

/** How a replicate's row ended: `ok`, `failed` (the estimator threw), or any other fit status. */
export type Outcome = "ok" | "failed" | "nonok";

/** The outcome of a row with this status. */
export function outcomeOf(status: string): Outcome {
  if (status === "ok") return "ok";
  return status === "failed" ? "failed" : "nonok";
}

/** One replicate's numbers for an estimator: estimate, model SE, interval and person_mse (NaN when absent). */
export interface Replicate {
  estimate: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  personMse: number;
  outcome: Outcome;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((s, v) => s + v, 0) / xs.length;
}

/**
 * The measures of `reps` against the true value `theta`, over the `ok` replicates with a finite
 * estimate (an `ok` row without one, from an older replicates.csv, counts as non-ok).
 */
export function measures(reps: readonly Replicate[], theta: number): Measures {
  const good = reps.filter((r) => r.outcome === "ok" && Number.isFinite(r.estimate));
  const failed = reps.filter((r) => r.outcome === "failed").length;
  const est = good.map((r) => r.estimate);
  const n = est.length;
  const m = mean(est);
  const ss = est.reduce((s, v) => s + (v - m) ** 2, 0);
  const empSe = Math.sqrt(ss / (n - 1));
  const sq = est.map((v) => (v - theta) ** 2);
  const mse = mean(sq);
  const mseMcse = Math.sqrt(sq.reduce((s, v) => s + (v - mse) ** 2, 0) / (n * (n - 1)));
  const withCi = good.filter((r) => Number.isFinite(r.ciLower) && Number.isFinite(r.ciUpper));
  const covered = withCi.filter((r) => r.ciLower <= theta && theta <= r.ciUpper).length;
  const coverage = withCi.length ? covered / withCi.length : Number.NaN;
  const ses = good.map((r) => r.se).filter(Number.isFinite);
  const pm = good.map((r) => r.personMse).filter(Number.isFinite);
  return {
    n_ok: n,
    n_failed: failed,
    n_nonok: reps.length - n - failed,
    mean: m,
    mean_mcse: empSe / Math.sqrt(n),
    bias: m - theta,
    bias_mcse: empSe / Math.sqrt(n),
    emp_se: empSe,
    emp_se_mcse: empSe / Math.sqrt(2 * (n - 1)),
    mse,
    mse_mcse: mseMcse,
    rmse: Math.sqrt(mse),
    rmse_mcse: mseMcse / (2 * Math.sqrt(mse)),
    coverage,
    coverage_mcse: Math.sqrt((coverage * (1 - coverage)) / withCi.length),
    n_ci: withCi.length,
    mean_se: mean(ses),
    mean_person_mse: mean(pm),
  };
}

/** Columns of summary.csv after the cell id, grid axes and estimator. */
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
  "mean_se",
  "mean_person_mse",
];

/** One row of summary.csv before measuring: a cell's estimator, its true value and its replicates. */
export interface SummaryGroup {
  /** Cell id, grid values and estimator, as written in replicates.csv. */
  readonly lead: readonly string[];
  /** beta_true of the group's first row. */
  readonly theta: number;
  readonly reps: Replicate[];
}

/** The positions of the summary's inputs among replicates.csv's columns (-1 when absent). */
export interface SummaryColumns {
  readonly cell: number;
  readonly estimator: number;
  readonly betaTrue: number;
  readonly axes: readonly number[];
  readonly estimate: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  readonly personMse: number;
  readonly status: number;
}

/** Where the summary's inputs are in a replicates.csv header. */
export function summaryColumns(header: readonly string[], axes: readonly string[]): SummaryColumns {
  const col = (name: string) => header.indexOf(name);
  return {
    cell: col("cell_id"),
    estimator: col("estimator"),
    betaTrue: col("beta_true"),
    axes: axes.map(col),
    estimate: col("estimate"),
    se: col("se"),
    lower: col("ci_lower"),
    upper: col("ci_upper"),
    personMse: col("person_mse"),
    status: col("status"),
  };
}

function num(r: readonly string[], i: number): number {
  return i < 0 || r[i] === "NA" ? Number.NaN : Number(r[i]);
}

/** One replicates.csv row's numbers. */
export function replicateOf(r: readonly string[], c: SummaryColumns): Replicate {
  return {
    estimate: num(r, c.estimate),
    se: num(r, c.se),
    ciLower: num(r, c.lower),
    ciUpper: num(r, c.upper),
    personMse: num(r, c.personMse),
    outcome: outcomeOf(r[c.status] ?? ""),
  };
}

/** Numbers per estimator in `taskNumbers`: outcome code, estimate, se, ci_lower, ci_upper, person_mse. */
const PER_ESTIMATOR = 6;

/** An outcome as a number in `taskNumbers`, and back. */
const OUTCOME_CODES: readonly Outcome[] = ["failed", "ok", "nonok"];

/**
 * A task's summary inputs in one array (cheap to send between threads and to keep): beta_true,
 * then `PER_ESTIMATOR` numbers for each estimator in the task's order.
 */
export function taskNumbers(theta: number, reps: readonly Replicate[]): Float64Array {
  const out = new Float64Array(1 + PER_ESTIMATOR * reps.length);
  out[0] = theta;
  for (let k = 0; k < reps.length; k++) {
    const r = reps[k] as Replicate;
    const at = 1 + PER_ESTIMATOR * k;
    out[at] = OUTCOME_CODES.indexOf(r.outcome);
    out[at + 1] = r.estimate;
    out[at + 2] = r.se;
    out[at + 3] = r.ciLower;
    out[at + 4] = r.ciUpper;
    out[at + 5] = r.personMse;
  }
  return out;
}

/** The `k`-th estimator's replicate in a task's `taskNumbers`. */
export function replicateAt(numbers: Float64Array, k: number): Replicate {
  const at = 1 + PER_ESTIMATOR * k;
  return {
    outcome: OUTCOME_CODES[numbers[at] as number] as Outcome,
    estimate: numbers[at + 1] as number,
    se: numbers[at + 2] as number,
    ciLower: numbers[at + 3] as number,
    ciUpper: numbers[at + 4] as number,
    personMse: numbers[at + 5] as number,
  };
}

/**
 * summary.csv from replicates.csv's rows (header first): one row per cell x estimator in the
 * order they appear, with `best` = 1 for the lowest MSE in the cell.
 */
export function summarize(table: readonly (readonly string[])[], axes: readonly string[]): string[][] {
  const [header, ...rows] = table;
  if (!header) return [];
  const c = summaryColumns(header, axes);
  const groups = new Map<string, SummaryGroup>();
  for (const r of rows) {
    const key = `${r[c.cell]}\u0000${r[c.estimator]}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        lead: [r[c.cell] as string, ...c.axes.map((i) => r[i] as string), r[c.estimator] as string],
        theta: Number(r[c.betaTrue]),
        reps: [],
      };
      groups.set(key, g);
    }
    g.reps.push(replicateOf(r, c));
  }
  return summarizeGroups([...groups.values()], axes);
}

/** summary.csv from its groups, in order: the measures of each, and `best` = 1 for the lowest MSE in a cell. */
export function summarizeGroups(groups: readonly SummaryGroup[], axes: readonly string[]): string[][] {
  const out = groups.map((g) => ({ lead: g.lead, m: measures(g.reps, g.theta) }));
  const bestMse = new Map<string, number>();
  for (const o of out) {
    const cell = o.lead[0] as string;
    if (Number.isFinite(o.m.mse) && !(o.m.mse >= (bestMse.get(cell) ?? Number.POSITIVE_INFINITY)))
      bestMse.set(cell, o.m.mse);
  }
  const head = ["cell_id", ...axes, "estimator", ...MEASURE_COLUMNS, "best"];
  return [
    head,
    ...out.map((o) => [
      ...o.lead,
      ...MEASURE_COLUMNS.map((k) => numberText(o.m[k])),
      o.m.mse === bestMse.get(o.lead[0] as string) ? "1" : "0",
    ]),
  ];
}
