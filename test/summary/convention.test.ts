import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { resolveParams } from "../../src/params.js";
import { studentTTwoSided } from "../../src/stats/dist.js";
import { medianBootstrapSe } from "../../src/summary/bootstrap.js";
import { SUMMARY_ESTIMATORS } from "../../src/summary/estimators.js";
import { egger, ivw, medianWeights, weightedMedianOf } from "../../src/summary/methods.js";
import { assertClose } from "../helpers/assert-close.js";
import { expected, loadSummaryFixture, type Rec } from "../helpers/summary-fixture.js";

/**
 * The TwoSampleMR conventions against TwoSampleMR's own formulas run in R (mr_ivw,
 * mr_egger_regression, mr_weighted_median as that package's code computes them; make.R's
 * tsmr_fit): closed forms to rtol 1e-10 (SEs and p-values 1e-8), bootstrap SE to 5% at B = 10000.
 */
const core = getCore();
const TSMR = "TwoSampleMR";
const EST = { rtol: 1e-10 };
const STAT = { rtol: 1e-8 };

function params(id: string, given: Record<string, unknown>): Record<string, unknown> {
  const e = SUMMARY_ESTIMATORS.find((x) => x.id === id);
  if (!e) throw new Error(id);
  return resolveParams(id, e.params, e.defaults, given);
}

describe("TwoSampleMR conventions equal TwoSampleMR's formulas in R", () => {
  for (const [name, rec] of Object.entries(expected.datasets)) {
    it(`${name} (J = ${rec.J}): IVW, MR-Egger, weighted median`, async () => {
      const d = await loadSummaryFixture(name, rec);
      const t = rec.tsmr as unknown as Record<string, Record<string, number>>;
      const r = ivw(d, "default", TSMR);
      const e = t.ivw as Record<string, number>;
      assertClose(r.estimate, e.estimate as number, EST, "ivw");
      assertClose(r.se, e.se as number, STAT, "ivw se: always random effects, floored at fixed");
      assertClose(r.ci_lower, e.ci_lower as number, STAT, "ivw ci");
      assertClose(r.p_value, e.p as number, STAT, "ivw p");
      assertClose(r.q, e.Q as number, STAT, "ivw Q");
      if (rec.J >= 3) {
        const g = egger(d, TSMR);
        const x = t.egger as Record<string, number>;
        assertClose(g.estimate, x.slope as number, EST, "egger slope");
        assertClose(g.se, x.slope_se as number, STAT, "egger se");
        assertClose(g.ci_lower, x.slope_ci_lower as number, STAT, "egger ci (normal)");
        assertClose(g.p_value, x.slope_p as number, STAT, "egger p (t, J - 2 df)");
        assertClose(g.intercept_p, x.intercept_p as number, STAT, "egger intercept p (t, J - 2 df)");
        assertClose(g.q, x.Q as number, STAT, "egger Q");
      }
      const theta = d.by.map((b, i) => b / (d.bx[i] as number));
      const wm = t.weighted_median as Record<string, number>;
      assertClose(weightedMedianOf(theta, medianWeights(d, TSMR)), wm.estimate as number, EST, "second-order weights");
    });
  }

  it("ldl_chd: the weighted median's bootstrap SE (B = 10000) is within 5% of R's", async () => {
    const rec = expected.datasets.ldl_chd as Rec & { file: string; J: number };
    const d = await loadSummaryFixture("ldl_chd", rec);
    const est = SUMMARY_ESTIMATORS[2];
    const row = est?.fit(d, params("weighted_median", { convention: TSMR, iterations: 10000 }), {
      core,
      seed: "314159265",
    });
    const t = rec.tsmr as unknown as Record<string, Record<string, number>>;
    assertClose(row?.se ?? Number.NaN, t.weighted_median?.se_boot as number, { rtol: 0.05 }, "bootstrap SE");
  }, 30_000);

  it("defaults follow the convention: 1000 median bootstraps, the mode's p-value from t on J - 1 df", async () => {
    const rec = expected.datasets.ldl_chd as Rec & { file: string; J: number };
    const d = await loadSummaryFixture("ldl_chd", rec);
    const ctx = { core, seed: "7" };
    const median = SUMMARY_ESTIMATORS[3]?.fit(d, params("simple_median", { convention: TSMR }), ctx);
    const ones = new Float64Array(d.bx.length).fill(1);
    expect(median?.se).toBe(medianBootstrapSe(core, d, ones, 1000, "7:simple_median"));
    const mrMedian = SUMMARY_ESTIMATORS[3]?.fit(d, params("simple_median", {}), ctx);
    expect(mrMedian?.se).toBe(medianBootstrapSe(core, d, ones, 10000, "7:simple_median"));
    const [mode, mrMode] = [TSMR, "MendelianRandomization"].map((c) =>
      SUMMARY_ESTIMATORS[4]?.fit(d, params("weighted_mode", { convention: c }), ctx),
    );
    expect(mode?.estimate).toBe(mrMode?.estimate);
    expect(mode?.se).toBe(mrMode?.se);
    const z = (mode?.estimate as number) / (mode?.se as number);
    assertClose(mode?.p_value as number, studentTTwoSided(z, rec.J - 1), STAT, "mode p");
    expect(mode?.p_value).toBeGreaterThan(mrMode?.p_value as number);
    expect(mode?.ci_lower).toBe(mrMode?.ci_lower);
  }, 30_000);

  it("an unknown convention is refused with the choices", () => {
    expect(() => params("ivw", { convention: "tsmr" })).toThrow(
      /parameter convention must be one of MendelianRandomization, TwoSampleMR; got "tsmr"/,
    );
  });
});
