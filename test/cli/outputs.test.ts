import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-errors.js";
import { fixturePath } from "../helpers/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-out-"));
const STUDY_DATA = fixturePath("study", "dataset-n1000-L5-context.csv");
/** Per test: a few CLI processes, about 1 s each on an idle 2-core machine (demo and ctx fits more). */
const SLOW = 120_000;

/** Asserts that `path` holds text ending in exactly one newline. */
function expectFinalNewline(path: string): void {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n"), path).toBe(true);
  expect(text.endsWith("\n\n"), path).toBe(false);
}

describe("every file the tool writes ends with a newline", () => {
  it(
    "simulate (CSV and TSV), demo and fit --per-person",
    () => {
      for (const name of ["s.csv", "s.tsv"]) {
        const out = join(dir, name);
        expect(runCli(["simulate", "--n", "30", "--L", "2", "--out", out]).code).toBe(0);
        expectFinalNewline(out);
        expectFinalNewline(join(dir, "s.meta.json"));
      }
      const demo = join(dir, "demo");
      const d = runCli(["demo", "--out", demo]);
      expect(d.code, d.stderr).toBe(0);
      expect(readdirSync(demo).sort()).toEqual(["data.csv", "data.meta.json", "estimates.json"]);
      for (const f of readdirSync(demo)) expectFinalNewline(join(demo, f));
      const people = join(dir, "people.csv");
      const args = ["fit", STUDY_DATA, "--estimators", "ctx_ols", "--preset", "small", "--per-person", people];
      const r = runCli(args);
      expect(r.code, r.stderr).toBe(0);
      expectFinalNewline(people);
    },
    SLOW,
  );
});

describe("output paths are checked before any computation: exit code 1, one line, nothing written", () => {
  it(
    "simulate --out naming a folder, or a path under a file",
    () => {
      const folder = join(dir, "a-folder");
      mkdirSync(folder);
      expectOneLineError(
        runCli(["simulate", "--n", "30", "--out", folder]),
        1,
        /^mrsweep simulate: ".*a-folder" must be writable; got EISDIR \(it is a folder\)$/,
      );
      expect(readdirSync(folder)).toEqual([]);
      const plain = join(dir, "plain.txt");
      writeFileSync(plain, "");
      expectOneLineError(
        runCli(["simulate", "--n", "30", "--out", join(plain, "x.csv")]),
        1,
        /^mrsweep simulate: ".*plain\.txt\/x\.csv" must be writable; got ENOTDIR \(a path component is not a folder\)$/,
      );
    },
    SLOW,
  );

  it(
    "simulate creates missing parent folders",
    () => {
      const out = join(dir, "new", "a", "b", "x.csv");
      expect(runCli(["simulate", "--n", "30", "--L", "2", "--out", out]).code).toBe(0);
      expect(readdirSync(join(dir, "new", "a", "b")).sort()).toEqual(["x.csv", "x.meta.json"]);
    },
    SLOW,
  );

  it(
    "fit --per-person: checked before the data file is even validated",
    () => {
      const folder = join(dir, "people-folder");
      mkdirSync(folder);
      // An input error in the data (a constant instrument) would be exit code 2: it is not reached.
      const data = join(dir, "constant.csv");
      writeFileSync(
        data,
        `Y,X,G0,age\n${Array.from({ length: 12 }, (_, i) => `${i % 5},${i % 3},1,${i}`).join("\n")}\n`,
      );
      const args = ["fit", data, "--estimators", "ctx_ols", "--context", "age", "--per-person", folder];
      expectOneLineError(runCli(args), 1, /^mrsweep fit: ".*people-folder" must be writable; got EISDIR/);
      expect(runCli(args.slice(0, -2)).code).toBe(2);
    },
    SLOW,
  );

  it(
    "demo --out naming a file",
    () => {
      const plain = join(dir, "demo-is-a-file");
      writeFileSync(plain, "");
      expectOneLineError(
        runCli(["demo", "--out", plain]),
        1,
        /^mrsweep demo: ".*demo-is-a-file\/data\.csv" must be writable; got ENOTDIR/,
      );
      expect(existsSync(join(dir, "data.csv"))).toBe(false);
    },
    SLOW,
  );
});

describe("simulate --out -", () => {
  it(
    "writes the CSV to standard output, the file's bytes; metadata only with --meta",
    () => {
      const cwd = mkdtempSync(join(tmpdir(), "mrsweep-stdout-"));
      const args = ["simulate", "--n", "300", "--L", "3", "--seed", "5"];
      const r = runCli([...args, "--out", "-"], cwd);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(cwd)).toEqual([]);
      expect(r.stderr).toMatch(/^simulate: wrote 300 rows x \d+ columns to standard output\n$/);
      const file = join(cwd, "f.csv");
      expect(runCli([...args, "--out", file]).code).toBe(0);
      expect(r.stdout).toBe(readFileSync(file, "utf8"));
      const withMeta = runCli([...args, "--out", "-", "--meta", "m.json"], cwd);
      expect(withMeta.stdout).toBe(r.stdout);
      expect(JSON.parse(readFileSync(join(cwd, "m.json"), "utf8"))).toMatchObject({ file: "-", rows: 300 });
    },
    SLOW,
  );
});
