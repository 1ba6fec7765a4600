import { describe, expect, it } from "vitest";
import { ctxOls, ctxTsls, ctxTslsLasso, DEFAULT_PERSON_BOOTSTRAPS } from "../../src/estimators/contextualized.js";
import { fit } from "../../src/estimators/fit.js";
import {
  bootQuantile,
  bootstrapInference,
  resampleData,
  resampleIndices,
} from "../../src/estimators/person-bootstrap.js";
import { INTERVAL_KINDS } from "../../src/estimators/types.js";
import { simulate } from "../../src/sim/simulate.js";
import { normalSf } from "../../src/stats/normal.js";

describe("person-level bootstrap helpers", () => {
  it("draws n indices in [0, n) with replacement, the same for the same seed", () => {
    const a = resampleIndices(1000, "s:1");
    expect(Array.from(a)).toEqual(Array.from(resampleIndices(1000, "s:1")));
    expect(Array.from(a)).not.toEqual(Array.from(resampleIndices(1000, "s:2")));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1000);
    // With replacement about 1 - 1/e of the persons appear (632 of 1000, SD ~ 7).
    expect(new Set(a).size).toBeGreaterThan(590);
    expect(new Set(a).size).toBeLessThan(675);
  });

  it("keeps a person's outcome, exposure, genotypes, context and role labels together", () => {
    const data = {
      n: 3,
      outcome: Float64Array.of(1, 2, 3),
      exposure: Float64Array.of(10, 20, 30),
      instruments: { rows: 3, cols: 2, data: Float64Array.of(0, 1, 2, 5, 6, 7) },
      instrumentNames: ["G0", "G1"],
      columns: new Map([
        ["age", Float64Array.of(40, 50, 60)],
        ["bmi", Float64Array.of(20, 25, 30)],
      ]),
      context: ["age", "bmi"],
      sample: null,
      environment: Float64Array.of(1, 2, 3),
      sequence: null,
    };
    const r = resampleData(data, Int32Array.of(2, 0, 2), ["age"]);
    expect(Array.from(r.outcome)).toEqual([3, 1, 3]);
    expect(Array.from(r.exposure)).toEqual([30, 10, 30]);
    expect(Array.from(r.instruments.data)).toEqual([2, 0, 2, 7, 5, 7]);
    expect(Array.from(r.columns.get("age") ?? [])).toEqual([60, 40, 60]);
    expect(r.columns.has("bmi")).toBe(false);
    // Roles follow the persons: the context role keeps only the columns copied.
    expect(r.context).toEqual(["age"]);
    expect(Array.from(r.environment ?? [])).toEqual([3, 1, 3]);
    expect(r.sample).toBeNull();
  });

  it("takes percentile endpoints at (B + 1) q between order statistics (type 6)", () => {
    const sorted = Array.from({ length: 39 }, (_, i) => i + 1);
    expect(bootQuantile(sorted, 0.025)).toBe(1);
    expect(bootQuantile(sorted, 0.975)).toBe(39);
    const b99 = Array.from({ length: 99 }, (_, i) => i + 1);
    expect(bootQuantile(b99, 0.025)).toBeCloseTo(2.5, 12);
    expect(bootQuantile(b99, 0.975)).toBeCloseTo(97.5, 12);
    expect(bootQuantile([1, 2], 0.001)).toBe(1);
    expect(bootQuantile([1, 2], 0.999)).toBe(2);
  });

  it("se is the SD of the bootstrap estimates, p the normal two-sided p-value", () => {
    const boots = [0.1, 0.4, 0.2, 0.3];
    const inf = bootstrapInference(0.25, boots);
    const sd = Math.sqrt(((0.15 ** 2 + 0.05 ** 2) * 2) / 3);
    expect(inf.se).toBeCloseTo(sd, 14);
    expect(inf.p_value).toBeCloseTo(2 * normalSf(0.25 / sd), 14);
    expect(bootstrapInference(0.25, [0.1]).se).toBeNaN();
  });
});

describe("ctx_* bootstrap parameter", () => {
  const sim = simulate("study", { n: 600, L: 8, pi_fixed: 0.4, maf_fixed: 0.3, seed: 4 });
  const params = { preset: "fast", layers: 0, context: ["age", "bmi"] };

  it("declares its interval by parameters", () => {
    const base = { ...ctxTsls.defaults };
    expect(ctxTsls.interval(base)).toBe("none");
    expect(ctxOls.interval({ ...base, n_bootstraps: 5 })).toBe("not_a_confidence_interval");
    expect(ctxTslsLasso.interval({ ...base, bootstrap: "persons" })).toBe("bootstrap_percentile");
    for (const e of [ctxOls, ctxTsls, ctxTslsLasso]) expect(INTERVAL_KINDS).toContain(e.interval(base));
    expect(DEFAULT_PERSON_BOOTSTRAPS).toBe(99);
  });

  it("persons: the point estimate is the one-fit estimate; se, percentile CI and p come from B refits", () => {
    const one = fit(sim.data, sim.roles, { estimators: ["ctx_tsls"], estimatorParams: { ctx_tsls: params }, seed: 3 });
    const run = () =>
      fit(sim.data, sim.roles, {
        estimators: ["ctx_tsls"],
        estimatorParams: { ctx_tsls: { ...params, bootstrap: "persons", n_bootstraps: 9 } },
        seed: 3,
      });
    const [a] = run();
    const [b] = run();
    expect(a?.estimate).toBe(one[0]?.estimate);
    expect(a).toEqual(b);
    expect(a?.extras.n_bootstraps).toBe(9);
    expect(a?.se).toBeGreaterThan(0);
    expect(a?.ci_lower).toBeLessThan(a?.ci_upper as number);
    expect(a?.p_value).toBeCloseTo(2 * normalSf(Math.abs((a?.estimate as number) / (a?.se as number))), 14);
    expect(a?.extras.resplit_sd).toBeNaN();
    const [lasso] = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls_lasso"],
      estimatorParams: { ctx_tsls_lasso: { ...params, bootstrap: "persons", n_bootstraps: 3 } },
      seed: 3,
    });
    expect(lasso?.status).toBe("ok");
    expect(lasso?.se).toBeGreaterThan(0);
  });

  it("persons refuses n_bootstraps = 1", () => {
    expect(() =>
      fit(sim.data, sim.roles, {
        estimators: ["ctx_ols"],
        estimatorParams: { ctx_ols: { ...params, bootstrap: "persons", n_bootstraps: 1 } },
      }),
    ).toThrow(/ctx_ols: parameter n_bootstraps with bootstrap "persons" must be an integer >= 2; got 1/);
  });
});
