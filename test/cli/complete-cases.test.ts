import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-errors.js";
import { fixturePath } from "../helpers/fixtures.js";

/**
 * `fit --complete-cases`: rows with a missing cell in a column the fit uses are dropped and
 * counted; the result equals the fit on the file without those rows. A missing cell in a column the
 * fit does not use drops nothing.
 */
describe("mrsweep fit --complete-cases", () => {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-complete-"));
  const [head, ...rows] = readFileSync(fixturePath("regression", "basic.csv"), "utf8").trimEnd().split("\n");
  const names = (head as string).split(",");
  const at = (name: string) => names.indexOf(name);
  // Row k (0-based data row) gets `text` in column `name`.
  const holes: Array<[number, string, string]> = [
    [3, "X", "NA"],
    [10, "G2", ""],
    [11, "Y", "NA"],
    [11, "G0", "NA"],
    [40, "G4", "n/a"],
  ];
  const messy = rows.map((r) => r.split(","));
  for (const [k, name, text] of holes) (messy[k] as string[])[at(name)] = text;
  const withExtra = (cells: string[][]) => cells.map((r, k) => [...r, k === 7 ? "NA" : "1"].join(","));
  const file = join(dir, "messy.csv");
  writeFileSync(file, `${head},unused\n${withExtra(messy).join("\n")}\n`);
  const cleanFile = join(dir, "clean.csv");
  const kept = messy.filter((_, k) => ![3, 10, 11, 40].includes(k));
  writeFileSync(cleanFile, `${head},unused\n${withExtra(kept).join("\n")}\n`);

  it("drops the incomplete rows, says how many and where, and fits the rest as the cleaned file", () => {
    const args = ["--estimators", "ols,tsls", "--instruments", "G*"];
    const r = runCli(["fit", file, ...args, "--complete-cases"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `n = ${rows.length - 4} \\(4 rows with missing values \\(Y 1, X 1, G0 1, G2 1, G4 1\\) dropped, --complete-cases\\)`,
      ),
    );
    const json = runCli(["fit", file, ...args, "--complete-cases", "--json"]);
    expect(json.stderr).toMatch(/4 rows with missing values/);
    const clean = runCli(["fit", cleanFile, ...args, "--json"]);
    expect(json.stdout).toBe(clean.stdout);
  }, 60_000);

  it("later messages still name the file's rows after rows were dropped", () => {
    const sampled = join(dir, "sampled.csv");
    const sample = (k: number) => (k === 50 ? "3" : String(1 + (k % 2)));
    writeFileSync(sampled, `${head},S\n${messy.map((r, k) => [...r, sample(k)].join(",")).join("\n")}\n`);
    expectOneLineError(
      runCli(["fit", sampled, "--estimators", "ols", "--sample", "S", "--complete-cases"]),
      2,
      /sampled\.csv: column "S" \(--sample\) must be 1 or 2 in every row; got 3 at row 52$/,
    );
  }, 60_000);

  it("without it, a missing cell is an error naming the column and row", () => {
    expectOneLineError(
      runCli(["fit", file, "--estimators", "ols"]),
      2,
      /messy\.csv: column "Y" must hold finite numbers; got 1 non-numeric or non-finite value \(first at row 13: "NA"\)$/,
    );
  }, 60_000);
});
