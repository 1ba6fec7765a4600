import { describe, expect, it } from "vitest";
import { getBytes } from "../../src/data/frame.js";
import { MrsweepError } from "../../src/errors.js";
import { resolveParams } from "../../src/params.js";
import { dgps, getDgp } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";

/** Settings that change a DGP's columns or rows (instruments, a second sample). */
const CASES: Record<string, Record<string, unknown>[]> = {
  study: [
    { n: 40, L: 1 },
    { n: 30, L: 7, context: true },
    { n: 25, L: 3, two_sample: true },
  ],
  invariance: [
    { n_train: 30, n_val: 10 },
    { n_train: 20, n_val: 0, E: 3, mixing: "poly1" },
    { n_train: 15, n_val: 5, mixing: "linear", linear_dz: 6, linear_constant: true },
    { n_train: 12, n_val: 4, mixing: "invmlp", eval_rows: "resampled" },
    { n_train: 10, n_val: 3, E: 4, eta: [1, 0, 0, 1, 2, 0, 0, 2, 3, 0, 0, 1, 1, 1, 0, 1], mixing: "discrete" },
  ],
  deep_mr_sim: [
    { n_train: 20, n_test: 8 },
    { n_train: 13, n_test: 5, augment: 0, L: 60, scenario: "both" },
    { n_train: 9, n_test: 4, augment: 1, variant_spans: "own", outcome_pwm: "synthetic" },
  ],
};

describe("a DGP's columns and rows, known without simulating (what sweep config checks use)", () => {
  it("every DGP has a case here", () => {
    expect(Object.keys(CASES).sort()).toEqual([...dgps.keys()].sort());
  });

  for (const [id, cases] of Object.entries(CASES)) {
    it(`${id}: columns(), rows(), width() and roles() are the simulated frame's names, length and roles`, () => {
      const dgp = getDgp(id);
      for (const given of cases) {
        const p = resolveParams(id, dgp.params, dgp.defaults, given);
        const sim = simulate(id, given);
        expect(dgp.columns(p), JSON.stringify(given)).toEqual(sim.data.names);
        expect(dgp.rows(p), JSON.stringify(given)).toBe(sim.data.n);
        expect(dgp.width(p), JSON.stringify(given)).toBe(sim.data.names.length);
        expect(dgp.roles(p), JSON.stringify(given)).toEqual(sim.roles);
        // A bases role names a byte matrix of the frame, one row per frame row.
        const bases = sim.roles.bases === undefined ? undefined : getBytes(sim.data, sim.roles.bases);
        expect(bases?.codes.length, JSON.stringify(given)).toBe(bases ? sim.data.n * bases.width : undefined);
        expect(sim.data.bytes?.length ?? 0).toBe(sim.roles.bases === undefined ? 0 : 1);
      }
    });
  }

  it("study: check() refuses maf_min above maf_max unless a fixed MAF replaces the law", () => {
    const dgp = getDgp("study");
    const p = (given: Record<string, unknown>) => resolveParams("study", dgp.params, dgp.defaults, given);
    expect(() => dgp.check(p({ maf_min: 0.4, maf_max: 0.3 }), "here")).toThrow(
      new MrsweepError("here: parameter maf_min must be <= maf_max (0.3); got 0.4"),
    );
    expect(() => dgp.check(p({ maf_min: 0.4, maf_max: 0.3, maf_fixed: 0.2 }), "here")).not.toThrow();
    expect(() => dgp.check(p({ maf_min: 0.3, maf_max: 0.3 }), "here")).not.toThrow();
  });
});
