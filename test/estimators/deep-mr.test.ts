import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { frame } from "../../src/data/frame.js";
import { deepMrEgger, deepMrNaive } from "../../src/estimators/deep-mr.js";
import { memberKeys, trainMember } from "../../src/estimators/deep-mr-stage.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";

/** A small deep_mr_sim round: enough sequences for a meta-analysis, a few epochs of two members. */
function small(seed = 5) {
  const sim = simulate("deep_mr_sim", { n_train: 300, n_test: 80, seed });
  const data = toIndividualData(sim.data, sim.roles, "test");
  const u = sim.meta.unit_truths as { rows: number[]; values: number[] };
  const truth = {
    beta: sim.meta.beta_true,
    betaIndividual: null,
    units: new Map(u.rows.map((r, i) => [r, u.values[i] as number])),
  };
  const params = { ...deepMrEgger.defaults, members: 2, epochs: 2, patience: 1, batch: 100 };
  return { sim, data, truth, params };
}

describe("deep_mr_egger and deep_mr_naive", () => {
  it("fit one shared model stage: members given as fit pieces give the rows members trained in the fit give", () => {
    const { data, truth, params } = small();
    const core = createCore();
    const ctx = { core, seed: 11, dataSeed: 7, truth };
    const egger = deepMrEgger.fit(data, params, ctx);
    const naive = deepMrNaive.fit(data, params, ctx);
    expect(egger.status).toBe("ok");
    expect(naive.status).toBe("ok");
    expect(Number.isFinite(egger.estimate) && egger.se > 0).toBe(true);
    expect(egger.ci_lower).toBeCloseTo(egger.estimate - 1.959964 * egger.se, 8);
    expect(egger.extras.n_sequences).toBe(naive.extras.n_sequences);
    expect(egger.extras.epochs_mean).toBe(2);
    // One unit per analysed sequence (the test rows with the exposure motif), dropped ones included.
    const units = egger.units as Record<string, Float64Array>;
    const rows = [...(units.sequence_row as Float64Array)].map((r) => r - 1);
    const split = data.split as Float64Array;
    const carriers = [...split.keys()].filter((i) => split[i] === 1 && data.columns.get("has_exposure")?.[i] === 1);
    expect(rows).toEqual(carriers);
    expect(units.local_estimate?.filter(Number.isFinite).length).toBe(egger.extras.n_sequences);
    expect(rows.length).toBe((egger.extras.n_sequences as number) + (egger.extras.n_dropped as number));
    // Pieces made elsewhere (another core, as a sweep's other worker) and handed in: the same rows.
    const other = createCore();
    const keys = memberKeys(params);
    expect(keys).toHaveLength(2);
    const parts = new Map(keys.map((k) => [k, trainMember(data, { core: other, seed: 99, dataSeed: 7 }, k)]));
    const fresh = toIndividualData(small().sim.data, small().sim.roles, "test");
    const again = deepMrEgger.fit(fresh, params, { core: createCore(), seed: 12, dataSeed: 7, truth, parts });
    expect(again).toEqual(egger);
  }, 120_000);

  it("local coverage needs the per-sequence truths: without them it is NA and the global estimate is unchanged", () => {
    const { data, truth, params } = small(6);
    const withTruth = deepMrEgger.fit(data, params, { core: createCore(), seed: 1, dataSeed: 3, truth });
    const without = deepMrEgger.fit(data, params, { core: createCore(), seed: 1, dataSeed: 3 });
    expect(withTruth.extras.local_coverage).toBeGreaterThanOrEqual(0);
    expect(withTruth.extras.local_coverage).toBeLessThanOrEqual(1);
    expect(without.extras.local_coverage).toBeNaN();
    expect(without.estimate).toBe(withTruth.estimate);
  }, 120_000);

  it("refuses data without sequences or a test split, naming what is missing", () => {
    const { sim, params } = small();
    const plain = frame(sim.data.names.map((n, j) => [n, sim.data.columns[j] as Float64Array] as const));
    const noBases = toIndividualData(plain, { ...sim.roles, bases: undefined }, "test");
    expect(() => deepMrEgger.fit(noBases, params, { core: createCore(), seed: 1 })).toThrow(/deep_mr: .*bases role/);
    const split = sim.data.columns[sim.data.names.indexOf("split")] as Float64Array;
    const allTrain = frame(
      sim.data.names.map(
        (n, j) => [n, n === "split" ? new Float64Array(split.length) : (sim.data.columns[j] as Float64Array)] as const,
      ),
      sim.data.bytes ? [...sim.data.bytes] : undefined,
    );
    const noTest = toIndividualData(allTrain, sim.roles, "test");
    expect(() => deepMrNaive.fit(noTest, params, { core: createCore(), seed: 1 })).toThrow(
      /deep_mr: the test rows \(split\) must be at least 2; got 0/,
    );
  });
});
