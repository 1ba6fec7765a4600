import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { Dataset, fitDataset } from "../../src/estimators/dataset.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import { estimators, getEstimator } from "../../src/estimators/registry.js";
import { resolveParams } from "../../src/params.js";
import { simulate } from "../../src/sim/simulate.js";

const core = getCore();
const sim = simulate("study", { n: 400, L: 6, pi_scale: 0.4, context: true, seed: 17 });
const params = (id: string, given: Record<string, unknown> = {}) => {
  const e = getEstimator(id);
  return resolveParams(id, e.params, e.defaults, given) as Record<string, unknown>;
};

describe("input kinds: summary statistics made once per dataset", () => {
  it("every estimator declares its input kind; the MR summary methods take summary statistics", () => {
    const kinds = new Map([...estimators.values()].map((e) => [e.id, e.input]));
    for (const id of ["ivw", "mr_egger", "weighted_median", "simple_median", "weighted_mode"])
      expect(kinds.get(id)).toBe("summary");
    for (const id of ["ols", "tsls", "tsls_lasso", "tsls_post_lasso", "ctx_ols", "ctx_tsls", "ctx_tsls_lasso"])
      expect(kinds.get(id)).toBe("individual");
  });

  it("one set of statistics per list of covariates, shared by every summary-level estimator", () => {
    const d = new Dataset(toIndividualData(sim.data, sim.roles), core);
    const plain = d.summary([], "a");
    expect(d.summary([], "b")).toBe(plain);
    const adjusted = d.summary(["age"], "c");
    expect(adjusted).not.toBe(plain);
    expect(d.summary(["age"], "d")).toBe(adjusted);
    expect(() => d.summary(["mood"], "ivw")).toThrow(/^ivw: column "mood" must be present/);
  });

  it("a second summary-level estimator reuses the statistics rather than the data", () => {
    const ind = toIndividualData(sim.data, sim.roles);
    const exposure = Float64Array.from(ind.exposure);
    const d = new Dataset({ ...ind, exposure }, core);
    const ctx = { core, seed: 1 };
    const ivw = fitDataset(getEstimator("ivw"), d, params("ivw"), ctx);
    // Spoil the data after the first fit: a refit from the data would now differ.
    exposure.fill(0);
    const egger = fitDataset(getEstimator("mr_egger"), d, params("mr_egger"), ctx);
    const [ivwAlone, eggerAlone] = fit(sim.data, sim.roles, { estimators: ["ivw", "mr_egger"] });
    expect(ivw.estimate).toBe(ivwAlone?.estimate);
    expect(egger.status).toBe("ok");
    expect(egger.estimate).toBe(eggerAlone?.estimate);
    expect(fitDataset(getEstimator("ols"), d, params("ols"), ctx).status).not.toBe("ok");
  });
});
