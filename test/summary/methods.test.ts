import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { fromColumns } from "../../src/core/matrix.js";
import { getColumn } from "../../src/data/frame.js";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { perSnpStats } from "../../src/summary/data.js";
import { SUMMARY_ESTIMATORS } from "../../src/summary/estimators.js";
import { egger, ivw, kernelMode, modeBandwidth, weightedMedianOf } from "../../src/summary/methods.js";
import { assertClose } from "../helpers/assert-close.js";
import { ROOT, readFrame } from "../helpers/fixtures.js";
import { expectWithinMcse, summarize } from "../helpers/mc.js";
import { expected, loadSummaryFixture as load, type Rec } from "../helpers/summary-fixture.js";

/**
 * Against the published formulas implemented independently in base R (test/fixtures/summary-mr/make.R,
 * MendelianRandomization's conventions): closed forms to rtol 1e-10 (SEs, Q and p-values 1e-8);
 * bootstrap SEs to 5% (each bootstrap has Monte Carlo error ~ se / sqrt(2 B) = 0.7% at B = 10000,
 * and the draws differ).
 */
const core = getCore();

const EST = { rtol: 1e-10 };
const STAT = { rtol: 1e-8 };

describe("summary-level estimators equal the R reference", () => {
  for (const [name, rec] of Object.entries(expected.datasets)) {
    it(`${name} (J = ${rec.J}): IVW, MR-Egger, medians, mode`, async () => {
      const d = await load(name, rec);
      expect(d.bx.length).toBe(rec.J);
      const r = ivw(d);
      const e = rec.ivw as Record<string, number>;
      assertClose(r.estimate, e.estimate as number, EST, "ivw");
      assertClose(r.se_fixed, e.se_fixed as number, STAT, "ivw se_fixed");
      assertClose(r.se_random, e.se_random as number, STAT, "ivw se_random");
      assertClose(r.se, e.se_default as number, STAT, "ivw se_default");
      assertClose(r.q, e.Q as number, STAT, "ivw Q");
      assertClose(r.q_p, e.Q_p as number, STAT, "ivw Q p");
      assertClose(r.ci_lower, e.ci_lower as number, EST, "ivw ci");
      assertClose(r.p_value, e.p as number, STAT, "ivw p");
      if (rec.J >= 3) {
        const g = egger(d);
        const x = rec.egger as Record<string, number>;
        assertClose(g.estimate, x.slope as number, EST, "egger slope");
        assertClose(g.se, x.slope_se as number, STAT, "egger slope se");
        assertClose(g.p_value, x.slope_p as number, STAT, "egger p");
        assertClose(g.intercept, x.intercept as number, EST, "egger intercept");
        assertClose(g.intercept_se, x.intercept_se as number, STAT, "egger intercept se");
        assertClose(g.q, x.Q as number, STAT, "egger Q");
        assertClose(g.i2_gx, x.I2_GX as number, STAT, "I2_GX");
      }
      const theta = d.by.map((b, i) => b / (d.bx[i] as number));
      const wm = d.bx.map((b, i) => (b * b) / (d.sy[i] as number) ** 2);
      assertClose(
        weightedMedianOf(theta, wm),
        (rec.weighted_median as Record<string, number>).estimate as number,
        EST,
        "weighted median",
      );
      assertClose(
        weightedMedianOf(
          theta,
          theta.map(() => 1),
        ),
        (rec.simple_median as Record<string, number>).estimate as number,
        EST,
        "simple median",
      );
      const se = d.bx.map((b, i) =>
        Math.sqrt((d.sy[i] as number) ** 2 / b ** 2 + ((d.by[i] as number) ** 2 * (d.sx[i] as number) ** 2) / b ** 4),
      );
      const mode = rec.weighted_mode as Record<string, number>;
      assertClose(modeBandwidth(theta), mode.h as number, EST, "bandwidth");
      assertClose(
        kernelMode(
          theta,
          se.map((s) => s ** -2),
          modeBandwidth(theta),
        ),
        mode.mode_exact_grid as number,
        EST,
        "weighted mode",
      );
      const simple = SUMMARY_ESTIMATORS.find((x) => x.id === "simple_mode");
      const row = simple?.fit(d, { ...simple.defaults, iterations: 20 }, { core, seed: "1" });
      const sm = rec.simple_mode as Record<string, number>;
      assertClose(row?.estimate ?? Number.NaN, sm.mode_exact_grid as number, EST, "simple mode (equal weights)");
      assertClose(row?.extras.bandwidth ?? Number.NaN, sm.h as number, EST, "simple mode bandwidth");
    });
  }

  it("bootstrap SEs (B = 10000) agree with R's within 5%", async () => {
    const rec = expected.datasets.ldl_chd as Rec & { file: string; J: number };
    const d = await load("ldl_chd", rec);
    const ctx = { core, seed: "314159265" };
    const [, , wm, sm, mode] = SUMMARY_ESTIMATORS.map((e) => e.fit(d, { ...e.defaults, iterations: 10000 }, ctx));
    assertClose(
      wm?.se ?? Number.NaN,
      (rec.weighted_median as Record<string, number>).se_boot as number,
      { rtol: 0.05 },
      "weighted median SE",
    );
    assertClose(
      sm?.se ?? Number.NaN,
      (rec.simple_median as Record<string, number>).se_boot as number,
      { rtol: 0.05 },
      "simple median SE",
    );
    assertClose(
      mode?.se ?? Number.NaN,
      (rec.weighted_mode as Record<string, number>).se_boot as number,
      { rtol: 0.05 },
      "weighted mode SE",
    );
  }, 30_000);

  it("too few variants is a status, not an exception", async () => {
    const d = await load("small3", expected.datasets.small3 as Rec & { file: string; J: number });
    const two = { ...d, bx: d.bx.slice(0, 2), sx: d.sx.slice(0, 2), by: d.by.slice(0, 2), sy: d.sy.slice(0, 2) };
    const rows = SUMMARY_ESTIMATORS.map((e) => e.fit(two, { ...e.defaults, iterations: 50 }, { core, seed: 1 }));
    expect(rows.map((r) => r.status)).toEqual([
      "ok",
      "too_few_variants",
      "too_few_variants",
      "too_few_variants",
      "too_few_variants",
      "too_few_variants",
    ]);
  });
});

describe("per-SNP statistics", () => {
  for (const [name, rec] of Object.entries(expected.per_snp)) {
    it(`equal R's lm on ${name}`, async () => {
      const f = await readFrame(join(ROOT, rec.file));
      const d = {
        n: f.n,
        outcome: getColumn(f, "Y") as Float64Array,
        exposure: getColumn(f, "X") as Float64Array,
        instruments: fromColumns(rec.snps.map((s) => getColumn(f, s) as Float64Array)),
        instrumentNames: rec.snps,
        columns: new Map<string, Float64Array>(),
        context: [],
        sample: null,
        environment: null,
        sequence: null,
      };
      const s = perSnpStats(core, d);
      if ("reason" in s) throw new Error(s.reason);
      assertClose(s.bx, rec.bx, EST, "bx");
      assertClose(s.by, rec.by, EST, "by");
      assertClose(s.sx, rec.sx, STAT, "sx");
      assertClose(s.sy, rec.sy, STAT, "sy");
    });
  }
});

describe("summary-level estimators by simulation (two-sample study DGP, 80 replicates)", () => {
  const base = { L: 25, pi_mean: 0.1, pi_scale: 0.05, two_sample: true };
  const params = { weighted_median: { iterations: 100 }, simple_median: { iterations: 100 } };
  const run = (p: Record<string, unknown>, ids: string[], R = 80) => {
    const out: Record<string, number[]> = {};
    for (let r = 0; r < R; r++) {
      const sim = simulate("study", { ...base, ...p, seed: 700 + r });
      for (const row of fit(sim.data, sim.roles, { estimators: ids, estimatorParams: params, seed: r })) {
        out[row.estimator] = [...(out[row.estimator] ?? []), row.estimate];
      }
    }
    return out;
  };

  it("MR-Egger is unbiased under directional pleiotropy satisfying InSIDE, where IVW is biased", () => {
    const est = run({ n: 10000, theta_mean: 0.03, theta_sd: 0.02 }, ["ivw", "mr_egger"]);
    expectWithinMcse(est.mr_egger as number[], 0.3, 3, "MR-Egger slope");
    expect(summarize(est.ivw as number[]).mean - 0.3).toBeGreaterThan(0.15);
  }, 60_000);

  it("the weighted median is consistent with 40% invalid variants: its bias shrinks with n; IVW's does not", () => {
    // Equal, strong instruments (every pi 0.5, every MAF 0.3): the valid 60% carry ~60% of the weight in every
    // replicate, invalid ratio estimates sit 0.2 above beta, and the valid ones spread ~0.07 (n = 5000) or
    // ~0.025 (n = 40,000) around it; the median's bias is about that spread, IVW's is 0.4 x 0.2 = 0.08 at any n.
    const invalid = { theta_mean: 0.1, pleiotropic_fraction: 0.4, pi_fixed: 0.5, maf_fixed: 0.3 };
    const small = run({ n: 5000, ...invalid }, ["ivw", "weighted_median"], 40);
    const large = run({ n: 40000, ...invalid }, ["ivw", "weighted_median"], 40);
    const bias = (v: number[] | undefined) => summarize(v as number[]).mean - 0.3;
    expect(Math.abs(bias(large.weighted_median))).toBeLessThan(0.5 * Math.abs(bias(small.weighted_median)));
    expect(Math.abs(bias(large.ivw))).toBeGreaterThan(0.8 * Math.abs(bias(small.ivw)));
    expect(Math.abs(bias(large.weighted_median))).toBeLessThan(0.5 * Math.abs(bias(large.ivw)));
  }, 60_000);
});
