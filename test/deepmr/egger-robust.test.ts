import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { eggerRobust, robustFitter } from "../../src/deepmr/egger-robust.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();

interface Draw {
  bx: number[];
  by: number[];
  sy: number[];
}
interface EggerRef {
  name: string;
  estimate: number[];
  se: number[];
  ci_lower: number[];
  ci_upper: number[];
  p: number[];
  intercept: number[];
  intercept_se: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("lmrob", "lmrob_draws.json"), "utf8")) as {
  draws: Draw[];
  egger: EggerRef[];
};

/** MR-like data: bx in (0.05, 0.15) with random signs, by = 0.4 bx + noise, `bad` pleiotropic. */
function mrData(n: number, bad: number, seed: string) {
  const u = uniforms(seed, 4 * n);
  const bx = Float64Array.from(
    { length: n },
    (_, i) => (0.1 + 0.05 * (u[i] as number)) * ((u[n + i] as number) < 0 ? -1 : 1),
  );
  const sy = Float64Array.from({ length: n }, (_, i) => 0.02 + 0.01 * (u[2 * n + i] as number));
  const by = Float64Array.from({ length: n }, (_, i) => {
    const shift = i < bad ? 0.3 : 0;
    return (
      (0.4 * Math.abs(bx[i] as number) + (sy[i] as number) * (u[3 * n + i] as number) + shift) *
      Math.sign(bx[i] as number)
    );
  });
  return { bx, by, sy };
}

/** Weighted least squares slope of by* on [1, bx*] with weights sy^-2 (the non-robust Egger). */
function wlsSlope(bx: Float64Array, by: Float64Array, sy: Float64Array): number {
  let sw = 0;
  let sx = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < bx.length; i++) {
    const w = (sy[i] as number) ** -2;
    const x = Math.abs(bx[i] as number);
    const y = Math.sign(bx[i] as number) * (by[i] as number);
    sw += w;
    sx += w * x;
    sxx += w * x * x;
    sxy += w * x * y;
    syy += w * y;
  }
  return (sw * sxy - sx * syy) / (sw * sxx - sx * sx);
}

describe("eggerRobust (MendelianRandomization's robust mr_egger)", () => {
  it.each(fixture.egger.map((e, i) => [e.name, e, i] as const))("matches R on %s", (_name, e, i) => {
    const d = fixture.draws[i] as Draw;
    const r = eggerRobust(core, d.bx, d.by, d.sy, 100 + i);
    expect(r.status).toBe("ok");
    // Same optimum, different stopping point of the random S-start: see test/deepmr/lmrob.test.ts.
    const se = e.se[0] as number;
    const ise = e.intercept_se[0] as number;
    assertClose(r.estimate, e.estimate[0] as number, { atol: 1e-4 * se }, "estimate");
    assertClose(r.se, se, { rtol: 1e-4 }, "se");
    assertClose(
      [r.ci_lower, r.ci_upper],
      [e.ci_lower[0] as number, e.ci_upper[0] as number],
      { atol: 1e-3 * se },
      "CI",
    );
    assertClose(r.p, e.p[0] as number, { rtol: 1e-3, atol: 1e-300 }, "p");
    assertClose(r.intercept, e.intercept[0] as number, { atol: 1e-4 * ise }, "intercept");
    assertClose(r.intercept_se, ise, { rtol: 1e-4 }, "intercept_se");
  });

  it("orients on the sign of bx: flipping a variant's bx and by leaves the fit unchanged", () => {
    const { bx, by, sy } = mrData(25, 3, "orient");
    const a = eggerRobust(core, bx, by, sy, 9);
    const fx = bx.map((v, i) => (i % 2 === 0 ? -v : v));
    const fy = by.map((v, i) => (i % 2 === 0 ? -v : v));
    expect(eggerRobust(core, fx, fy, sy, 9)).toEqual(a);
  });

  it("is robust: 20% pleiotropic variants barely move it while they move the WLS Egger slope", () => {
    const clean = mrData(50, 0, "robust");
    const dirty = mrData(50, 10, "robust");
    const rClean = eggerRobust(core, clean.bx, clean.by, clean.sy, 1);
    const rDirty = eggerRobust(core, dirty.bx, dirty.by, dirty.sy, 1);
    const wlsShift = Math.abs(wlsSlope(dirty.bx, dirty.by, dirty.sy) - wlsSlope(clean.bx, clean.by, clean.sy));
    const robustShift = Math.abs(rDirty.estimate - rClean.estimate);
    expect(rDirty.status).toBe("ok");
    expect(wlsShift).toBeGreaterThan(0.5);
    expect(robustShift).toBeLessThan(0.05 * wlsShift);
    expect(Math.abs(rDirty.estimate - 0.4)).toBeLessThan(2 * rDirty.se);
  });

  it("has the dispatcher's shape, divides the SEs by min(scale, 1) and uses a normal interval", () => {
    const { bx, by, sy } = mrData(30, 0, "shape");
    const fit = robustFitter(core, 3);
    const r = fit(bx, by, sy);
    expect(Object.keys(r).sort()).toEqual(
      ["ci_lower", "ci_upper", "estimate", "intercept", "intercept_se", "p", "se", "status"].sort(),
    );
    assertClose((r.ci_upper - r.ci_lower) / (2 * r.se), 1.959963984540054, { rtol: 1e-12 }, "z");
    // One stream for all fits: the second fit of the same data draws other subsamples.
    expect(fit(bx, by, sy).estimate).toBeCloseTo(r.estimate, 4);
  });

  it("keeps an exact fit's coefficients with NaN SEs (R: lmrob SE 0, divided by min(scale 0, 1))", () => {
    const bx = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    const by = bx.map((v, i) => (i < 5 ? 0.01 + 0.5 * v : 1));
    const r = eggerRobust(core, bx, by, new Array(7).fill(0.02), 1);
    expect(r.status).toBe("exact_fit");
    assertClose([r.estimate, r.intercept], [0.5, 0.01], { rtol: 1e-12 }, "exact coefficients");
    expect([r.se, r.intercept_se, r.ci_lower, r.p].every(Number.isNaN)).toBe(true);
  });

  it("rejects fewer than 3 instruments and non-positive SEs", () => {
    expect(() => eggerRobust(core, [0.1, 0.2], [0.1, 0.2], [0.1, 0.1], 1)).toThrow(
      /^egger_robust: the number of instruments must be at least 3; got 2$/,
    );
    expect(() => eggerRobust(core, [0.1, 0.2, 0.3], [0.1, 0.2, 0.3], [0.1, 0, 0.1], 1)).toThrow(
      /^egger_robust: sy at 1 must be positive and finite; got 0$/,
    );
  });
});
