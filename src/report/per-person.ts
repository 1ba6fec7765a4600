import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { errors } from "../errors.js";
import { readCsv } from "../sweep/outputs.js";
import { writeFigure } from "./render.js";
import { perPerson } from "./specs.js";

/**
 * Figures from `mrsweep fit --per-person people.csv` and the data file it was fitted on: for each
 * estimator with a `<name>_beta` column, beta_i against each context column present in the data.
 */
export async function plotPerPerson(
  peopleFile: string,
  dataFile: string,
  context: readonly string[],
  outDir: string,
): Promise<string[]> {
  const people = await readCsv(peopleFile);
  const data = await readCsv(dataFile);
  const [ph, ...prows] = people;
  const [dh, ...drows] = data;
  if (!ph || !dh) throw errors.invalid("plot", "--per-person and --data", "CSV files with a header", "an empty file");
  if (prows.length !== drows.length) {
    throw errors.invalid(peopleFile, "its number of rows", `the data file's (${drows.length})`, prows.length);
  }
  const present = context.filter((c) => dh.includes(c));
  if (present.length === 0)
    throw errors.invalid(
      dataFile,
      "its columns",
      `to include context columns (${context.join(", ")})`,
      dh.slice(0, 8).join(", "),
    );
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const col of ph.filter((h) => h.endsWith("_beta"))) {
    const name = col.slice(0, -"_beta".length);
    const j = ph.indexOf(col);
    const rows = prows.map((r, i) => ({
      beta: Number(r[j]),
      ...Object.fromEntries(present.map((c) => [c, Number((drows[i] as string[])[dh.indexOf(c)])])),
    }));
    const file = join(outDir, `per-person-${name}.svg`);
    await writeFigure(file, perPerson(name, rows, present));
    files.push(file);
  }
  return files;
}
