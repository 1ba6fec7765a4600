import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { deepMrEgger, deepMrNaive } from "../../src/estimators/deep-mr.js";
import type { DeepMrParams } from "../../src/estimators/deep-mr-params.js";
import { memberKeys, trainMember } from "../../src/estimators/deep-mr-stage.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { resolveParams } from "../../src/params.js";
import { simulate } from "../../src/sim/simulate.js";
import { DEEP_MR_PRESETS } from "../../src/sweep/presets-deep-mr.js";

/**
 * deep_mr_egger with uncertainty mc_dropout (deep-mr §2 step 3): one network with dropout layers,
 * `passes` MC-dropout passes per sequence as the draws. The data and training settings are the
 * deep-mr-ci preset's; 8 passes instead of 50 keep the test short (each pass is one fast ISM).
 */
const CI = DEEP_MR_PRESETS["deep-mr-ci"];
const TRAINING = (CI.estimators[0] as { params: Record<string, unknown> }).params;

function ciData(seed: number) {
  const sim = simulate("deep_mr_sim", { ...CI.params, scenario: "unconfounded", seed });
  return toIndividualData(sim.data, sim.roles, "test");
}

function params(given: Record<string, unknown>): DeepMrParams {
  return resolveParams("test", deepMrEgger.params, deepMrEgger.defaults, { ...TRAINING, ...given });
}

describe("deep_mr_egger with MC dropout", () => {
  it("runs on deep-mr-ci's settings: positive finite SEs, the same row from the same seeds, pieces from another core, and not the ensemble's", () => {
    const p = params({ uncertainty: "mc_dropout", passes: 8 });
    const keys = memberKeys(p);
    expect(keys).toEqual([JSON.stringify([1, 3, 2, 100, "f32", 0.1])]);
    const a = deepMrEgger.fit(ciData(3), p, { core: createCore(), seed: 21, dataSeed: 8 });
    expect(a.status).toBe("ok");
    expect(a.se > 0 && Number.isFinite(a.se)).toBe(true);
    expect(a.extras.n_sequences).toBeGreaterThan(10);
    const se = (a.units as Record<string, Float64Array>).local_se as Float64Array;
    const fitted = [...se].filter(Number.isFinite);
    expect(fitted.length).toBe(a.extras.n_sequences);
    expect(fitted.every((v) => v > 0)).toBe(true);
    // The one network trained on another core and handed in as the fit piece (a sweep's other worker): the same bytes.
    const piece = trainMember(ciData(3), { core: createCore(), seed: 99, dataSeed: 8 }, keys[0] as string);
    const parts = new Map([[keys[0] as string, piece]]);
    const again = ciData(3);
    const ctx = { core: createCore(), seed: 21, dataSeed: 8, parts };
    const b = deepMrEgger.fit(again, p, ctx);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(deepMrNaive.fit(again, p, ctx).status).toBe("ok");
    // The ensemble on the same data and seeds: another estimate and SE.
    const ensemble = deepMrEgger.fit(ciData(3), params({}), { core: createCore(), seed: 21, dataSeed: 8 });
    expect(ensemble.status).toBe("ok");
    expect(ensemble.estimate).not.toBe(a.estimate);
    expect(ensemble.se).not.toBe(a.se);
  }, 300_000);

  it("refuses passes below 2, a dropout rate outside [0, 1), and no dropout with mc_dropout", () => {
    expect(() => params({ passes: 1 })).toThrow(/test: parameter passes must be an integer >= 2; got 1/);
    expect(() => params({ dropout: -0.1 })).toThrow(/test: parameter dropout must be a finite number >= 0; got -0.1/);
    expect(() => params({ uncertainty: "dropout" })).toThrow(/test: parameter uncertainty must be one of/);
    const one = params({ uncertainty: "mc_dropout", dropout: 1 });
    expect(() => memberKeys(one)).toThrow(/^deep_mr: parameter dropout must be in \[0, 1\); got 1$/);
    const none = params({ uncertainty: "mc_dropout", dropout: 0 });
    expect(() => deepMrEgger.fit(ciData(4), none, { core: createCore(), seed: 1 })).toThrow(
      /^deep_mr: parameter dropout must be > 0 when uncertainty is mc_dropout; got 0$/,
    );
    expect(memberKeys(params({ dropout: 0 }))).toHaveLength(2);
  });
});
