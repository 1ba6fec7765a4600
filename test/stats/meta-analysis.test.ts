import { readFileSync } from "node:fs";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { type MetaResult, randomEffectsMeta, remlLogLik } from "../../src/stats/meta-analysis.js";
import { assertClose } from "../helpers/assert-close.js";
import { normals } from "../helpers/env-data.js";
import { summarize } from "../helpers/mc.js";

interface RFit {
  TE: number;
  SE: number;
  ci_lower: number;
  ci_upper: number;
  tau2: number;
  iterations: number;
}
interface RSet {
  yi: number[];
  vi: number[];
  k: number;
  reml: RFit;
  reml_maxiter_below: "error" | "not applicable";
  reml_tight: RFit;
  reml_no_ll0: RFit;
  dl: RFit;
}

// Written by `Rscript test/fixtures/deep-mr/make-meta.R` (metafor 3.8.1, R 4.2.2, 17 significant digits).
const fixture = JSON.parse(readFileSync(new URL("../fixtures/deep-mr/meta.json", import.meta.url), "utf8")) as {
  datasets: Record<string, RSet>;
};
// Written by `Rscript test/fixtures/deep-mr/make-meta-coverage.R` (20 000 metafor fits).
const coverage = JSON.parse(
  readFileSync(new URL("../fixtures/deep-mr/meta-coverage.json", import.meta.url), "utf8"),
) as Record<string, number>;

const AUTHORS = { stepadj: 0.5, maxiter: 5000 };

/**
 * Tolerances. Along the same Fisher-scoring path (same start, step rule and threshold) ours and
 * metafor's iterates differ only by rounding (metafor uses matrices and centred y), so the stopping
 * iterate agrees to rtol 1e-8, with the same iteration count. The threshold 1e-5 leaves tau^2 up to
 * ~1e-5 away from the optimum (3e-5 relative in small3), so comparing with the optimum itself needs
 * the tight run (threshold 1e-13 on both sides): again 1e-8. DL is closed form: 1e-10.
 */
const PATH = { rtol: 1e-8, atol: 1e-12 };
const CLOSED = { rtol: 1e-10, atol: 1e-14 };

function compare(ours: MetaResult, r: RFit, tol: { rtol: number; atol: number }, label: string): void {
  assertClose(ours.tau2, r.tau2, tol, `${label} tau2`);
  assertClose(ours.TE, r.TE, tol, `${label} TE`);
  assertClose(ours.SE, r.SE, tol, `${label} SE`);
  assertClose(ours.ci_lower, r.ci_lower, tol, `${label} ci_lower`);
  assertClose(ours.ci_upper, r.ci_upper, tol, `${label} ci_upper`);
  expect(ours.status).toBe("ok");
}

describe("randomEffectsMeta equals metafor's rma.uni", () => {
  for (const [name, set] of Object.entries(fixture.datasets)) {
    it(`${name} (k = ${set.k}): REML (stepadj 0.5, maxiter 5000), tight threshold, no ll0check, DL`, () => {
      const reml = randomEffectsMeta(set.yi, set.vi, AUTHORS);
      compare(reml, set.reml, PATH, `${name} REML`);
      expect(reml.iterations).toBe(set.reml.iterations);
      expect(reml.k).toBe(set.k);
      if (set.reml_maxiter_below === "error") {
        // metafor stops one iteration short of convergence; ours keeps the iterate and says so.
        const short = randomEffectsMeta(set.yi, set.vi, { ...AUTHORS, maxiter: set.reml.iterations - 1 });
        expect(short.status).toBe("not_converged");
        expect(randomEffectsMeta(set.yi, set.vi, { ...AUTHORS, maxiter: set.reml.iterations }).status).toBe("ok");
      }
      assertClose(reml.tau, Math.sqrt(set.reml.tau2), PATH, `${name} tau`);
      const tight = randomEffectsMeta(set.yi, set.vi, { ...AUTHORS, threshold: 1e-13 });
      compare(tight, set.reml_tight, PATH, `${name} REML tight`);
      const noLl0 = randomEffectsMeta(set.yi, set.vi, { ...AUTHORS, ll0check: false });
      compare(noLl0, set.reml_no_ll0, PATH, `${name} REML without ll0check`);
      compare(randomEffectsMeta(set.yi, set.vi, { method: "DL" }), set.dl, CLOSED, `${name} DL`);
    });
  }

  it("ll0check moves a stuck tau2 (about 7) to 0, whose restricted likelihood is higher", () => {
    const { yi, vi } = fixture.datasets.ll0_4 as RSet;
    const stuck = randomEffectsMeta(yi, vi, { ...AUTHORS, ll0check: false });
    expect(stuck.tau2).toBeGreaterThan(1);
    expect(remlLogLik(yi, vi, 0)).toBeGreaterThan(remlLogLik(yi, vi, stuck.tau2) + 2 ** -13);
    expect(randomEffectsMeta(yi, vi, AUTHORS).tau2).toBe(0);
  });
});

describe("randomEffectsMeta edge cases", () => {
  it("k = 1: tau2 = 0, TE = y, SE = sqrt(v), no iterations", () => {
    const r = randomEffectsMeta([0.7], [0.04], AUTHORS);
    expect(r).toMatchObject({ TE: 0.7, tau2: 0, tau: 0, k: 1, iterations: 0, status: "ok" });
    assertClose(r.SE, 0.2, { rtol: 1e-15 }, "SE");
  });

  it("all-equal y: tau2 = 0 and TE = y for both estimators", () => {
    for (const method of ["REML", "DL"] as const) {
      const r = randomEffectsMeta([2, 2, 2, 2], [0.1, 0.5, 1, 2], { method });
      expect(r.tau2).toBe(0);
      assertClose(r.TE, 2, { rtol: 1e-15 }, `${method} TE`);
    }
  });

  it("too few iterations: status not_converged, last iterate kept, maxiter + 1 updates as metafor counts", () => {
    const { yi, vi } = fixture.datasets.small3 as RSet;
    const r = randomEffectsMeta(yi, vi, { stepadj: 0.5, maxiter: 3 });
    expect(r.status).toBe("not_converged");
    expect(r.iterations).toBe(4);
    expect(r.tau2).toBeGreaterThan(0);
    expect(Number.isFinite(r.TE) && Number.isFinite(r.SE)).toBe(true);
  });

  it("rejects bad input with the one message format", () => {
    expect(() => randomEffectsMeta([], [])).toThrow(
      /^meta-analysis: the number of estimates must be at least 1; got 0$/,
    );
    expect(() => randomEffectsMeta([1, 2], [1])).toThrow(/^meta-analysis: the number of variances must be 2/);
    expect(() => randomEffectsMeta([1, Number.NaN], [1, 1])).toThrow(/estimate 2 must be a finite number; got NaN/);
    expect(() => randomEffectsMeta([1, 2], [1, 0])).toThrow(/variance 2 must be finite and > 0; got 0/);
    expect(() => randomEffectsMeta([1, 2], [1, 1], { method: "PM" as "DL" })).toThrow(/method must be one of REML, DL/);
    expect(() => randomEffectsMeta([1, 2], [1, 1], { stepadj: 0 })).toThrow(/stepadj must be finite and > 0; got 0/);
    expect(() => randomEffectsMeta([1, 2], [1, 1], { maxiter: 1.5 })).toThrow(/maxiter must be an integer >= 1/);
  });
});

describe("randomEffectsMeta by simulation", () => {
  // metafor measured 0.9376 (MCSE 0.0017): the z interval under-covers at k = 30. With 10 000
  // replicates here 3 combined MCSE is 0.009, so the test also tells this value from the nominal 0.95.
  it("REML 95% CI coverage of mu and mean tau2 (k = 30, 10 000 replicates) within 3 MCSE of metafor's 20 000-replicate values", () => {
    const k = coverage.k as number;
    const mu = coverage.mu as number;
    const tau2 = coverage.tau2 as number;
    const vi = Array.from({ length: k }, (_, i) => 0.02 + ((0.2 - 0.02) * i) / (k - 1));
    const rng = seedrandom("meta-coverage");
    const covered: number[] = [];
    const tau2s: number[] = [];
    for (let r = 0; r < 10000; r++) {
      const z = normals(rng, k);
      const yi = vi.map((v, i) => mu + Math.sqrt(v + tau2) * (z[i] as number));
      const f = randomEffectsMeta(yi, vi, AUTHORS);
      covered.push(f.ci_lower <= mu && mu <= f.ci_upper ? 1 : 0);
      tau2s.push(f.tau2);
    }
    // Both sides are Monte Carlo estimates: compare with the combined MCSE.
    const cov = summarize(covered);
    const covSe = Math.hypot(cov.mcse, coverage.coverage_mcse as number);
    expect(Math.abs(cov.mean - (coverage.coverage as number))).toBeLessThanOrEqual(3 * covSe);
    const t = summarize(tau2s);
    const tSe = Math.hypot(t.mcse, coverage.mean_tau2_mcse as number);
    expect(Math.abs(t.mean - (coverage.mean_tau2 as number))).toBeLessThanOrEqual(3 * tSe);
  });
});
