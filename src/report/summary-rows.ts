import { booleanCell } from "../io/booleans.js";
import type { SweepConfig } from "../sweep/config.js";

/** One summary.csv row with numbers parsed; `values` are the grid axes as written in the CSV. */
export interface SummaryRow {
  cell: string;
  values: Record<string, string>;
  estimator: string;
  /** The estimator's interval kind (the `interval` column); "" in runs summarized before it existed. */
  interval: string;
  /** Every other column of the row as a number (NaN for NA or text). */
  m: Record<string, number>;
  best: boolean;
}

/** A grid axis as the figures draw it: numbers on a numeric scale (log when they span 10x), the rest in grid order. */
export interface Axis {
  name: string;
  /** The values as summary.csv writes them, in the grid's order. */
  values: string[];
  numeric: boolean;
  log: boolean;
}

/** summary.csv (header first) as typed rows; measures absent from the header are absent from `m`. */
export function summaryRows(table: readonly string[][], axes: readonly string[]): SummaryRow[] {
  const [head = [], ...rows] = table;
  const col = (name: string) => head.indexOf(name);
  const lead = new Set(["cell_id", "estimator", "interval", "best", ...axes]);
  const measures = head.filter((h) => !lead.has(h));
  return rows.map((r) => ({
    cell: r[0] as string,
    values: Object.fromEntries(axes.map((a) => [a, r[col(a)] as string])),
    estimator: r[col("estimator")] as string,
    interval: col("interval") < 0 ? "" : (r[col("interval")] as string),
    m: Object.fromEntries(measures.map((k) => [k, r[col(k)] === "NA" ? Number.NaN : Number(r[col(k)])])),
    best: booleanCell(r[col("best")] ?? "") === true,
  }));
}

/**
 * The grid axes with more than one value in summary.csv (a partial run may lack some cells), each
 * with how to draw it: the config's values decide (numbers are numeric, booleans and anything else
 * ordinal); the labels are summary.csv's, taken from the rows so they match the CSV text exactly.
 */
export function plottedAxes(config: SweepConfig, rows: readonly SummaryRow[]): Axis[] {
  return config.grid
    .map(([name, values]) => ({ name, values, seen: [...new Set(rows.map((r) => r.values[name] as string))] }))
    .filter(({ seen }) => seen.length > 1)
    .map(({ name, values, seen }) => {
      const numeric = values.every((v) => typeof v === "number" && Number.isFinite(v));
      // Numbers by value; other values in the rows' order, which is the grid's (rows are sorted by cell).
      const order = numeric ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
      const nums = order.map(Number);
      const min = Math.min(...nums);
      return { name, values: order, numeric, log: numeric && min > 0 && Math.max(...nums) / min >= 10 };
    });
}
