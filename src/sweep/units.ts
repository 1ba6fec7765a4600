import { appendFileSync, existsSync } from "node:fs";
import { getEstimator } from "../estimators/registry.js";
import type { EstimateRow } from "../estimators/types.js";
import { Appender } from "../io/append-file.js";
import { numberText } from "../io/write-table.js";
import type { SweepConfig } from "./config.js";

/**
 * units.csv, the per-unit side file of a sweep run with `--units`: one line per cell x replicate
 * x estimator x unit, `cell_id,replicate,estimator,unit,<outputs>`, where `unit` numbers the
 * units from 1 (a person: the row of the replicate's dataset, for ctx_*; an analysed test sequence,
 * in test order, for deep_mr_egger, whose `sequence_row` gives its row) and the outputs are the union
 * of the configured estimators' declared `units` names in configuration order (beta, mu for the
 * ctx_* estimators), `NA` where an estimator has no such output or a unit was not fitted (sample 2
 * with `sample: first`). Lines are appended as tasks finish (not sorted); a resumed run appends
 * the tasks it runs, so a task's lines appear once per run that computed it.
 */

/** The output columns of units.csv for a configuration, or none when no estimator has per-unit outputs. */
export function unitColumns(config: Pick<SweepConfig, "estimators">): string[] {
  const out: string[] = [];
  for (const spec of config.estimators) {
    for (const name of getEstimator(spec.id).units ?? []) if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** The header line of units.csv. */
export function unitsHeader(columns: readonly string[]): string {
  return `${["cell_id", "replicate", "estimator", "unit", ...columns].join(",")}\n`;
}

/**
 * A task's units.csv lines. Cell ids and estimator names are snake_case and numbers never need
 * quoting, so lines are joined directly: a task can have millions of units.
 */
export function unitLines(
  cellId: string,
  replicate: number,
  rows: readonly EstimateRow[],
  columns: readonly string[],
): string {
  const parts: string[] = [];
  for (const row of rows) {
    const units = row.units;
    if (!units) continue;
    const values = columns.map((c) => units[c]);
    const n = Math.max(...values.map((v) => v?.length ?? 0));
    const head = `${cellId},${replicate},${row.estimator},`;
    for (let i = 0; i < n; i++) {
      let line = head + (i + 1);
      for (const v of values) line += `,${numberText(v ? (v[i] as number) : Number.NaN)}`;
      parts.push(line);
    }
  }
  return parts.length === 0 ? "" : `${parts.join("\n")}\n`;
}

/** Opens `path` for appending task lines, writing the header first when the file is new. */
export function openUnits(path: string, columns: readonly string[]): Appender {
  if (!existsSync(path)) appendFileSync(path, unitsHeader(columns));
  return new Appender(path);
}
