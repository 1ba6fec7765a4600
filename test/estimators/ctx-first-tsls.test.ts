import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { getColumn } from "../../src/data/frame.js";
import { ctxBoth } from "../../src/estimators/contextualized.js";
import { crossFitFolds } from "../../src/estimators/cross-fit.js";
import { ctxFirstStage } from "../../src/estimators/ctx-first-stage.js";
import { ctxFirstTsls } from "../../src/estimators/ctx-first-tsls.js";
import { contextMatrix } from "../../src/estimators/ctx-stats.js";
import { encoderConfig } from "../../src/estimators/encoder-presets.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import { getEstimator } from "../../src/estimators/registry.js";
import type { IndividualData } from "../../src/estimators/types.js";
import { resolveParams } from "../../src/params.js";
import { simulate } from "../../src/sim/simulate.js";

const core = getCore();
const onBmi = (v: number) => [0, 0, v, 0, 0, 0, 0, 0, 0, 0];
const sim = simulate("study", { n: 1500, L: 6, pi_scale: 0.4, pi_delta: onBmi(1.5), context: true, seed: 11 });
const data = toIndividualData(sim.data, sim.roles);
const linear = encoderConfig({ preset: "linear", patience: 5 });

/** The first stage's X_hat on `d` with context bmi. */
function firstStage(d: IndividualData, folds: number) {
  const c = contextMatrix("test", d, ["bmi"]);
  const out = ctxFirstStage(core, d, { c, p: 1, cfg: linear, folds, seed: "7" });
  if (typeof out === "string") throw new Error(out);
  return out;
}

/** In-sample R^2 of OLS of X on [1, G] (tsls's partial R^2 without covariates): an upper bound on its held-out R^2. */
function linearR2(): number {
  const [row] = fit(sim.data, sim.roles, { estimators: ["tsls"] });
  return row?.extras.partial_r2 ?? Number.NaN;
}

describe("the contextualized first stage (K = L covariates of the varying-coefficient head)", () => {
  it("with pi_j(C) = pi_j (1 + 1.5 bmi) explains more of X held out than OLS on G does in-sample", () => {
    // The context varies each instrument's effect; a first stage without it misses that part.
    // (measured: held-out R^2 0.33, in-sample 0.35, against OLS's in-sample 0.06 on this dataset)
    const cf = firstStage(data, 5);
    expect(cf.r2).toBeGreaterThan(linearR2() + 0.1);
    expect(cf.epochs).toHaveLength(5);
  });

  it("cross-fitted: a row's own X never reaches its X_hat (nor its fold's); in-sample it does", () => {
    const changed: IndividualData = { ...data, exposure: Float64Array.from(data.exposure) };
    (changed.exposure as Float64Array)[17] = (data.exposure[17] as number) + 50;
    const [a, b] = [firstStage(data, 5), firstStage(changed, 5)];
    const folds = crossFitFolds(data.n, 5, "7:folds");
    const same = (i: number) => b.xhat[i] === a.xhat[i];
    const rows = Array.from({ length: data.n }, (_, i) => i);
    expect(rows.filter((i) => folds[i] === folds[17]).every(same)).toBe(true);
    expect(rows.filter((i) => !same(i)).length).toBeGreaterThan(data.n / 2);
    expect(firstStage(changed, 1).xhat[17]).not.toBe(firstStage(data, 1).xhat[17]);
  });

  it("too few rows for the folds, and no instruments, are statuses", () => {
    const small = simulate("study", { n: 20, L: 3, seed: 1 });
    const few = toIndividualData(small.data, small.roles);
    const c = contextMatrix("test", few, ["bmi"]);
    expect(ctxFirstStage(core, few, { c, p: 1, cfg: linear, folds: 5, seed: "1" })).toBe("too_few_rows");
    const none = { ...few, instruments: { rows: 20, cols: 0, data: new Float64Array(0) } };
    expect(ctxFirstStage(core, none, { c, p: 1, cfg: linear, folds: 0, seed: "1" })).toBe("no_instruments");
  });
});

describe("ctx_first_tsls and ctx_both", () => {
  const params = { preset: "linear", context: ["bmi"] };

  it("are registered with cross_fit 5 by default, and declare their intervals", () => {
    for (const id of ["ctx_first_tsls", "ctx_both"]) {
      const e = getEstimator(id);
      expect((e.defaults as Record<string, unknown>).cross_fit).toBe(5);
      for (const name of ["preset", "width", "layers", "lr", "n_bootstraps", "context", "bootstrap", "sample"])
        expect(e.params.map((p) => p.name)).toContain(name);
    }
    const kind = (over: Record<string, unknown>) =>
      ctxFirstTsls.interval(resolveParams("ctx_first_tsls", ctxFirstTsls.params, ctxFirstTsls.defaults, over));
    expect(kind({})).toBe("asymptotic");
    expect(kind({ second_stage: "ols" })).toBe("ignores_first_stage");
    expect(kind({ second_stage: "iv", cross_fit: 1 })).toBe("ignores_first_stage");
    expect(kind({ bootstrap: "persons" })).toBe("bootstrap_percentile");
    expect(ctxBoth.interval(resolveParams("ctx_both", ctxBoth.params, ctxBoth.defaults, { n_bootstraps: 3 }))).toBe(
      "not_a_confidence_interval",
    );
  });

  it("ctx_first_tsls: Y on [1, X_hat, C] (ols) or 2SLS with X_hat as the instrument (iv); extras", () => {
    const [olsRow, ivRow] = ["ols", "iv"].map(
      (second_stage) =>
        fit(sim.data, sim.roles, {
          estimators: ["ctx_first_tsls"],
          estimatorParams: { ctx_first_tsls: { ...params, second_stage } },
          seed: 3,
        })[0],
    );
    for (const row of [olsRow, ivRow]) {
      expect(row?.status).toBe("ok");
      expect(Object.keys(row?.extras ?? {}).sort()).toEqual([...ctxFirstTsls.extras].sort());
      expect(row?.extras.first_stage_r2).toBeGreaterThan(0.3);
      expect(row?.extras.df).toBe(1500 - 3);
      expect(Math.abs((row?.estimate as number) - 0.3)).toBeLessThan(5 * (row?.se as number));
    }
    expect(olsRow?.estimate).not.toBe(ivRow?.estimate);
    expect(olsRow?.units).toBeUndefined();
  });

  it("ctx_first_tsls with the person bootstrap: B refits of both stages; n_bootstraps 1 is refused", () => {
    const run = (n_bootstraps: number) =>
      fit(sim.data, sim.roles, {
        estimators: ["ctx_first_tsls"],
        estimatorParams: { ctx_first_tsls: { ...params, bootstrap: "persons", n_bootstraps, cross_fit: 2 } },
        seed: 3,
      })[0];
    const row = run(4);
    expect(row).toMatchObject({ status: "ok", interval: "bootstrap_percentile" });
    expect(row?.extras.n_bootstraps).toBe(4);
    expect(row?.se).toBeGreaterThan(0);
    expect(() => run(1)).toThrow(
      /ctx_first_tsls: parameter n_bootstraps with bootstrap "persons" must be an integer >= 2/,
    );
  });

  it("ctx_both: per-person beta and mu, ctx_tsls's extras plus the first stage's", () => {
    const truth = { beta: 0.3, betaIndividual: null };
    const [row] = fit(sim.data, sim.roles, {
      estimators: ["ctx_both"],
      estimatorParams: { ctx_both: params },
      seed: 3,
      truth,
    });
    expect(row?.status).toBe("ok");
    expect(row?.units?.beta).toHaveLength(1500);
    expect(row?.units?.mu).toHaveLength(1500);
    const mean = Array.from(row?.units?.beta ?? []).reduce((s, v) => s + v, 0) / 1500;
    expect(row?.estimate).toBeCloseTo(mean, 12);
    expect(row?.extras.first_stage_r2).toBeGreaterThan(0.3);
    expect(row?.extras.first_stage_epochs).toBeGreaterThan(0);
    expect(row?.extras.person_mse).toBeGreaterThan(0);
    expect(Object.keys(row?.extras ?? {}).sort()).toEqual([...ctxBoth.extras].sort());
  });

  it("fit sample 1 of two-sample data by default, as the other individual-level estimators", () => {
    const two = simulate("study", { n: 300, L: 4, pi_scale: 0.4, two_sample: true, seed: 9 });
    const sample = getColumn(two.data, "sample");
    const [row] = fit(two.data, two.roles, {
      estimators: ["ctx_both"],
      estimatorParams: { ctx_both: params },
      seed: 1,
    });
    const beta = row?.units?.beta as Float64Array;
    expect(beta).toHaveLength(600);
    expect(Array.from(beta).every((b, i) => Number.isNaN(b) === (sample?.[i] === 2))).toBe(true);
  });
});
