import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";
import { runCli } from "../helpers/cli.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

const STUDY = fixturePath("study");

describe("mrsweep fit", () => {
  it("reproduces the study's OLS and 2SLS on its own dataset to 1e-10, as JSON", () => {
    const r = runCli(["fit", join(STUDY, "dataset-n1000-L5-context.csv"), "--estimators", "ols,tsls", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, number | string | null>>;
    expect(rows.map((x) => x.estimator)).toEqual(["ols", "tsls"]);
    assertClose(rows[0]?.estimate as number, 0.8174757205648118, { atol: 1e-10, rtol: 0 }, "OLS");
    assertClose(rows[1]?.estimate as number, 0.2939773504851071, { atol: 1e-10, rtol: 0 }, "2SLS");
    for (const key of [
      "se",
      "ci_lower",
      "ci_upper",
      "p_value",
      "status",
      "se_robust",
      "first_stage_f",
      "partial_r2",
      "sargan",
      "sargan_p",
    ]) {
      expect(rows[1]).toHaveProperty(key);
    }
    expect(rows[0]).not.toHaveProperty("first_stage_f");
  });

  it("fits the lasso estimators: the study's 2SLS-LASSO to 1e-9, with alpha and n_selected in the JSON", () => {
    const file = join(STUDY, "dataset-n1000-L5-context.csv");
    const r = runCli(["fit", file, "--estimators", "tsls_lasso,tsls_post_lasso", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const [shrunk, post] = JSON.parse(r.stdout) as Array<Record<string, number | string>>;
    assertClose(shrunk?.estimate as number, 0.36453749853012, { atol: 1e-9, rtol: 0 }, "2SLS-LASSO");
    expect(shrunk).toMatchObject({ estimator: "tsls_lasso", status: "ok", n_selected: 4 });
    expect(shrunk?.alpha).toBeGreaterThan(0);
    expect(post).toMatchObject({ estimator: "tsls_post_lasso", status: "ok", n_selected: 4 });
    expect([shrunk?.interval, post?.interval]).toEqual(["ignores_selection", "ignores_selection"]);
    expect(Object.keys(shrunk ?? {}).slice(0, 6)).toEqual([
      "estimator",
      "estimate",
      "se",
      "ci_lower",
      "ci_upper",
      "interval",
    ]);
    expect(post?.first_stage_f).toBeGreaterThan(0);
  });

  it("prints a readable table by default", () => {
    const r = runCli(["fit", join(STUDY, "dataset-n1000-L5-context.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/n = 1000, 5 instruments/);
    expect(r.stdout).toMatch(
      /^estimator\s+estimate\s+se\s+se_robust\s+95% CI\s+interval\s+p\s+first-stage F\s+status$/m,
    );
    expect(r.stdout).toMatch(/^tsls\s+0\.294\s.*\]\s+asymptotic\s/m);
    expect(r.stdout).toMatch(/^ols\s.*\]\s+exact\s/m);
  });

  it("simulate -> file -> fit gives exactly the in-memory fit (lossless CSV), also as TSV with covariates", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-fit-"));
    for (const name of ["d.csv", "d.tsv"]) {
      const out = join(dir, name);
      expect(runCli(["simulate", "--n", "400", "--L", "6", "--context", "--seed", "3", "--out", out]).code).toBe(0);
      const meta = JSON.parse(readFileSync(join(dir, "d.meta.json"), "utf8"));
      expect(meta.params).toMatchObject({ n: 400, L: 6, context: true, seed: 3 });
      const r = runCli(["fit", out, "--json", "--covariates", "age,sex"]);
      expect(r.code, r.stderr).toBe(0);
      const sim = simulate("study", { n: 400, L: 6, context: true, seed: 3 });
      const mem = fit(sim.data, sim.roles, { params: { covariates: ["age", "sex"] } });
      const rows = JSON.parse(r.stdout);
      expect(rows[0].estimate).toBe(mem[0]?.estimate);
      expect(rows[1].estimate).toBe(mem[1]?.estimate);
      expect(rows[1].sargan).toBe(mem[1]?.extras.sargan);
    }
  }, 60_000); // four CLI processes
});

describe("mrsweep fit with contextualized estimators", () => {
  it("--per-person writes beta_i and mu_i for every row (here to .csv.gz); --preset and --context apply", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-pp-"));
    const out = join(dir, "people.csv.gz"); // gzip-compressed by its name
    const file = join(STUDY, "dataset-n1000-L5-context.csv");
    const args = [
      "fit",
      file,
      "--estimators",
      "ctx_ols,ctx_tsls",
      "--preset",
      "small",
      "--context",
      "age,bmi",
      "--per-person",
      out,
      "--json",
    ];
    const r = runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { estimator: string }) => x.estimator)).toEqual(["ctx_ols", "ctx_tsls"]);
    expect(rows[1]).toHaveProperty("beta_sd");
    // Per-unit outputs go to the --per-person file, not into the JSON rows.
    expect(Object.keys(rows[1]).filter((k) => k === "units" || k === "perPerson")).toEqual([]);
    expect(rows.map((x: { interval: string }) => x.interval)).toEqual(["none", "none"]);
    const people = await readFrame(out);
    expect(people.names).toEqual(["row", "ctx_ols_beta", "ctx_ols_mu", "ctx_tsls_beta", "ctx_tsls_mu"]);
    expect(people.n).toBe(1000);
    const beta = people.columns[3] as Float64Array;
    assertClose(beta.reduce((s, v) => s + v, 0) / beta.length, rows[1].estimate, { rtol: 1e-12 }, "mean of beta_i");
  });

  it("--per-person without an estimator that has per-person outputs is an input error", () => {
    const r = runCli(["fit", join(STUDY, "dataset-n1000-L5-context.csv"), "--per-person", "/tmp/never.csv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /fit: --per-person must be used with an estimator that has per-person outputs \(ctx_ols, ctx_tsls, ctx_tsls_lasso, ctx_both\); got none chosen/,
    );
  });

  it("--set gives a parameter to every chosen estimator that has it; unknown names and bad values are input errors", () => {
    const data = join(STUDY, "dataset-n1000-L5-context.csv");
    const run = (...extra: string[]) =>
      JSON.parse(runCli(["fit", data, "--estimators", "tsls,mr_egger", "--json", ...extra]).stdout) as Array<
        Record<string, number>
      >;
    const [mr, tsmr] = [run(), run("--set", "convention=TwoSampleMR")];
    expect(tsmr[0]).toEqual(mr[0]);
    expect(tsmr[1]?.estimate).toBe(mr[1]?.estimate);
    expect(tsmr[1]?.p_value).not.toBe(mr[1]?.p_value);
    const unknown = runCli(["fit", data, "--estimators", "ivw", "--set", "alpha=1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /fit: --set parameter of ivw must be one of model, convention, covariates; got "alpha"/,
    );
    const bad = runCli(["fit", data, "--estimators", "ivw", "--set", "convention"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/fit: --set must be NAME=VALUE; got "convention"/);
  }, 60_000); // four CLI processes
});
