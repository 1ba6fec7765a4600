import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { type InvReprParams, invRepr } from "../../src/estimators/inv-repr.js";
import { invReprTask } from "../../src/estimators/inv-repr-data.js";
import type { IndividualData } from "../../src/estimators/types.js";
import { invReprHyper } from "../../src/models/inv-repr.js";
import { trainInvRepr } from "../../src/models/inv-repr-train.js";
import { mlpReconstructionMse } from "../helpers/inv-repr-forward.js";
import { invarianceData } from "./invariance-data.js";

/** src/estimators/inv-repr*.ts: the decoder, λ3 and training options, rec_mse, and the input checks (tiny networks). */
const core = getCore();
const base = invarianceData({ nPerEnv: 150, envs: 2, seed: "inv-repr-options" });
// Every fifth row is validation (split 1).
const data: IndividualData = { ...base, split: Float64Array.from({ length: base.n }, (_, i) => (i % 5 === 0 ? 1 : 0)) };
const params: InvReprParams = {
  ...(invRepr.defaults as InvReprParams),
  lambda1: [5],
  lambda2: [1],
  width: 8,
  decoder_degree: 2,
  epochs: 4,
  batch_items: 40,
  lr: 1e-2,
  last_epochs: 2,
};
const fit = (p: Partial<InvReprParams>, d: IndividualData = data, seed = 7) =>
  invRepr.fit(d, { ...params, ...p }, { core, seed });

describe("inv_repr options", () => {
  it("decoder mlp: fits; the decoder degree is not read (same model, trained once)", () => {
    const a = fit({ decoder: "mlp", decoder_degree: 1 });
    const b = fit({ decoder: "mlp", decoder_degree: 3 });
    expect(a.status).toBe("ok");
    expect(b.estimate).toBe(a.estimate);
    const keys = (degree: number) => invRepr.parts?.keys({ ...params, decoder: "mlp", decoder_degree: degree });
    expect(keys(3)).toEqual(keys(1));
    expect(a.estimate).not.toBe(fit({}).estimate);
  });

  it("lambda3 > 0 trains the predictor on X and changes the model; 0 leaves it out", () => {
    const off = fit({});
    const on = fit({ lambda3: 0.1 });
    expect(on.status).toBe("ok");
    expect(on.extras.selection_score).not.toBe(off.extras.selection_score);
  });

  it("precision f32, reshuffle and clip each change the trained model; plateau cannot act within 4 epochs", () => {
    const f64 = fit({});
    for (const p of [{ precision: "f32" as const }, { reshuffle: true }, { clip: 0.01 }]) {
      const row = fit(p);
      expect(row.status, JSON.stringify(p)).toBe("ok");
      expect(row.extras.selection_score, JSON.stringify(p)).not.toBe(f64.extras.selection_score);
    }
    const f32 = fit({ precision: "f32" });
    expect(Math.abs(f32.estimate - f64.estimate)).toBeLessThan(1e-2 * Math.abs(f64.estimate) + 1e-2);
    expect(fit({ plateau: true }).estimate).toBe(f64.estimate);
  });

  it("rec_mse is the selected model's reconstruction MSE over all rows (not the last training batch's)", () => {
    const p = { ...params, decoder: "mlp" as const, lambda1: [5, 10] };
    const row = invRepr.fit(data, p, { core, seed: 11 });
    // Train the selected run again from the estimator's stream and compute the MSE in TypeScript.
    const task = invReprTask(data, p);
    if (typeof task === "string") throw new Error(task);
    const hyper = { ...invReprHyper(row.extras.lambda1 as number, 1), lambda4: p.lambda4 };
    const run = {
      ...task.run,
      epochs: 4,
      adam: [1e-2, 0.9, 0.999, 1e-8, 1e-4] as [number, number, number, number, number],
    };
    const again = trainInvRepr(core, task.shape, hyper, { ...run, lastEpochs: 2, rand: seedrandom("11:inv_repr") });
    expect(again.score).toBe(row.extras.selection_score);
    const direct = mlpReconstructionMse(task.shape, again.params, task.run.z, data.n);
    expect(Math.abs((row.extras.rec_mse as number) - direct)).toBeLessThan(1e-12 * direct);
    expect(row.extras.rec_mse).not.toBe(again.lastTerms[0]);
  });
});

describe("inv_repr input checks", () => {
  const env = data.environment as Float64Array;
  const label1 = Math.max(...env);

  it("names the environment whose validation (or training) bank has fewer than 2 rows", () => {
    // Environment `label1` keeps one validation row.
    let kept = 0;
    const split = Float64Array.from(data.split as Float64Array, (s, i) =>
      env[i] === label1 && s === 1 ? (kept++ === 0 ? 1 : 0) : s,
    );
    expect(() => fit({}, { ...data, split })).toThrow(
      new RegExp(
        `^inv_repr: the validation bank \\(split 1\\) of environment ${label1} must be at least 2 rows; got 1 rows$`,
      ),
    );
    const noTraining = Float64Array.from(split, (s, i) => (env[i] !== label1 ? 1 : s));
    expect(() => fit({}, { ...data, split: noTraining })).toThrow(
      /the training bank \(split 0\) of environment \d+ must be/,
    );
  });

  it("refuses one environment and empty λ grids; more latents than instruments is too_few_variants", () => {
    const one = { ...data, environment: new Float64Array(data.n) };
    expect(() => fit({}, one)).toThrow(
      /^inv_repr: the data's environment role must be at least 2 distinct labels; got 1 label$/,
    );
    expect(() => fit({ lambda2: [] })).toThrow(/^inv_repr: parameter lambda2 must be a non-empty list; got \[\]$/);
    const dz = data.instruments.cols;
    const row = fit({ pv: dz, pw: 1 });
    expect(row.status).toBe("too_few_variants");
    expect(row.estimate).toBeNaN();
  });

  it("batch_items above an epoch's items is cut to one batch per epoch (as a loader's one short batch)", () => {
    const task = invReprTask(data, { ...params, batch_items: 10_000 });
    if (typeof task === "string") throw new Error(task);
    expect(task.shape.items).toBe(task.run.validationItems);
    expect(fit({ batch_items: 10_000 }).status).toBe("ok");
  });
});

describe("inv_repr decoder matched", () => {
  const design = (mixing: string) => ({ core, seed: 7, truth: { beta: 1, betaIndividual: null, design: { mixing } } });
  const matched = { ...params, decoder: "matched" as const };

  it("is the polynomial decoder of the simulated mixing's degree (1 for linear) and the MLP one for invmlp", () => {
    const poly = (degree: number) => invRepr.fit(data, { ...params, decoder_degree: degree }, { core, seed: 7 });
    expect(invRepr.fit(data, matched, design("poly2")).estimate).toBe(poly(2).estimate);
    expect(invRepr.fit(data, matched, design("linear")).estimate).toBe(poly(1).estimate);
    const mlp = invRepr.fit(data, { ...params, decoder: "mlp" }, { core, seed: 7 });
    expect(invRepr.fit(data, matched, design("invmlp")).estimate).toBe(mlp.estimate);
  });

  it("refuses data that were not simulated", () => {
    expect(() => invRepr.fit(data, matched, { core, seed: 7 })).toThrow(
      /^inv_repr: parameter decoder must be poly or mlp on data that were not simulated with a mixing; got "matched"$/,
    );
  });
});
