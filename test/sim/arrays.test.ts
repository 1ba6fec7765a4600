import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import { type Allocate, CoreArrays } from "../../src/sim/arrays.js";
import { dgps } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";

/** Settings that reach every branch of each DGP (study: context, heterogeneity, pleiotropy, two samples; invariance: every mixing, Wishart, resampled rows; deep_mr_sim: confounders, own spans, ACGT; its sequences are bytes in the arena). */
const CASES: Record<string, Record<string, unknown>[]> = {
  study: [
    { n: 300, L: 4, context: true, seed: 3 },
    { n: 250, L: 6, context: false, theta_sd: 0.2, two_sample: true, seed: 4 },
    { n: 200, L: 3, context: false, delta: [0.1, 0, 0, 0, 0.2, 0, 0, 0, 0, -0.1], seed: 5 },
    { n: 150, L: 2, context: true, delta: [0, 0.3, 0, 0, 0, 0, 0, 0, 0, 0], theta_mean: 0.1, seed: 6 },
  ],
  invariance: [
    { n_train: 300, n_val: 60, seed: 3 },
    { n_train: 200, n_val: 50, E: 3, mixing: "linear", linear_constant: true, sigma: "wishart", seed: 4 },
    { n_train: 150, n_val: 40, mixing: "invmlp", eval_rows: "resampled", seed: 5 },
    { n_train: 120, n_val: 30, mixing: "discrete", mix_per_replicate: true, seed: 6 },
  ],
  deep_mr_sim: [
    { n_train: 200, n_test: 60, seed: 3 },
    { n_train: 150, n_test: 40, scenario: "both", variant_spans: "own", background_order: "ACGT", seed: 4 },
  ],
};

/** Core arrays that start out as NaN, as the arena would hold an earlier dataset. */
function poisoned(arrays: CoreArrays): Allocate {
  return (length) => arrays.take(length).fill(Number.NaN);
}

/** A fresh core whose memory has already grown to `mb` megabytes, so nothing below detaches. */
function grownCore(mb: number): Core {
  const core = createCore();
  const m = core.wasm.mark();
  core.alloc((mb << 20) / 8);
  core.wasm.reset(m);
  return core;
}

describe("simulating into the core's arena (what sweep workers do)", () => {
  it("every DGP has a case here", () => {
    expect(Object.keys(CASES).sort()).toEqual([...dgps.keys()].sort());
  });

  for (const [dgp, cases] of Object.entries(CASES)) {
    it(`${dgp}: gives the dataset fresh arrays give, whatever the arena held before`, () => {
      const core = grownCore(16);
      const arrays = new CoreArrays(core);
      const base = core.wasm.mark();
      for (const params of [...cases, ...cases]) {
        const fresh = simulate(dgp, params);
        core.wasm.reset(base);
        const inCore = simulate(dgp, params, { core, alloc: poisoned(arrays) });
        expect(core.holds(inCore.data.columns[0] as Float64Array)).toBe(true);
        expect(inCore.data.names).toEqual(fresh.data.names);
        inCore.data.columns.forEach((col, j) => {
          expect(Array.from(col), inCore.data.names[j]).toEqual(Array.from(fresh.data.columns[j] as Float64Array));
        });
        (inCore.data.bytes ?? []).forEach((m, k) => {
          expect(m.codes.buffer, m.name).toBe(core.wasm.memory.buffer);
          expect(Array.from(m.codes), m.name).toEqual(Array.from(fresh.data.bytes?.[k]?.codes ?? []));
        });
        expect(inCore.data.bytes?.length).toBe(fresh.data.bytes?.length);
        expect(inCore.meta).toEqual(fresh.meta);
      }
    });
  }

  it("hands out disjoint pieces of the arena, in order", () => {
    const core = grownCore(2);
    const arrays = new CoreArrays(core);
    const a = arrays.take(3).fill(1);
    const b = arrays.take(1 << 14).fill(2);
    const c = arrays.take(5).fill(3);
    expect([a[2], b[0], b[(1 << 14) - 1], c[0], c[4]]).toEqual([1, 2, 2, 3, 3]);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 3 * 8);
    expect(c.byteOffset).toBeGreaterThanOrEqual(b.byteOffset + (1 << 14) * 8);
  });
});
