import { describe, expect, it } from "vitest";
import { invRepr } from "../../src/estimators/inv-repr.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { costNote, expectedSeconds, formatCost, planText } from "../../src/sweep/cost.js";
import { cells } from "../../src/sweep/plan.js";
import { SWEEP_PRESETS } from "../../src/sweep/presets.js";

/** src/sweep/cost.ts: a sweep's expected cost from the pieces that declare one. */
describe("expected cost", () => {
  const config = parseSweepConfig({
    dgp: "invariance",
    params: { E: 2, n_train: 1000, n_val: 200 },
    grid: { mixing: ["poly2", "poly3"] },
    replicates: 3,
    estimators: [
      "tsls_z",
      { id: "inv_repr", name: "a", params: { lambda1: [1, 5], lambda2: [1], epochs: 10 } },
      { id: "inv_repr", name: "b", params: { lambda1: [1, 5], lambda2: [1], epochs: 10, second_stage: "tsls_w_po_v" } },
    ],
    seed: 1,
  });
  const grid = cells(config);

  it("sums each task's distinct pieces (runs shared by two configurations count once) over the tasks", () => {
    const keys = invRepr.parts?.keys(config.estimators[1]?.params as never) ?? [];
    expect(keys).toHaveLength(2);
    // poly2: dz 15; poly3: dz 35; 2400 rows each.
    const perTask = (dz: number) =>
      keys.reduce((s, k) => s + (invRepr.parts?.cost?.({ n: 2400, columns: 0, instruments: dz }, k) ?? 0), 0);
    const want = 3 * perTask(15) + 1 * perTask(35);
    expect(expectedSeconds(config, grid, (cell) => (cell === 0 ? 3 : 1))).toBeCloseTo(want, 9);
    expect(perTask(35)).toBeGreaterThan(perTask(15));
  });

  it("a run's cost grows linearly with epochs and rows", () => {
    const key = (epochs: number) => invRepr.parts?.keys({ ...invRepr.defaults, lambda1: [1], lambda2: [1], epochs })[0];
    const cost = (epochs: number, n: number) =>
      invRepr.parts?.cost?.({ n, columns: 0, instruments: 35 }, key(epochs) as string) ?? 0;
    expect(cost(400, 24000) / cost(100, 24000)).toBeCloseTo(4, 12);
    expect(cost(400, 24000) / cost(400, 6000)).toBeCloseTo(4, 12);
  });

  it("formats core-hours and wall time on the threads; notes only a minute or more", () => {
    expect(formatCost(7200, 2)).toBe("2.0 core-hours (1.0 h on 2 threads)");
    expect(formatCost(1800, 1)).toBe("30 core-minutes (30 min on 1 thread)");
    expect(costNote(59, 2)).toBeNull();
    expect(costNote(600, 2)).toMatch(/^expected cost: about 10 core-minutes \(5\.0 min on 2 threads\), rough/);
  });

  it("plans say the size and the cost, or that the cost is not modelled", () => {
    expect(planText(config, 2)).toMatch(/^2 cells x 3 replicates = 6 tasks, 3 estimators each\nexpected cost: about /);
    const quick = parseSweepConfig(SWEEP_PRESETS["invariance-quick"] as Record<string, unknown>);
    expect(planText(quick, 2)).toMatch(/expected cost: not modelled/);
  });
});
