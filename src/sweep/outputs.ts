import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { writeToString } from "fast-csv";
import { parseCsvText } from "../io/csv-text.js";
import { writeText } from "../io/write-table.js";
import type { SweepConfig } from "./config.js";
import { intervalsOf } from "./replicates.js";
import { type SummaryGroup, summarize, summarizeGroups } from "./summary.js";

const require = createRequire(import.meta.url);

/** Versions recorded in run.json. */
export function versions(): Record<string, string> {
  // A package's own package.json, found from its entry point: packages whose `exports` do not
  // list package.json (piscina) cannot be required for it.
  const pkg = (name: string) => {
    try {
      let dir = dirname(require.resolve(name));
      for (;;) {
        const file = join(dir, "package.json");
        if (existsSync(file)) {
          const json = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
          if (json.name === name && json.version) return json.version;
        }
        if (dirname(dir) === dir) return "unknown";
        dir = dirname(dir);
      }
    } catch {
      return "unknown";
    }
  };
  const own = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return {
    mrsweep: own.version,
    node: process.version,
    piscina: pkg("piscina"),
    "fast-csv": pkg("fast-csv"),
    seedrandom: pkg("seedrandom"),
  };
}

/** Reads a CSV file into rows of strings (header first). */
export function readCsv(path: string): Promise<string[][]> {
  return parseCsvText(readFileSync(path, "utf8"));
}

/** (Re)builds summary.csv from replicates.csv, with the interval kinds of the config's estimators. */
export async function writeSummary(
  dir: string,
  replicatesCsv: string,
  config: Pick<SweepConfig, "grid" | "estimators">,
): Promise<void> {
  const axes = config.grid.map(([k]) => k);
  await writeSummaryTable(dir, summarize(await readCsv(replicatesCsv), axes, intervalsOf(config)));
}

/** Writes summary.csv from its groups (built from the tasks kept in memory as a sweep ends). */
export async function writeSummaryGroups(
  dir: string,
  groups: readonly SummaryGroup[],
  config: Pick<SweepConfig, "grid">,
): Promise<void> {
  const axes = config.grid.map(([k]) => k);
  await writeSummaryTable(dir, summarizeGroups(groups, axes));
}

async function writeSummaryTable(dir: string, summary: string[][]): Promise<void> {
  writeText(join(dir, "summary.csv"), await writeToString(summary, { includeEndRowDelimiter: true }));
}
