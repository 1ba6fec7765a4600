import { frame } from "../data/frame.js";
import type { EstimateRow } from "../estimators/types.js";
import { writeFrame } from "../io/write-table.js";
import { perPersonWithout } from "./fit.js";

/**
 * Writes `row` (1-based, as in the input file's data rows) and `<estimator>_beta`, `<estimator>_mu`
 * per person (TSV for .tsv names). `fit` checked that `path` is writable before fitting.
 */
export async function writePerPerson(path: string, rows: readonly EstimateRow[], n: number): Promise<void> {
  const withPeople = rows.filter((r) => r.perPerson);
  if (withPeople.length === 0) throw perPersonWithout();
  const columns: Array<[string, Float64Array]> = [["row", Float64Array.from({ length: n }, (_, i) => i + 1)]];
  for (const r of withPeople) {
    const people = r.perPerson as { beta: Float64Array; mu: Float64Array };
    columns.push([`${r.estimator}_beta`, people.beta], [`${r.estimator}_mu`, people.mu]);
  }
  await writeFrame(path, frame(columns.map(([name, v], j) => [name, v, j === 0] as const)), "fit");
}
