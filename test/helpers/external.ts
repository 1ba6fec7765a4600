import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsvText } from "../../src/io/csv-text.js";
import { ROOT } from "./fixtures.js";

/** Debian's Python (no numpy there: the tests stay on the standard library), else whatever `python3` is. */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Whether a program runs (`Rscript --version`, ...). */
function runs(cmd: string, args: readonly string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Whether `Rscript` is on the PATH. */
export const HAS_R = runs("Rscript", ["--version"]);

/** Whether R has the AER package (the R example's ivreg variant). */
export const HAS_AER = HAS_R && runs("Rscript", ["-e", 'quit(status = !requireNamespace("AER", quietly = TRUE))']);

/** A file of examples/external/. */
export function example(name: string): string {
  return join(ROOT, "examples", "external", name);
}

/** replicates.csv of a run as records keyed by column name. */
export async function replicateRecords(dir: string): Promise<Record<string, string>[]> {
  const [head, ...rows] = await parseCsvText(readFileSync(join(dir, "replicates.csv"), "utf8"));
  return rows.map((r) => Object.fromEntries((head as string[]).map((k, i) => [k, r[i] as string])));
}

/** The records of one estimator, by replicate (one cell). */
export function byEstimator(records: readonly Record<string, string>[], name: string): Record<string, string>[] {
  return records.filter((r) => r.estimator === name).sort((a, b) => Number(a.replicate) - Number(b.replicate));
}
