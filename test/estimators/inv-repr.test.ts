import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { type InvReprParams, invRepr } from "../../src/estimators/inv-repr.js";
import type { IndividualData } from "../../src/estimators/types.js";
import { simulate } from "../../src/sim/simulate.js";
import { invarianceData } from "./invariance-data.js";

/** src/estimators/inv-repr.ts: plumbing of the λ grid, the shared model and the second stages (tiny networks). */
const core = getCore();
const base = invarianceData({ nPerEnv: 150, envs: 2, seed: "inv-repr-est" });
// Every fifth row is validation (split 1).
const data: IndividualData = { ...base, split: Float64Array.from({ length: base.n }, (_, i) => (i % 5 === 0 ? 1 : 0)) };
const params: InvReprParams = {
  ...(invRepr.defaults as InvReprParams),
  lambda1: [1, 10],
  lambda2: [1],
  width: 8,
  decoder_degree: 1,
  epochs: 4,
  batch_items: 40,
  lr: 1e-2,
  last_epochs: 2,
};

describe("inv_repr", () => {
  it("both second stages share one trained model; every extra is reported", () => {
    const ctx = { core, seed: 7 };
    const w = invRepr.fit(data, params, ctx);
    const wv = invRepr.fit(data, { ...params, second_stage: "tsls_w_po_v" }, ctx);
    expect(w.status).toBe("ok");
    expect(wv.status).toBe("ok");
    expect(Number.isFinite(w.estimate)).toBe(true);
    expect(w.estimate).not.toBe(wv.estimate);
    for (const k of invRepr.extras) expect(w.extras, k).toHaveProperty(k);
    // The cached model: the same selection, score and training time in both rows.
    for (const k of ["lambda1", "lambda2", "selection_score", "rec_mse"]) expect(wv.extras[k]).toBe(w.extras[k]);
    expect([1, 10]).toContain(w.extras.lambda1);
    expect(w.extras.n_instruments).toBe(2);
    expect(w.extras.latent_r2_w as number).toBeGreaterThanOrEqual(0);
  });

  it("leakage_r2 is Ŵ's latent R² on the true V: with V's columns replaced by W's it equals latent_r2_w", () => {
    const columns = new Map(data.columns);
    for (const j of [0, 1]) columns.set(`V${j}`, data.columns.get(`W${j}`) as Float64Array);
    const row = invRepr.fit({ ...data, columns }, params, { core, seed: 7 });
    expect(row.extras.leakage_r2).toBe(row.extras.latent_r2_w);
    const plain = invRepr.fit(data, params, { core, seed: 7 });
    expect(plain.extras.leakage_r2).not.toBe(plain.extras.latent_r2_w);
  });

  it("another seed trains again (a different model)", () => {
    const a = invRepr.fit(data, params, { core, seed: 7 });
    const b = invRepr.fit(data, params, { core, seed: 8 });
    expect(b.extras.selection_score).not.toBe(a.extras.selection_score);
  });

  it("refuses data without a split or environment role", () => {
    expect(() => invRepr.fit({ ...data, split: null }, params, { core, seed: 1 })).toThrow(/split role/);
    expect(() => invRepr.fit({ ...data, environment: null }, params, { core, seed: 1 })).toThrow(/environment role/);
  });

  it("reads the invariance DGP's environment and split roles through the fit path", () => {
    const sim = simulate("invariance", { E: 2, n_train: 120, n_val: 30, seed: 3 });
    const d = toIndividualData(sim.data, sim.roles);
    expect(d.split?.filter((v) => v === 1).length).toBe(60);
    const row = invRepr.fit(d, { ...params, epochs: 2 }, { core, seed: 3 });
    expect(row.status).toBe("ok");
    expect(Number.isFinite(row.extras.latent_r2_w as number)).toBe(true);
  });
});
