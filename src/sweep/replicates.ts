import { existsSync, readFileSync } from "node:fs";
import { errors } from "../errors.js";
import { getEstimator } from "../estimators/registry.js";
import { Appender } from "../io/append-file.js";
import { CsvRowFormatter, parseCsvText } from "../io/csv-text.js";
import { numberText, writeText } from "../io/write-table.js";
import type { SweepConfig } from "./config.js";
import type { ResultRow, TaskFailure, TaskOutput, TaskResult } from "./messages.js";
import type { Cell } from "./plan.js";
import {
  outcomeOf,
  type Replicate,
  replicateAt,
  replicateOf,
  type SummaryGroup,
  summaryColumns,
  taskNumbers,
} from "./summary.js";
import { TaskTable } from "./task-table.js";

/**
 * replicates.csv: one row per cell x replicate x estimator, sorted, nothing run-specific in it.
 * Written incrementally (a task's rows together) so an interrupted run keeps what it finished;
 * rewritten sorted at the end, so every run of the same plan gives the same bytes.
 */

const FIXED = ["estimate", "se", "ci_lower", "ci_upper", "p_value", "status", "message"];

/** Column names: cell id, grid axes, replicate, seed, beta_true, estimator, results, extras. */
export function replicateColumns(config: SweepConfig): string[] {
  const extras: string[] = [];
  for (const spec of config.estimators) {
    for (const x of getEstimator(spec.id).extras) if (!extras.includes(x)) extras.push(x);
  }
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

function valueText(v: unknown): string {
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
    row.message,
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

/** A task's replicates.csv rows and timings.csv lines, ready to append, and its summary numbers. */
export function formatResult(lead: readonly string[], extras: readonly string[], r: TaskResult): TaskOutput {
  const withPersonMse = extras.includes("person_mse");
  const failures: TaskFailure[] = [];
  const reps: Replicate[] = [];
  let timings = "";
  let seconds = 0;
  for (let k = 0; k < r.rows.length; k++) {
    const row = r.rows[k] as ResultRow;
    if (row.status === "failed") failures.push({ estimator: row.estimator, message: row.message });
    reps.push({
      outcome: outcomeOf(row.status),
      estimate: asWritten(row.estimate),
      se: asWritten(row.se),
      ciLower: asWritten(row.ci_lower),
      ciUpper: asWritten(row.ci_upper),
      personMse: withPersonMse ? asWritten(row.extras.person_mse ?? Number.NaN) : Number.NaN,
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
    numbers: taskNumbers(asWritten(r.betaTrue), reps),
    failures,
    seconds,
  };
}

/** What an earlier, interrupted run left: its complete tasks, and how much was dropped. */
export interface Recovered {
  table: TaskTable;
  droppedRows: number;
  tornLine: boolean;
}

/**
 * Reads replicates.csv back. A last line without its newline (torn by a crash) is dropped, and so
 * are the rows of any task that does not have exactly one row per estimator: such tasks run again.
 */
export async function recover(
  path: string,
  columns: readonly string[],
  config: SweepConfig,
  grid: readonly Cell[],
): Promise<Recovered> {
  const table = new TaskTable(grid.length, config.replicates);
  if (!existsSync(path)) return { table, droppedRows: 0, tornLine: false };
  let text = readFileSync(path, "utf8");
  const tornLine = text.length > 0 && !text.endsWith("\n");
  if (tornLine) text = text.slice(0, text.lastIndexOf("\n") + 1);
  const all = await parseCsvText(text);
  const header = all.shift();
  if (header && header.join(",") !== columns.join(",")) {
    throw errors.invalid(path, "its header", "the columns of this sweep's configuration", header.slice(0, 8).join(","));
  }
  const cellIndex = new Map(grid.map((c) => [c.id, c.index]));
  const names = config.estimators.map((e) => e.name);
  const byTask = new Map<number, { cell: number; replicate: number; rows: string[][] }>();
  let dropped = 0;
  for (const r of all) {
    const cell = cellIndex.get(r[0] as string) ?? -1;
    const replicate = Number(r[1 + config.grid.length]);
    if (r.length !== columns.length || !table.inPlan(cell, replicate)) {
      dropped++;
      continue;
    }
    const key = cell * config.replicates + replicate;
    const task = byTask.get(key) ?? { cell, replicate, rows: [] };
    task.rows.push(r);
    byTask.set(key, task);
  }
  const estimatorCol = columns.indexOf("estimator");
  const c = summaryColumns(
    columns,
    config.grid.map(([k]) => k),
  );
  for (const { cell, replicate, rows } of byTask.values()) {
    const got = rows.map((r) => r[estimatorCol]);
    if (got.length === names.length && names.every((n, i) => got[i] === n)) {
      const numbers = taskNumbers(
        Number((rows[0] as string[])[c.betaTrue]),
        rows.map((r) => replicateOf(r, c)),
      );
      table.set(cell, replicate, formatter.text(rows), numbers);
    } else dropped += rows.length;
  }
  return { table, droppedRows: dropped, tornLine };
}

/** Appends task rows to replicates.csv as they arrive. */
export class ReplicatesWriter {
  private constructor(
    private readonly path: string,
    private readonly header: string,
    private readonly file: Appender,
  ) {}

  /** Starts the file afresh with the header and the recovered tasks (in canonical order), then appends. */
  static open(path: string, columns: readonly string[], recovered: TaskTable): ReplicatesWriter {
    const header = formatter.text([columns]);
    writeText(path, header + recovered.text());
    return new ReplicatesWriter(path, header, new Appender(path));
  }

  /** Appends rows (CSV text, whole tasks) in one write. */
  append(text: string): void {
    this.file.append(text);
  }

  close(): void {
    this.file.close();
  }

  /** Rewrites the file with every finished task in canonical order (atomically). */
  finalize(table: TaskTable): void {
    writeText(this.path, this.header + table.text());
  }
}

/**
 * summary.csv's groups from every finished task, in replicates.csv's (canonical) order: per cell,
 * one group per estimator, whose first row gives beta_true.
 */
export function summaryGroupsOf(config: SweepConfig, grid: readonly Cell[], table: TaskTable): SummaryGroup[] {
  const names = config.estimators.map((e) => e.name);
  const groups: SummaryGroup[] = [];
  let cellGroups: SummaryGroup[] = [];
  let current = -1;
  for (const { cell, numbers } of table.finished()) {
    if (cell !== current) {
      current = cell;
      const lead = cellLead(config, grid[cell] as Cell);
      cellGroups = names.map((name) => ({ lead: [...lead, name], theta: numbers[0] as number, reps: [] }));
      groups.push(...cellGroups);
    }
    cellGroups.forEach((g, k) => {
      g.reps.push(replicateAt(numbers, k));
    });
  }
  return groups;
}
