import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-errors.js";
import { fixturePath } from "../helpers/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-data-"));
const LDL = fixturePath("mr-examples", "ldl-chd.csv");
/** Per test: a few CLI processes, about 1 s each on an idle 2-core machine. */
const SLOW = 60_000;

/** Writes `lines` (header first) to `name` in the test folder, one trailing newline. */
function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** Twelve rows of Y, X, G0..G2 for `fit`, header first. */
function fitLines(): string[] {
  const lines = ["Y,X,G0,G1,G2"];
  for (let i = 0; i < 12; i++)
    lines.push([(i * 0.37) % 1.3, (i * 0.71) % 1.1, i % 3, Math.floor(i / 2) % 3, Math.floor(i / 4) % 3].join(","));
  return lines;
}

/** The LDL-CHD example's lines (header first). */
function ldlLines(): string[] {
  return readFileSync(LDL, "utf8").trimEnd().split("\n");
}

/** `lines` with field `col` of line `at` replaced by `value`. */
function setCell(lines: readonly string[], at: number, col: number, value: string): string[] {
  return lines.map((l, i) => {
    if (i !== at) return l;
    const cells = l.split(",");
    cells[col] = value;
    return cells.join(",");
  });
}

describe("numbers in data files are decimal only", () => {
  for (const cell of ["0x1F", "0b101", "0o17"]) {
    it(
      `fit and mr refuse ${cell} with file, column, row and value`,
      () => {
        const f = file(`fit-${cell}.csv`, setCell(fitLines(), 4, 2, cell));
        expectOneLineError(
          runCli(["fit", f]),
          2,
          new RegExp(
            `fit-${cell}\\.csv: column "G0" must hold finite numbers; got 1 non-numeric or non-finite value \\(first at row 5: "${cell}"\\)`,
          ),
        );
        const m = file(`mr-${cell}.csv`, setCell(ldlLines(), 3, 3, cell));
        expectOneLineError(
          runCli(["mr", m]),
          2,
          new RegExp(
            `mr-${cell}\\.csv: column "beta_outcome" must hold finite numbers; got 1 non-numeric or non-finite value \\(first at row 4: "${cell}"\\)`,
          ),
        );
      },
      SLOW,
    );
  }
});

describe("the header names each column once", () => {
  it(
    "fit and mr refuse a repeated column name, saying which and where",
    () => {
      const f = file(
        "dup-fit.csv",
        fitLines().map((l, i) => (i === 0 ? "Y,X,G0,G1,X" : l)),
      );
      expectOneLineError(
        runCli(["fit", f]),
        2,
        /dup-fit\.csv: column "X" must be named once in the header; got it at columns 2 and 5$/m,
      );
      const m = file(
        "dup-mr.csv",
        ldlLines().map((l, i) => (i === 0 ? l.replace("snp_index", "se_outcome") : l)),
      );
      expectOneLineError(
        runCli(["mr", m]),
        2,
        /dup-mr\.csv: column "se_outcome" must be named once in the header; got it at columns 1 and 5$/m,
      );
    },
    SLOW,
  );
});
