import { frame } from "../data/frame.js";
import type { EstimateRow } from "../estimators/types.js";
import { writeFrame } from "../io/write-table.js";
import { perPersonWithout } from "./fit.js";

/**
 * Writes `row` (1-based, as in the input file's data rows) and `<estimator>_beta`, `<estimator>_mu`
 * per person (TSV for .tsv names). `fit` checked that `path` is writable before fitting.
 */
export async function writePerPerson(path: string, rows: readonly EstimateRow[], n: number): Promise<void> {
  const withPeople = rows.filter((r) => r.units);
  if (withPeople.length === 0) throw perPersonWithout();
  const columns: Array<[string, Float64Array]> = [["row", Float64Array.from({ length: n }, (_, i) => i + 1)]];
  for (const r of withPeople) {
    for (const [name, values] of Object.entries(r.units ?? {})) columns.push([`${r.estimator}_${name}`, values]);
  }
  await writeFrame(path, frame(columns.map(([name, v], j) => [name, v, j === 0] as const)), "fit");
}
