import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import type { Frame } from "../../src/data/frame.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import { perSnpStats, type SummaryData } from "../../src/summary/data.js";
import { SUMMARY_ESTIMATORS } from "../../src/summary/estimators.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells, seedOf, sweepSetup } from "../../src/sweep/plan.js";
import { extraColumns, replicateColumns } from "../../src/sweep/replicates.js";
import { runTask } from "../../src/sweep/run-task.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, ROOT, readFrame } from "../helpers/fixtures.js";

/** R's per-SNP lm(x ~ G_j + age + sex + bmi) (test/fixtures/snp-covariates/make.R). */
type Case = {
  file: string;
  covariates: string[];
  snps: string[];
  bx: number[];
  sx: number[];
  by: number[];
  sy: number[];
};
const expected = JSON.parse(readFileSync(fixturePath("snp-covariates", "expected.json"), "utf8")) as Record<
  string,
  Case
>;
const CASES = ["one-sample", "two-sample"] as const;

/** Closed-form on both sides (lm's QR, our centred Cholesky solves), so SEs get the estimates' tolerance. */
const TOL = { rtol: 1e-10 };
const core = getCore();

async function load(name: string): Promise<{ frame: Frame; rec: Case }> {
  const rec = expected[name] as Case;
  return { frame: await readFrame(join(ROOT, rec.file)), rec };
}

function stats(frame: Frame, rec: Case, covariates: readonly string[]): SummaryData {
  // The two-sample fixture numbers its samples in a column called sample: its sample role.
  const sample = frame.names.includes("sample") ? { sample: "sample" } : {};
  const d = toIndividualData(frame, { outcome: "Y", exposure: "X", instruments: rec.snps, ...sample });
  const s = perSnpStats(
    core,
    d,
    covariates.map((c) => d.columns.get(c) as Float64Array),
  );
  if ("reason" in s) throw new Error(s.reason);
  return s;
}

describe("per-SNP associations adjusted for covariates (Frisch-Waugh-Lovell)", () => {
  for (const name of CASES) {
    it(`equal R's lm(x ~ G_j + covariates) on the ${name} fixture`, async () => {
      const { frame, rec } = await load(name);
      const s = stats(frame, rec, rec.covariates);
      assertClose(s.bx, rec.bx, TOL, "bx");
      assertClose(s.by, rec.by, TOL, "by");
      assertClose(s.sx, rec.sx, TOL, "sx");
      assertClose(s.sy, rec.sy, TOL, "sy");
      // The covariates matter here (context affects X and Y): unadjusted associations are elsewhere.
      const raw = stats(frame, rec, []);
      expect(Math.max(...raw.by.map((v, j) => Math.abs(v - (rec.by[j] as number))))).toBeGreaterThan(1e-3);
    });
  }

  it("a covariate that is constant (collinear with the intercept) gives its status, not numbers", async () => {
    const { frame, rec } = await load("one-sample");
    const flat: Frame = {
      ...frame,
      names: [...frame.names, "one"],
      columns: [...frame.columns, new Float64Array(frame.n).fill(1)],
      integer: [...frame.integer, true],
    };
    const [row] = fit(
      flat,
      { outcome: "Y", exposure: "X", instruments: rec.snps },
      {
        estimators: ["ivw"],
        params: { covariates: ["age", "one"] },
      },
    );
    expect(row?.status).toBe("constant_column");
  });
});

describe("summary-level estimators with covariates", () => {
  // Each family (IVW, MR-Egger, the medians, the mode) through `fit` equals the same estimator on R's adjusted statistics.
  for (const est of SUMMARY_ESTIMATORS) {
    it(`${est.id}: fit with covariates = ${est.id} on R's adjusted per-SNP statistics`, async () => {
      const { frame, rec } = await load("one-sample");
      const params = est.id.endsWith("median") || est.id === "weighted_mode" ? { iterations: 50 } : {};
      const opts = { estimators: [est.id], estimatorParams: { [est.id]: params }, seed: 3 };
      const roles = { outcome: "Y", exposure: "X", instruments: rec.snps };
      const [adjusted] = fit(frame, roles, { ...opts, params: { covariates: rec.covariates } });
      const [unadjusted] = fit(frame, roles, opts);
      const ref = est.fit(
        {
          names: rec.snps,
          ...Object.fromEntries(["bx", "sx", "by", "sy"].map((k) => [k, Float64Array.from(rec[k as "bx"])])),
        } as unknown as SummaryData,
        { ...est.defaults, ...params },
        { core, seed: "3" },
      );
      expect(adjusted?.status).toBe("ok");
      assertClose(adjusted?.estimate as number, ref.estimate, { rtol: 1e-9 }, `${est.id} estimate`);
      assertClose(adjusted?.se as number, ref.se, { rtol: 1e-8 }, `${est.id} se`);
      expect(adjusted?.estimate).not.toBe(unadjusted?.estimate);
    });
  }
});

describe("estimators that do not adjust for covariates refuse them", () => {
  const frame = readFrame(fixturePath("snp-covariates", "one-sample.csv"));
  const roles = { outcome: "Y", exposure: "X", instruments: ["G0", "G1", "G2", "G3", "G4", "G5"] };
  const refusal =
    /^fit: covariates must be used only with estimators that adjust for them \(ols, tsls, tsls_interact, kclass, external, ivw, .*\); got age with (.+), which would ignore them$/;

  for (const ids of [["tsls_lasso"], ["tsls_post_lasso", "ivw"], ["ctx_ols"], ["ctx_tsls_lasso"]]) {
    it(`fit refuses covariates with ${ids.join(", ")}`, async () => {
      const f = await frame;
      expect(() => fit(f, roles, { estimators: ids, params: { covariates: ["age"], context: ["sex"] } })).toThrow(
        refusal,
      );
      const ignoring = ids.filter((id) => id !== "ivw").join(", ");
      expect(() => fit(f, roles, { estimators: ids, params: { covariates: ["age"] } })).toThrow(
        `got age with ${ignoring},`,
      );
    });
  }

  it("no covariates: every family fits as before", async () => {
    const rows = fit(await frame, roles, { estimators: ["tsls_lasso", "ivw"], params: { covariates: [] } });
    expect(rows.map((r) => r.estimator)).toEqual(["tsls_lasso", "ivw"]);
  });
});

describe("covariates in a sweep config", () => {
  const config = (estimators: unknown[]) =>
    parseSweepConfig({ dgp: "study", params: { n: 600, L: 8, context: true }, replicates: 1, estimators, seed: 5 });

  it("an estimator's covariates param adjusts its per-SNP regressions as `fit` does", () => {
    const c = config(["ivw", { id: "ivw", name: "ivw_adj", params: { covariates: ["age", "bmi"] } }]);
    const grid = cells(c);
    const inputs = new TaskInputs(sweepSetup(c, grid, extraColumns(replicateColumns(c))));
    const task = inputs.of({ cell: 0, replicate: 0, seed: seedOf(c, grid[0] as (typeof grid)[0], 0) });
    const [plain, adjusted] = runTask(core, task).rows;
    expect(adjusted?.status).toBe("ok");
    expect(adjusted?.estimate).not.toBe(plain?.estimate);
  });

  it("an estimator without covariates refuses the param with an input error", () => {
    for (const id of ["tsls_lasso", "ctx_ols"])
      expect(() => config([{ id, params: { covariates: ["age"] } }])).toThrow(
        new RegExp(`estimators\\[0\\] \\(${id}\\): parameter name must be one of .*; got "covariates"`),
      );
  });
});
