import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
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
