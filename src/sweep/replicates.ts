import { getEstimator } from "../estimators/registry.js";
import type { EstimateRow, IntervalKind } from "../estimators/types.js";
import { Appender } from "../io/append-file.js";
import { CsvRowFormatter } from "../io/csv-text.js";
import { numberText, writeText } from "../io/write-table.js";
import type { SweepConfig } from "./config.js";
import { outcomeOf, type Replicate } from "./measures.js";
import type { TaskFailure, TaskOutput, TaskResult } from "./messages.js";
import type { Cell } from "./plan.js";
import { type IntervalsByName, replicateAt, type SummaryGroup, taskNumbers } from "./summary.js";
import type { TaskTable } from "./task-table.js";
import { unitLines } from "./units.js";

/**
 * replicates.csv: one row per cell x replicate x estimator, sorted, nothing run-specific in it.
 * Written incrementally (a task's rows together) so an interrupted run keeps what it finished;
 * rewritten sorted at the end, so every run of the same plan gives the same bytes.
 */

const FIXED = ["estimate", "se", "ci_lower", "ci_upper", "p_value", "status", "message"];

/**
 * Column names: cell id, grid axes, replicate, seed, beta_true, estimator, results, extras.
 * person_mse is always an extra: every sweep simulates, so each person's true effect is known
 * and the worker scores every estimator against it (src/sweep/run-task.ts).
 */
export function replicateColumns(config: SweepConfig): string[] {
  const extras: string[] = [];
  for (const spec of config.estimators) {
    const est = getEstimator(spec.id);
    for (const x of est.extrasOf?.(spec.params) ?? est.extras) if (!extras.includes(x)) extras.push(x);
  }
  if (!extras.includes("person_mse")) extras.push("person_mse");
  return [
    "cell_id",
    ...config.grid.map(([k]) => k),
    "replicate",
    "seed",
    "beta_true",
    "estimator",
    ...FIXED,
    ...extras,
  ];
}

/** A grid or parameter value as written in replicates.csv (lists joined by ";"). */
export function valueText(v: unknown): string {
  if (typeof v === "number") return numberText(v);
  if (Array.isArray(v)) return v.map(valueText).join(";");
  return String(v);
}

/** The leading fields every row of a cell shares: cell id and its grid values. */
export function cellLead(config: SweepConfig, cell: Cell): string[] {
  return [cell.id, ...config.grid.map(([k]) => valueText(cell.values[k]))];
}

/** The extras columns of replicates.csv, in order. */
export function extraColumns(columns: readonly string[]): string[] {
  return columns.slice(columns.indexOf("message") + 1);
}

/** The CSV rows (as strings) of one task's result, in estimator order. */
export function resultRows(lead: readonly string[], extras: readonly string[], r: TaskResult): string[][] {
  const head = [...lead, String(r.replicate), String(r.seed), valueText(r.betaTrue)];
  return r.rows.map((row) => [
    ...head,
    row.estimator,
    numberText(row.estimate),
    numberText(row.se),
    numberText(row.ci_lower),
    numberText(row.ci_upper),
    numberText(row.p_value),
    row.status,
    row.message ?? "",
    ...extras.map((x) => numberText(row.extras[x] ?? Number.NaN)),
  ]);
}

/** CSV text of rows, each ending in a newline (fast-csv quoting), for the task path and the rest alike. */
const formatter = new CsvRowFormatter();

/** A number as the summary reads it back from replicates.csv: non-finite is NA, and -0 is written 0. */
function asWritten(v: number): number {
  if (!Number.isFinite(v)) return NA;
  return v === 0 ? 0 : v;
}

/** NaN as a module constant: a `Number.NaN` load first reached in a rare branch deoptimised the caller. */
const NA = Number.NaN;

/** An extra as the summary reads it back: NaN when replicates.csv has no such column. */
function extraAsWritten(row: EstimateRow, extras: readonly string[], name: string): number {
  return extras.includes(name) ? asWritten(row.extras[name] ?? NA) : NA;
}

/**
 * A task's replicates.csv rows and timings.csv lines, ready to append, and its summary numbers;
 * with `units` (units.csv's output columns) also its units.csv lines.
 */
export function formatResult(
  lead: readonly string[],
  extras: readonly string[],
  r: TaskResult,
  units?: readonly string[],
): TaskOutput {
  const failures: TaskFailure[] = [];
  const reps: Replicate[] = [];
  let timings = "";
  let seconds = 0;
  for (let k = 0; k < r.rows.length; k++) {
    const row = r.rows[k] as EstimateRow;
    if (row.status === "failed") failures.push({ estimator: row.estimator, message: row.message ?? "" });
    reps.push({
      replicate: r.replicate,
      truth: asWritten(r.betaTrue),
      outcome: outcomeOf(row.status),
      estimate: asWritten(row.estimate),
      se: asWritten(row.se),
      ciLower: asWritten(row.ci_lower),
      ciUpper: asWritten(row.ci_upper),
      pValue: asWritten(row.p_value),
      personMse: extraAsWritten(row, extras, "person_mse"),
      firstStageF: extraAsWritten(row, extras, "first_stage_f"),
    });
    timings += `${lead[0]},${r.replicate},${row.estimator},${r.seconds[k]}\n`;
    seconds += r.seconds[k] as number;
  }
  return {
    cell: r.cell,
    replicate: r.replicate,
    seed: r.seed,
    csv: formatter.text(resultRows(lead, extras, r)),
    timings,
    numbers: taskNumbers(asWritten(r.betaTrue), r.replicate, reps),
    failures,
    seconds,
    ...(units ? { units: unitLines(lead[0] as string, r.replicate, r.rows, units) } : {}),
  };
}

/** Appends task rows to replicates.csv as they arrive. */
export class ReplicatesWriter {
  private constructor(private readonly file: Appender) {}

  /** Starts the file afresh with the header and the recovered tasks (in canonical order), then appends. */
  static open(path: string, columns: readonly string[], recovered: TaskTable): ReplicatesWriter {
    writeReplicates(path, columns, recovered);
    return new ReplicatesWriter(new Appender(path));
  }

  /** Appends rows (CSV text, whole tasks) in one write. */
  append(text: string): void {
    this.file.append(text);
  }

  close(): void {
    this.file.close();
  }
}

/**
 * Writes replicates.csv afresh (atomically) with every finished task of `table` in canonical
 * order: what every run, shard and merge ends with, so the same tasks always give the same bytes.
 */
export function writeReplicates(path: string, columns: readonly string[], table: TaskTable): void {
  writeText(path, formatter.text([columns]) + table.text());
}

/** Each configured estimator's interval kind (its `interval(params)`), by name. */
export function intervalsOf(config: Pick<SweepConfig, "estimators">): IntervalsByName {
  return new Map(config.estimators.map((e) => [e.name, getEstimator(e.id).interval(e.params)]));
}

/**
 * summary.csv's groups from every finished task, in replicates.csv's (canonical) order: per cell,
 * one group per estimator, whose first row gives beta_true.
 */
export function summaryGroupsOf(config: SweepConfig, grid: readonly Cell[], table: TaskTable): SummaryGroup[] {
  const intervals = intervalsOf(config);
  const names = config.estimators.map((e) => e.name);
  const groups: SummaryGroup[] = [];
  let cellGroups: SummaryGroup[] = [];
  let current = -1;
  for (const { cell, numbers } of table.finished()) {
    if (cell !== current) {
      current = cell;
      const lead = cellLead(config, grid[cell] as Cell);
      cellGroups = names.map((name) => ({
        lead: [...lead, name],
        theta: numbers[0] as number,
        interval: intervals.get(name) as IntervalKind,
        reps: [],
      }));
      groups.push(...cellGroups);
    }
    cellGroups.forEach((g, k) => {
      g.reps.push(replicateAt(numbers, k));
    });
  }
  return groups;
}
