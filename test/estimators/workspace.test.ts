import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { frame } from "../../src/data/frame.js";
import { Dataset, fitDataset } from "../../src/estimators/dataset.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { FrameInCore } from "../../src/estimators/in-core.js";
import { estimators } from "../../src/estimators/registry.js";
import type { Estimator } from "../../src/estimators/types.js";
import { type DataShape, workspaceOf } from "../../src/estimators/workspace.js";
import { resolveParams } from "../../src/params.js";
import { simulate } from "../../src/sim/simulate.js";

/**
 * The study DGP's data with what the invariance estimators read besides: an environment role (two
 * environments), a split role (inv_repr: every fifth pair of rows validation) and latent columns W0, W1, V0, V1 for the oracles (copies of instruments and noise).
 */
function withEnvironment(sim: ReturnType<typeof simulate>) {
  const { data, roles } = sim;
  const n = data.n;
  const g = (j: number) => data.columns[data.names.indexOf(roles.instruments[j % roles.instruments.length] as string)];
  const noise = (k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (k + 1)));
  const latents = [
    ["env", Float64Array.from({ length: n }, (_, i) => i % 2)],
    ["split", Float64Array.from({ length: n }, (_, i) => (i % 10 < 2 ? 1 : 0))],
    ["W0", g(0) as Float64Array],
    ["W1", noise(1)],
    ["V0", noise(2)],
    ["V1", noise(3)],
  ] as const;
  const all = frame([...data.names.map((name, j) => [name, data.columns[j] as Float64Array] as const), ...latents]);
  return { data: all, roles: { ...roles, environment: "env", split: "split" } };
}

/** Datasets of several shapes: small and wide, two samples with many instruments, one instrument. */
const CASES = [
  { n: 150, L: 3, context: true, pi_scale: 0.5, seed: 1 },
  { n: 1500, L: 40, two_sample: true, pi_scale: 0.3, seed: 2 },
  { n: 3000, L: 1, context: true, pi_fixed: 0.5, seed: 3 },
];

/** Parameters that reach each estimator's biggest allocations quickly (few epochs, few bootstraps). */
const SETTINGS: Record<string, Array<Record<string, unknown>>> = {
  ctx_ols: [
    { preset: "package-default", max_epochs: 1 },
    { preset: "fast", max_epochs: 2, bootstrap: "persons", n_bootstraps: 2 },
  ],
  ctx_tsls: [{ preset: "fast", max_epochs: 2, n_bootstraps: 2 }],
  ctx_tsls_lasso: [{ preset: "fast", max_epochs: 1, precision: "f32" }],
  // The default 4 latents need L >= 4 (else too_few_variants); 2 latents run at L = 3 too.
  inv_repr: [
    { lambda1: [1], lambda2: [1, 5], epochs: 1, width: 64, decoder_degree: 3 },
    { lambda1: [1], lambda2: [1], epochs: 1, width: 64, pv: 1, pw: 1, decoder: "mlp", lambda3: 0.01 },
  ],
  weighted_median: [{ iterations: 200 }],
  simple_median: [{ iterations: 200 }],
  weighted_mode: [{ iterations: 200 }],
  simple_mode: [{ iterations: 200 }],
};

/** Estimators of sequence data (the bases role): checked on deep_mr_sim data below, not on the study's. */
const SEQUENCE_ESTIMATORS = ["deep_mr_egger", "deep_mr_naive"];

describe("estimator workspaces: sized before a fit", () => {
  it("the Deep MR estimators use no more of the core than their workspace (training batch 1000, the test set as one batch, or MC dropout)", () => {
    const sim = simulate("deep_mr_sim", { n_train: 1200, n_test: 150, seed: 4 });
    const shape = { n: sim.data.n, columns: sim.data.names.length, instruments: 0 };
    const cases = [
      ...SEQUENCE_ESTIMATORS.map((id) => [id, { members: 2, epochs: 1 }] as const),
      ["deep_mr_egger", { uncertainty: "mc_dropout", passes: 2, epochs: 1 }] as const,
    ];
    for (const [id, given] of cases) {
      const est = estimators.get(id) as NonNullable<ReturnType<typeof estimators.get>>;
      const core = createCore();
      const dataset = new Dataset(toIndividualData(sim.data, sim.roles), core);
      const params = resolveParams(id, est.params, est.defaults, given);
      const from = core.wasm.mark();
      core.peak = from;
      const row = fitDataset(est, dataset, params, { core, seed: 1 });
      expect(row.status).toBe("ok");
      expect(core.peak - from).toBeGreaterThan(0);
      expect(core.peak - from).toBeLessThanOrEqual(workspaceOf(est, shape, params));
    }
  }, 300_000);

  for (const p of CASES) {
    it(`no estimator uses more of the core than its workspace (n ${p.n}, L ${p.L}${p.two_sample ? ", two samples" : ""})`, () => {
      const sim = withEnvironment(simulate("study", p));
      const over: string[] = [];
      for (const est of estimators.values()) {
        // external copies the data out to another process and allocates nothing in the core.
        if (SEQUENCE_ESTIMATORS.includes(est.id) || est.id === "external") continue;
        for (const given of SETTINGS[est.id] ?? [{}]) {
          const { row, used, allowed } = fitPlaced(est, sim, given);
          if (used > allowed) over.push(`${est.id} ${JSON.stringify(given)}: ${used} > ${allowed}`);
          // A fit refused for its data's shape (no network for fewer instruments than latents) allocates nothing.
          if (row.status !== "too_few_variants") expect(used).toBeGreaterThan(0);
        }
      }
      expect(over).toEqual([]);
    }, 120_000);
  }

  it("the OLS first stage's estimators read many instruments in place: their workspace is a few n-vectors, far below G", () => {
    const n = 4000;
    const L = 120;
    for (const twoSample of [false, true]) {
      const sim = withEnvironment(simulate("study", { n, L, pi_scale: 0.3, seed: 5, two_sample: twoSample }));
      const cases = [
        ["tsls", {}],
        ["tsls", { covariates: ["age", "bmi"] }],
        ["kclass", {}],
        ["kclass", { kappa: "fuller" }],
        ["kclass", { covariates: ["age"] }],
      ] as const;
      for (const [id, given] of cases) {
        const est = estimators.get(id) as Estimator<object>;
        const { row, used, allowed } = fitPlaced(est, sim, given);
        expect(row.status).toBe("ok");
        expect(used, `${id} ${JSON.stringify(given)}`).toBeLessThanOrEqual(allowed);
        // Without controls to partial out of G, neither G nor a centred copy of it is made.
        const copiesG = id === "kclass" && "covariates" in given;
        if (!copiesG && !twoSample) expect(used, `${id} ${JSON.stringify(given)}`).toBeLessThan((n * L * 8) / 3);
      }
    }
  }, 120_000);

  it("tsls_interact with many instruments and the ten contexts stays within its rule (its G x C instruments are a copy)", () => {
    const sim = withEnvironment(simulate("study", { n: 20_000, L: 50, context: true, pi_scale: 0.3, seed: 6 }));
    const est = estimators.get("tsls_interact") as Estimator<object>;
    for (const given of [{}, { cross_fit: 2 }, { context: ["age", "bmi"] }]) {
      const { row, used, allowed } = fitPlaced(est, sim, given);
      expect(row.status, JSON.stringify(given)).toBe("ok");
      expect(used, JSON.stringify(given)).toBeLessThanOrEqual(allowed);
    }
  }, 120_000);

  for (const two of [false, true]) {
    it(`the LassoCV estimators read G where it lies: 300 instruments${two ? ", sample 1 of two" : ""}, within their rule and under ${two ? 0.3 : 0.6} of the dataset`, () => {
      const n = two ? 6000 : 12000;
      const sim = withEnvironment(simulate("study", { n, L: 300, pi_scale: 0.3, two_sample: two, seed: 5 }));
      const dataBytes = sim.data.n * sim.data.names.length * 8;
      for (const id of ["tsls_lasso", "tsls_post_lasso"]) {
        for (const shuffle of [false, true]) {
          const est = estimators.get(id) as Estimator<object>;
          const { row, used, allowed } = fitPlaced(est, sim, { shuffle });
          expect(row.status).toBe("ok");
          expect(used).toBeLessThanOrEqual(allowed);
          // A standardised copy of G alone would be 0.98 of the dataset (0.49 for sample 1 of two, in
          // place of 0.6 * 2 with the bound copy); the shuffled folds and post-LASSO's OLS copy one.
          if (id === "tsls_lasso" && !shuffle) expect(used).toBeLessThan((two ? 0.3 : 0.6) * dataBytes);
        }
      }
    }, 120_000);
  }
});

/**
 * Fits `est` as fit and sweep do: the data placed in a fresh core once, the estimator's workspace
 * reserved above them (so its fit does not grow memory and detach the data's views); the arena it
 * used, from its first allocation to its peak, against its rule.
 */
function fitPlaced(est: Estimator<object>, sim: ReturnType<typeof withEnvironment>, given: Record<string, unknown>) {
  const shape: DataShape = {
    n: sim.data.n,
    columns: sim.data.names.length,
    instruments: sim.roles.instruments.length,
    twoSample: sim.roles.sample !== undefined,
  };
  const core = createCore();
  const placed = new FrameInCore(core, sim.data, sim.roles.instruments);
  const params = resolveParams(est.id, est.params, est.defaults, given);
  const allowed = workspaceOf(est, shape, params);
  core.reserve(allowed);
  const dataset = new Dataset(toIndividualData(placed.frame(), sim.roles), core);
  const from = core.wasm.mark();
  core.peak = from;
  const row = fitDataset(est, dataset, params, { core, seed: 1 });
  return { row, used: core.peak - from, allowed };
}
