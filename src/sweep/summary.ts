import type { IntervalKind } from "../estimators/types.js";
import { numberText } from "../io/write-table.js";
import { isMeasured, MEASURE_COLUMNS, measures, type Outcome, outcomeOf, type Replicate } from "./measures.js";

/**
 * summary.csv: per cell x estimator, the estimator's interval kind, its performance measures
 * (src/sweep/measures.ts), and how it compares with the cell's other estimators on the replicates
 * where all of them are `ok`. It is built from replicates.csv (`mrsweep summarize`) or from the
 * numbers the workers sent (`taskNumbers`, exactly what reading replicates.csv back gives), with
 * the interval kinds from the config's estimators.
 */

/** One row of summary.csv before measuring: a cell's estimator, its true value and its replicates. */
export interface SummaryGroup {
  /** Cell id, grid values and estimator, as written in replicates.csv. */
  readonly lead: readonly string[];
  /** beta_true of the group's first row. */
  readonly theta: number;
  /** What the estimator's ci_lower/ci_upper are (its `interval(params)`). */
  readonly interval: IntervalKind;
  readonly reps: Replicate[];
}

/** Each configured estimator's interval kind, by its name in replicates.csv. */
export type IntervalsByName = ReadonlyMap<string, IntervalKind>;

/** The positions of the summary's inputs among replicates.csv's columns (-1 when absent). */
export interface SummaryColumns {
  readonly cell: number;
  readonly estimator: number;
  readonly replicate: number;
  readonly betaTrue: number;
  readonly axes: readonly number[];
  readonly estimate: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  readonly pValue: number;
  readonly personMse: number;
  readonly firstStageF: number;
  readonly status: number;
}

/** Where the summary's inputs are in a replicates.csv header. */
export function summaryColumns(header: readonly string[], axes: readonly string[]): SummaryColumns {
  const col = (name: string) => header.indexOf(name);
  return {
    cell: col("cell_id"),
    estimator: col("estimator"),
    replicate: col("replicate"),
    betaTrue: col("beta_true"),
    axes: axes.map(col),
    estimate: col("estimate"),
    se: col("se"),
    lower: col("ci_lower"),
    upper: col("ci_upper"),
    pValue: col("p_value"),
    personMse: col("person_mse"),
    firstStageF: col("first_stage_f"),
    status: col("status"),
  };
}

function num(r: readonly string[], i: number): number {
  return i < 0 || r[i] === "NA" ? Number.NaN : Number(r[i]);
}

/** One replicates.csv row's numbers. */
export function replicateOf(r: readonly string[], c: SummaryColumns): Replicate {
  return {
    replicate: num(r, c.replicate),
    truth: num(r, c.betaTrue),
    estimate: num(r, c.estimate),
    se: num(r, c.se),
    ciLower: num(r, c.lower),
    ciUpper: num(r, c.upper),
    pValue: num(r, c.pValue),
    personMse: num(r, c.personMse),
    firstStageF: num(r, c.firstStageF),
    outcome: outcomeOf(r[c.status] ?? ""),
  };
}

/** Numbers per estimator in `taskNumbers`: outcome code, estimate, se, ci_lower, ci_upper, p_value, person_mse, first_stage_f. */
const PER_ESTIMATOR = 8;

/** Numbers before the estimators' in `taskNumbers`: beta_true and the replicate. */
const HEAD = 2;

/** An outcome as a number in `taskNumbers`, and back. */
const OUTCOME_CODES: readonly Outcome[] = ["failed", "ok", "nonok"];

/**
 * A task's summary inputs in one array (cheap to send between threads and to keep): beta_true and
 * the replicate, then `PER_ESTIMATOR` numbers for each estimator in the task's order.
 */
export function taskNumbers(theta: number, replicate: number, reps: readonly Replicate[]): Float64Array {
  const out = new Float64Array(HEAD + PER_ESTIMATOR * reps.length);
  out[0] = theta;
  out[1] = replicate;
  for (let k = 0; k < reps.length; k++) {
    const r = reps[k] as Replicate;
    const at = HEAD + PER_ESTIMATOR * k;
    out[at] = OUTCOME_CODES.indexOf(r.outcome);
    out[at + 1] = r.estimate;
    out[at + 2] = r.se;
    out[at + 3] = r.ciLower;
    out[at + 4] = r.ciUpper;
    out[at + 5] = r.pValue;
    out[at + 6] = r.personMse;
    out[at + 7] = r.firstStageF;
  }
  return out;
}

/** The `k`-th estimator's replicate in a task's `taskNumbers`. */
export function replicateAt(numbers: Float64Array, k: number): Replicate {
  const at = HEAD + PER_ESTIMATOR * k;
  return {
    replicate: numbers[1] as number,
    truth: numbers[0] as number,
    outcome: OUTCOME_CODES[numbers[at] as number] as Outcome,
    estimate: numbers[at + 1] as number,
    se: numbers[at + 2] as number,
    ciLower: numbers[at + 3] as number,
    ciUpper: numbers[at + 4] as number,
    pValue: numbers[at + 5] as number,
    personMse: numbers[at + 6] as number,
    firstStageF: numbers[at + 7] as number,
  };
}

/** The interval kind of the estimator called `name`; a name the config lacks is a bug. */
function intervalOf(intervals: IntervalsByName, name: string): IntervalKind {
  const kind = intervals.get(name);
  if (kind === undefined) throw new Error(`summary: estimator ${name} is not in the config's estimators`);
  return kind;
}

/**
 * summary.csv from replicates.csv's rows (header first): one row per cell x estimator in the
 * order they appear.
 */
export function summarize(
  table: readonly (readonly string[])[],
  axes: readonly string[],
  intervals: IntervalsByName,
): string[][] {
  const [header, ...rows] = table;
  if (!header) return [];
  const c = summaryColumns(header, axes);
  const groups = new Map<string, SummaryGroup>();
  for (const r of rows) {
    const key = `${r[c.cell]}\u0000${r[c.estimator]}`;
    let g = groups.get(key);
    if (!g) {
      const name = r[c.estimator] as string;
      g = {
        lead: [r[c.cell] as string, ...c.axes.map((i) => r[i] as string), name],
        theta: Number(r[c.betaTrue]),
        interval: intervalOf(intervals, name),
        reps: [],
      };
      groups.set(key, g);
    }
    g.reps.push(replicateOf(r, c));
  }
  return summarizeGroups([...groups.values()], axes);
}

/**
 * The cell's comparison of its groups (estimators, in configuration order) on their common
 * replicates, those where every estimator is measured (ok, finite estimate): how many there are,
 * and which group has the lowest MSE on them (the first in order on a tie), or -1 when fewer
 * than 2 replicates are common.
 */
function commonBest(cell: readonly SummaryGroup[]): { nCommon: number; best: number } {
  const counts = new Map<number, number>();
  for (const g of cell)
    for (const r of g.reps) if (isMeasured(r)) counts.set(r.replicate, (counts.get(r.replicate) ?? 0) + 1);
  const common = new Set([...counts].filter(([, k]) => k === cell.length).map(([rep]) => rep));
  if (common.size < 2) return { nCommon: common.size, best: -1 };
  let best = -1;
  let bestMse = Number.POSITIVE_INFINITY;
  cell.forEach((g, k) => {
    let s = 0;
    for (const r of g.reps) if (common.has(r.replicate)) s += (r.estimate - truthOf(r, g.theta)) ** 2;
    if (s / common.size < bestMse) {
      bestMse = s / common.size;
      best = k;
    }
  });
  return { nCommon: common.size, best };
}

/** A replicate's own truth, or the group's when the row has none (an older file). */
function truthOf(r: Replicate, theta: number): number {
  return Number.isNaN(r.truth) ? theta : r.truth;
}

/** The groups of each cell, cells in order of first appearance, groups in their order. */
function byCell(groups: readonly SummaryGroup[]): SummaryGroup[][] {
  const cells = new Map<string, SummaryGroup[]>();
  for (const g of groups) {
    const id = g.lead[0] as string;
    const list = cells.get(id) ?? [];
    list.push(g);
    cells.set(id, list);
  }
  return [...cells.values()];
}

/** summary.csv from its groups, in order: interval kind, measures, n_common and best. */
export function summarizeGroups(groups: readonly SummaryGroup[], axes: readonly string[]): string[][] {
  const compared = new Map<SummaryGroup, { nCommon: number; best: string }>();
  for (const cell of byCell(groups)) {
    const { nCommon, best } = commonBest(cell);
    cell.forEach((g, k) => {
      compared.set(g, { nCommon, best: best < 0 ? "NA" : k === best ? "1" : "0" });
    });
  }
  const head = ["cell_id", ...axes, "estimator", "interval", ...MEASURE_COLUMNS, "n_common", "best"];
  return [
    head,
    ...groups.map((g) => {
      const m = measures(g.reps, g.theta, g.interval);
      const c = compared.get(g) as { nCommon: number; best: string };
      return [...g.lead, g.interval, ...MEASURE_COLUMNS.map((k) => numberText(m[k])), String(c.nCommon), c.best];
    }),
  ];
}
