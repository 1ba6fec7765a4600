import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
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

describe("empty rows are errors, not skipped", () => {
  const withRow = (at: number, row: string) => [...fitLines().slice(0, at), row, ...fitLines().slice(at)];
  for (const [name, row, what] of [
    ["an empty line", "", "an empty line"],
    ["a row of empty fields", ",,,,", "5 empty fields"],
    ["a line of spaces", "   ", "an empty line"],
  ] as const) {
    it(
      `${name} in the middle of the data names its row`,
      () => {
        const f = file(`empty-${what.replaceAll(" ", "-")}.csv`, withRow(6, row));
        expectOneLineError(
          runCli(["fit", f]),
          2,
          new RegExp(`empty-.*\\.csv: row 7 must be a row of data \\(empty rows are not skipped\\); got ${what}$`, "m"),
        );
      },
      SLOW,
    );
  }

  it(
    "mr too; empty lines at the very end are fine",
    () => {
      const lines = ldlLines();
      const m = file("empty-mr.csv", [...lines.slice(0, 3), "", ...lines.slice(3)]);
      expectOneLineError(runCli(["mr", m]), 2, /empty-mr\.csv: row 4 must be a row of data .*; got an empty line$/m);
      const r = runCli(["mr", file("trailing.csv", [...lines, "", ""]), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(runCli(["mr", LDL, "--json"]).stdout);
    },
    SLOW,
  );
});

describe("a file with a header and no data rows", () => {
  it(
    "is refused by mr as by fit",
    () => {
      const m = file("header-only-mr.csv", [ldlLines()[0] as string]);
      expectOneLineError(
        runCli(["mr", m]),
        2,
        /header-only-mr\.csv: the file must be a header row followed by data rows; got a header row only$/m,
      );
      const f = file("header-only-fit.csv", [fitLines()[0] as string]);
      expectOneLineError(
        runCli(["fit", f]),
        2,
        /header-only-fit\.csv: the file must be a header row followed by data rows; got a header row only$/m,
      );
    },
    SLOW,
  );
});

describe(".gz files", () => {
  it(
    "simulate -> .csv.gz / .tsv.gz -> fit gives the plain CSV's estimates; metadata beside without .csv.gz",
    () => {
      const args = ["simulate", "--n", "300", "--L", "4", "--context", "--seed", "11", "--out"];
      const fitJson = (f: string) => {
        const r = runCli(["fit", f, "--json", "--covariates", "age"]);
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout);
      };
      expect(runCli([...args, join(dir, "sim.csv")]).code).toBe(0);
      const plain = fitJson(join(dir, "sim.csv"));
      for (const name of ["simz.csv.gz", "simz.tsv.gz"]) {
        const r = runCli([...args, join(dir, name)]);
        expect(r.code, r.stderr).toBe(0);
        expect(readFileSync(join(dir, name)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
        expect(JSON.parse(readFileSync(join(dir, "simz.meta.json"), "utf8")).rows).toBe(300);
        expect(fitJson(join(dir, name))).toEqual(plain);
      }
    },
    SLOW,
  );

  it(
    "mr reads a gzip-compressed file as the plain one",
    () => {
      const gz = join(dir, "ldl.csv.gz");
      writeFileSync(gz, gzipSync(readFileSync(LDL)));
      const r = runCli(["mr", gz, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(runCli(["mr", LDL, "--json"]).stdout);
    },
    SLOW,
  );
});
