import { existsSync, readFileSync } from "node:fs";
import { ROW_STATUSES } from "../estimators/types.js";
import { CsvRowFormatter } from "../io/csv-text.js";
import { resolveParams } from "../params.js";
import { getDgp } from "../sim/registry.js";
import type { SweepConfig } from "./config.js";
import { csvRecords } from "./csv-records.js";
import { type Cell, type SeedBits, seedOf } from "./plan.js";
import { cellLead, valueText } from "./replicates.js";
import { replicateOf, summaryColumns, taskNumbers } from "./summary.js";
import { TaskTable } from "./task-table.js";

/**
 * Reading an earlier run's replicates.csv back, trusting nothing: every row is checked against the
 * plan (cell id and grid values, replicate, seed, beta_true, estimator order, status, numbers), a
 * task is kept only when all its rows pass and it has exactly one row per estimator, and anything
 * else (a torn last line, an unbalanced quote, a row edited by hand) is dropped and run again.
 */

/** What to check the rows against. */
export interface RecoverPlan {
  config: SweepConfig;
  grid: readonly Cell[];
  columns: readonly string[];
  seedBits: SeedBits;
  /** The cell ids rows were written with, by grid-values key, when they differ from the plan's (an extended grid). */
  writtenIds?: ReadonlyMap<string, string>;
}

/** What an earlier run left: its verified tasks, and what was dropped and why. */
export interface Recovered {
  table: TaskTable;
  /** Rows (and unreadable lines) dropped; their tasks run again. */
  droppedRows: number;
  tornLine: boolean;
  /** Whether the header names this plan's columns (false when there is no file). */
  headerMatches: boolean;
  /** The first problem found, with its line, for messages. */
  firstProblem: string | null;
}

const STATUSES = new Set<string>(ROW_STATUSES);
const DECIMAL = /^(NA|-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/;
const formatter = new CsvRowFormatter();

/** The key of a cell's grid values as written in its rows. */
export function valuesKey(fields: readonly string[]): string {
  return fields.join("\u0000");
}

/** Per cell, the text its rows must have in the columns the plan decides. */
function expectedLeads(p: RecoverPlan) {
  const dgp = getDgp(p.config.dgp);
  const byValues = new Map<string, { cell: Cell; id: string; beta: string | null }>();
  for (const cell of p.grid) {
    const lead = cellLead(p.config, cell);
    const key = valuesKey(lead.slice(1));
    const params = resolveParams(dgp.id, dgp.params, dgp.defaults, { ...p.config.params, ...cell.values });
    const beta = Number((params as { beta?: unknown }).beta);
    byValues.set(key, {
      cell,
      id: p.writtenIds?.get(key) ?? cell.id,
      beta: Number.isFinite(beta) ? valueText(beta) : null,
    });
  }
  return byValues;
}

/** Reads and verifies `path` (absent: nothing recovered). */
export function recover(path: string, p: RecoverPlan): Recovered {
  const table = new TaskTable(p.grid.length, p.config.replicates);
  const none: Recovered = { table, droppedRows: 0, tornLine: false, headerMatches: false, firstProblem: null };
  if (!existsSync(path)) return none;
  let text = readFileSync(path, "utf8");
  const tornLine = text.length > 0 && !text.endsWith("\n");
  if (tornLine) text = text.slice(0, text.lastIndexOf("\n") + 1);
  const { records, badLines } = csvRecords(text, p.columns.length);
  let firstProblem: string | null = null;
  const problem = (line: number, what: string) => {
    if (firstProblem === null) firstProblem = line > 0 ? `line ${line}: ${what}` : what;
  };
  if (badLines.length > 0) problem(badLines[0] as number, `not a row of ${p.columns.length} fields`);
  const header = records[0]?.line === 1 ? records.shift() : undefined;
  const headerMatches = header !== undefined && header.fields.join(",") === p.columns.join(",");
  if (!headerMatches) problem(1, "not the header of this plan's columns");
  let dropped = badLines.length + (header && !headerMatches ? 1 : 0);

  const g = p.config.grid.length;
  const col = summaryColumns(
    p.columns,
    p.config.grid.map(([k]) => k),
  );
  const at = { replicate: 1 + g, seed: 2 + g, beta: 3 + g, estimator: 4 + g, status: 10 + g };
  const numeric = [5, 6, 7, 8, 9].map((k) => k + g);
  for (let k = at.status + 2; k < p.columns.length; k++) numeric.push(k);
  const leads = expectedLeads(p);
  const names = p.config.estimators.map((e) => e.name);
  const byTask = new Map<number, { cell: Cell; replicate: number; rows: string[][] }>();

  for (const { fields: r, line } of records) {
    const lead = leads.get(valuesKey(r.slice(1, 1 + g)));
    const why = lead ? rowProblem(r, lead, p, at, numeric) : "grid values not in this plan";
    if (why !== null || !lead) {
      problem(line, why ?? "");
      dropped++;
      continue;
    }
    const replicate = Number(r[at.replicate]);
    const key = lead.cell.index * p.config.replicates + replicate;
    const task = byTask.get(key) ?? { cell: lead.cell, replicate, rows: [] };
    r[0] = lead.cell.id;
    task.rows.push(r);
    byTask.set(key, task);
  }
  for (const { cell, replicate, rows } of byTask.values()) {
    const got = rows.map((r) => r[at.estimator]);
    if (got.length !== names.length || !names.every((n, i) => got[i] === n)) {
      problem(0, `cell ${cell.id} replicate ${replicate} has estimators ${got.join(",")}`);
      dropped += rows.length;
      continue;
    }
    const numbers = taskNumbers(
      Number((rows[0] as string[])[col.betaTrue]),
      replicate,
      rows.map((r) => replicateOf(r, col)),
    );
    table.set(
      cell.index,
      replicate,
      formatter.text(rows),
      numbers,
      rows.some((r) => r[at.status] === "failed"),
    );
  }
  return { table, droppedRows: dropped, tornLine, headerMatches, firstProblem };
}

/** Why a row does not belong to the plan, or null when it does. */
function rowProblem(
  r: readonly string[],
  lead: { cell: Cell; id: string; beta: string | null },
  p: RecoverPlan,
  at: { replicate: number; seed: number; beta: number; estimator: number; status: number },
  numeric: readonly number[],
): string | null {
  if (r[0] !== lead.id) return `cell id ${JSON.stringify(r[0])} for the grid values of ${lead.id}`;
  const rep = r[at.replicate] as string;
  if (!/^[1-9][0-9]*$/.test(rep) || Number(rep) > p.config.replicates) return `replicate ${JSON.stringify(rep)}`;
  if (r[at.seed] !== String(seedOf(p.config, lead.cell, Number(rep), p.seedBits))) return "a seed not of this plan";
  if (lead.beta !== null && r[at.beta] !== lead.beta) return `beta_true ${JSON.stringify(r[at.beta])}`;
  if (!STATUSES.has(r[at.status] as string)) return `status ${JSON.stringify(r[at.status])}`;
  for (const k of numeric) if (!DECIMAL.test(r[k] as string)) return `${p.columns[k]} ${JSON.stringify(r[k])}`;
  return null;
}
