import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { Dataset, fitDataset } from "../../src/estimators/dataset.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { estimators } from "../../src/estimators/registry.js";
import { workspaceOf } from "../../src/estimators/workspace.js";
import { resolveParams } from "../../src/params.js";
import { simulate } from "../../src/sim/simulate.js";

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
  weighted_median: [{ iterations: 200 }],
  simple_median: [{ iterations: 200 }],
  weighted_mode: [{ iterations: 200 }],
};

describe("estimator workspaces: sized before a fit", () => {
  for (const p of CASES) {
    it(`no estimator uses more of the core than its workspace (n ${p.n}, L ${p.L}${p.two_sample ? ", two samples" : ""})`, () => {
      const study = simulate("study", p);
      // The study has one environment: a label column (two alternating environments) for estimators that read one.
      const env = Float64Array.from({ length: study.data.n }, (_, i) => i % 2);
      const sim = {
        data: {
          ...study.data,
          names: [...study.data.names, "env"],
          columns: [...study.data.columns, env],
          integer: [...study.data.integer, true],
        },
        roles: { ...study.roles, environment: "env" },
      };
      const shape = { n: sim.data.n, columns: sim.data.names.length, instruments: sim.roles.instruments.length };
      const over: string[] = [];
      for (const est of estimators.values()) {
        for (const given of SETTINGS[est.id] ?? [{}]) {
          // A fresh core per fit: the dataset is copied in by the fit itself, so the peak is an upper bound.
          const core = createCore();
          const dataset = new Dataset(toIndividualData(sim.data, sim.roles), core);
          const params = resolveParams(est.id, est.params, est.defaults, given);
          const from = core.wasm.mark();
          core.peak = from;
          fitDataset(est, dataset, params, { core, seed: 1 });
          const used = core.peak - from;
          const allowed = workspaceOf(est, shape, params);
          if (used > allowed) over.push(`${est.id} ${JSON.stringify(given)}: ${used} > ${allowed}`);
          expect(used).toBeGreaterThan(0);
        }
      }
      expect(over).toEqual([]);
    }, 120_000);
  }
});
