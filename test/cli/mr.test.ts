import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixturePath } from "../helpers/fixtures.js";

const LDL = fixturePath("mr-examples", "ldl-chd.csv");

describe("mrsweep mr", () => {
  it("runs on the LDL-CHD example and prints every method", () => {
    const r = runCli(["mr", LDL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/28 variants/);
    for (const m of ["ivw", "mr_egger", "weighted_median", "simple_median", "weighted_mode", "simple_mode"])
      expect(r.stdout).toMatch(new RegExp(`^${m}\\s`, "m"));
    expect(r.stdout).toMatch(/^ivw\s+2\.834\s+0\.5298/m);
    expect(r.stdout).toMatch(/MR-Egger intercept -0\.01146/);
  }, 60_000); // CLI processes, about 1 s each on an idle 2-core machine

  it("--json gives one object per method with the extras and its interval kind", () => {
    const rows = JSON.parse(runCli(["mr", LDL, "--json"]).stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.estimator)).toEqual([
      "ivw",
      "mr_egger",
      "weighted_median",
      "simple_median",
      "weighted_mode",
      "simple_mode",
    ]);
    expect(rows[0]).toHaveProperty("q");
    expect(rows[1]).toHaveProperty("i2_gx");
    expect(rows[4]).toHaveProperty("bandwidth");
    // Two-sample summary data: asymptotic intervals (on one-sample individual data they ignore the first stage).
    expect(new Set(rows.map((r) => r.interval))).toEqual(new Set(["asymptotic"]));
  }, 60_000); // CLI processes, about 1 s each on an idle 2-core machine

  it("--convention TwoSampleMR switches Egger's p-value to t on J - 2 df; a bad name is an input error", () => {
    const mr = JSON.parse(runCli(["mr", LDL, "--json"]).stdout) as Array<Record<string, number>>;
    const r = runCli(["mr", LDL, "--json", "--convention", "TwoSampleMR"]);
    expect(r.code, r.stderr).toBe(0);
    const tsmr = JSON.parse(r.stdout) as Array<Record<string, number>>;
    expect(tsmr[1]?.estimate).toBe(mr[1]?.estimate);
    expect(tsmr[1]?.p_value).toBeCloseTo(2.6025291714811618e-4, 12);
    expect(mr[1]?.p_value).toBeLessThan(tsmr[1]?.p_value as number);
    const bad = runCli(["mr", LDL, "--convention", "tsmr"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/mr: --convention must be one of MendelianRandomization, TwoSampleMR; got "tsmr"/);
  }, 60_000); // CLI processes, about 1 s each on an idle 2-core machine

  it("maps columns by flag and names what is wrong with bad input", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-mr-"));
    const f = join(dir, "s.csv");
    writeFileSync(f, "a,b,c,d\n0.1,0.01,0.03,0.02\n0.2,0.01,0.07,0.02\n0.15,0,0.04,0.02\n");
    const bad = runCli(["mr", f, "--bx", "a", "--sx", "b", "--by", "c", "--sy", "d"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/s\.csv: column "b" row 4 must be a positive standard error; got 0/);
    const missing = runCli(["mr", f]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/s\.csv: column "beta\.exposure" must be present; got columns a, b, c, d/);
  }, 60_000); // CLI processes, about 1 s each on an idle 2-core machine
});
