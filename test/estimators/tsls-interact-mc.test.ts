import { describe, expect, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { summarize } from "../helpers/mc.js";
import { sdRatio } from "../helpers/sd-ratio.js";

/**
 * tsls_interact against tsls by simulation (study DGP through simulate + fit, fixed seeds), in
 * Monte Carlo SE. Setting: n = 2000, L = 10, pi ~ N(0, 0.3^2) (tsls's first-stage F about 25),
 * beta = 0.3, R = 800 replicates; tsls_interact with the default context (all ten variables:
 * 10 + 100 instruments) and with context bmi only (10 + 10). The MCSE of an empirical-SE ratio is
 * the jackknife's over replicates (no normality assumed); that of a bias difference is the paired
 * differences' SD / sqrt(R). Measured on these seeds (bias with MCSE about 0.002):
 * - pi_delta 1.5: tsls bias 0.013, emp. SE 0.062; all ten: bias 0.057, SE ratio 0.70 (MCSE 0.034);
 *   bmi: bias 0.010, SE ratio 0.58 (0.026); R = 300, cross_fit 5, all ten: bias -0.011, SE ratio
 *   0.73 (0.067), against plain all ten's bias 0.055 on the same 300.
 * - pi_delta 0: tsls bias 0.014, emp. SE 0.063; bmi: bias 0.032, SE ratio 0.99 (0.016); all ten:
 *   bias 0.141, SE ratio 1.11 (0.036).
 */
const R = 800;
const BETA = 0.3;

/** Estimates over R replicates: tsls, tsls_interact with all ten context variables, and with bmi only. */
interface Estimates {
  tsls: number[];
  all: number[];
  bmi: number[];
}

function replicate(piDelta: readonly number[]): Estimates {
  const out: Estimates = { tsls: [], all: [], bmi: [] };
  for (let r = 0; r < R; r++) {
    const sim = simulate("study", { n: 2000, L: 10, pi_scale: 0.3, pi_delta: piDelta, seed: 5000 + r });
    const [t, all] = fit(sim.data, sim.roles, { estimators: ["tsls", "tsls_interact"], seed: r });
    const [bmi] = fit(sim.data, sim.roles, {
      estimators: ["tsls_interact"],
      estimatorParams: { tsls_interact: { context: ["bmi"] } },
      seed: r,
    });
    if (t?.status !== "ok" || all?.status !== "ok" || bmi?.status !== "ok")
      throw new Error(`replicate ${r}: a fit failed`);
    out.tsls.push(t.estimate);
    out.all.push(all.estimate);
    out.bmi.push(bmi.estimate);
  }
  return out;
}

/** pi_delta with `v` on bmi (the third context variable). */
const onBmi = (v: number) => [0, 0, v, 0, 0, 0, 0, 0, 0, 0];

/** The replicates without heterogeneity, simulated once for the two tests that read them. */
let flat: Estimates | undefined;
const flatEstimates = () => {
  flat ??= replicate(onBmi(0));
  return flat;
};

/** Fails unless (ratio - 1) / MCSE is within the bounds; the message gives the ratio and its MCSE. */
function expectSdRatio(a: readonly number[], b: readonly number[], z: { below?: number; above?: number }) {
  const { ratio, mcse } = sdRatio(a, b);
  const label = `sd ratio ${ratio.toFixed(4)}, MCSE ${mcse.toFixed(4)}`;
  if (z.below !== undefined) expect((ratio - 1) / mcse, label).toBeLessThan(z.below);
  if (z.above !== undefined) expect((ratio - 1) / mcse, label).toBeGreaterThan(z.above);
}

describe("tsls_interact by simulation (R = 800, stated in Monte Carlo SE)", () => {
  it("instrument effects varying strongly with bmi (pi_delta 1.5): empirical SE below tsls's by > 3 MCSE, with either context", () => {
    const est = replicate(onBmi(1.5));
    expectSdRatio(est.all, est.tsls, { below: -3 });
    expectSdRatio(est.bmi, est.tsls, { below: -3 });
  });

  it("no heterogeneity (pi_delta 0), context bmi: empirical SE not above tsls's by more than 3 MCSE", () => {
    expectSdRatio(flatEstimates().bmi, flatEstimates().tsls, { below: 3 });
  });

  it("no heterogeneity, all ten context variables: 100 interactions without signal pull 2SLS toward OLS (bias above tsls's by > 3 MCSE)", () => {
    // Many-instrument bias (Bekker 1994): the reason the pi_delta 0 claim above is made for a
    // context of one variable. OLS is biased upward here (U raises X and Y).
    const { all, tsls } = flatEstimates();
    const diff = summarize(all.map((v, r) => v - (tsls[r] as number)));
    expect(
      diff.mean / diff.mcse,
      `bias difference ${diff.mean.toFixed(4)}, MCSE ${diff.mcse.toFixed(4)}`,
    ).toBeGreaterThan(3);
    expect(summarize(all).mean - BETA).toBeGreaterThan(0);
  });

  it("cross_fit 5 (all ten context variables, pi_delta 1.5, R = 300): removes most of that bias, and the SE stays below tsls's", () => {
    const est = { tsls: [] as number[], plain: [] as number[], cf: [] as number[] };
    for (let r = 0; r < 300; r++) {
      const sim = simulate("study", { n: 2000, L: 10, pi_scale: 0.3, pi_delta: onBmi(1.5), seed: 5000 + r });
      const [t, plain] = fit(sim.data, sim.roles, { estimators: ["tsls", "tsls_interact"], seed: r });
      const [cf] = fit(sim.data, sim.roles, {
        estimators: ["tsls_interact"],
        estimatorParams: { tsls_interact: { cross_fit: 5 } },
        seed: r,
      });
      est.tsls.push(t?.estimate as number);
      est.plain.push(plain?.estimate as number);
      est.cf.push(cf?.estimate as number);
    }
    const shift = summarize(est.plain.map((v, r) => v - (est.cf[r] as number)));
    expect(
      shift.mean / shift.mcse,
      `plain - cross-fit ${shift.mean.toFixed(4)}, MCSE ${shift.mcse.toFixed(4)}`,
    ).toBeGreaterThan(3);
    expect(Math.abs(summarize(est.cf).mean - BETA)).toBeLessThan(Math.abs(summarize(est.plain).mean - BETA) / 2);
    expectSdRatio(est.cf, est.tsls, { below: -3 });
  });
});
