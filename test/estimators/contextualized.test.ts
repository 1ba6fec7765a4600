import { describe, expect, it } from "vitest";
import { getColumn } from "../../src/data/frame.js";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { expectWithinMcse, summarize } from "../helpers/mc.js";

/** Least-squares slope of beta_i on a column, per SD of that column. */
function slopePerSd(beta: Float64Array, c: Float64Array): number {
  const n = beta.length;
  const mb = beta.reduce((s, v) => s + v, 0) / n;
  const mc = c.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((beta[i] as number) - mb) * ((c[i] as number) - mc);
    sxx += ((c[i] as number) - mc) ** 2;
  }
  return (sxy / sxx) * Math.sqrt(sxx / n);
}

describe("ctx_tsls by simulation", () => {
  /**
   * beta_i = 0.3 + 0.2 C_age (C standardised), strong instruments (L = 10, every pi = 0.4, MAF
   * 0.3: first-stage F ~ 500 at n = 5000), encoder `linear` (the true model class) with patience
   * 5. An oracle 2SLS with the interaction X C_age has SE ~ 0.02 for the slope here; SGD with early
   * stopping adds noise (the spread across seeds is ~0.04). Asserted: the mean slope over 6
   * seeds within 3 MCSE of 0.2, and every seed within 0.1 (5 oracle SEs).
   */
  it("recovers the slope of beta_i on C_1 over several seeds", () => {
    const slopes = [1, 2, 3, 4, 5, 6].map((seed) => {
      const sim = simulate("study", {
        n: 5000,
        L: 10,
        pi_fixed: 0.4,
        maf_fixed: 0.3,
        delta: [0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        seed,
      });
      const [row] = fit(sim.data, sim.roles, {
        estimators: ["ctx_tsls"],
        estimatorParams: { ctx_tsls: { preset: "linear", patience: 5 } },
        seed,
      });
      return slopePerSd(row?.units?.beta as Float64Array, getColumn(sim.data, "age") as Float64Array);
    });
    expectWithinMcse(slopes, 0.2, 3, "slope of beta_i on C_age per SD");
    for (const s of slopes) expect(Math.abs(s - 0.2)).toBeLessThan(0.1);
  });

  /**
   * The homogeneous study DGP (beta = 0.3 for everyone) with strong instruments (pi_scale 0.4,
   * L = 10) at n = 20,000, the package-default encoder: mean beta over 24 replicates within 3 MCSE
   * of 0.3.
   */
  it("is unbiased for the mean effect on the homogeneous study DGP (package-default, n = 20,000)", () => {
    const means = Array.from({ length: 24 }, (_, r) => {
      const sim = simulate("study", { n: 20000, L: 10, pi_scale: 0.4, seed: 100 + r });
      const [row] = fit(sim.data, sim.roles, { estimators: ["ctx_tsls"], seed: r });
      expect(row?.status).toBe("ok");
      return row?.estimate as number;
    });
    expectWithinMcse(means, 0.3, 3, "mean beta");
    expect(summarize(means).sd).toBeLessThan(0.1);
  }, 60_000);
});

describe("ctx estimators: outputs", () => {
  const sim = simulate("study", {
    n: 1500,
    L: 8,
    pi_fixed: 0.4,
    maf_fixed: 0.3,
    context: true,
    delta: [0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    seed: 9,
  });
  const truth = { beta: 0.3, betaIndividual: Float64Array.from(sim.meta.beta_individual as number[]) };

  it("same seed gives bit-identical per-person effects; another seed does not", () => {
    const a = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls"],
      estimatorParams: { ctx_tsls: { preset: "study-small" } },
      seed: 5,
    });
    const b = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls"],
      estimatorParams: { ctx_tsls: { preset: "study-small" } },
      seed: 5,
    });
    const c = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls"],
      estimatorParams: { ctx_tsls: { preset: "study-small" } },
      seed: 6,
    });
    expect(Array.from(a[0]?.units?.beta ?? [])).toEqual(Array.from(b[0]?.units?.beta ?? []));
    expect(Array.from(a[0]?.units?.mu ?? [])).toEqual(Array.from(b[0]?.units?.mu ?? []));
    expect(a[0]?.estimate).not.toBe(c[0]?.estimate);
  });

  it("reports beta_sd, epochs, val_mse and person_mse (NaN without the truth)", () => {
    const [withTruth] = fit(sim.data, sim.roles, {
      estimators: ["ctx_ols"],
      estimatorParams: { ctx_ols: { preset: "small" } },
      truth,
      seed: 1,
    });
    const [without] = fit(sim.data, sim.roles, {
      estimators: ["ctx_ols"],
      estimatorParams: { ctx_ols: { preset: "small" } },
      seed: 1,
    });
    const beta = withTruth?.units?.beta as Float64Array;
    const expected = beta.reduce((s, v, i) => s + (v - (truth.betaIndividual[i] as number)) ** 2, 0) / beta.length;
    expect(withTruth?.extras.person_mse).toBeCloseTo(expected, 14);
    expect(without?.extras.person_mse).toBeNaN();
    expect(withTruth?.extras.epochs).toBeGreaterThanOrEqual(2);
    expect(withTruth?.extras.beta_sd).toBeGreaterThan(0);
    expect(withTruth?.extras.val_mse).toBeGreaterThan(0);
    expect(withTruth?.se).toBeNaN();
  });

  it("re-splits report their spread as resplit_*, with se, CI and p NA; archetypes and the lasso first stage run", () => {
    const [boot] = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls"],
      estimatorParams: { ctx_tsls: { preset: "fast", n_bootstraps: 4 } },
      seed: 2,
    });
    expect(boot?.extras.n_bootstraps).toBe(4);
    expect(boot?.extras.resplit_lower).toBeLessThan(boot?.extras.resplit_upper as number);
    expect(boot?.extras.resplit_sd).toBeGreaterThan(0);
    for (const v of [boot?.se, boot?.ci_lower, boot?.ci_upper, boot?.p_value]) expect(v).toBeNaN();
    expect(boot?.status).toBe("ok");
    const [arch] = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls"],
      estimatorParams: { ctx_tsls: { preset: "fast", archetypes: 3 } },
      seed: 2,
    });
    expect(Number.isFinite(arch?.estimate)).toBe(true);
    expect(arch?.extras.resplit_sd).toBeNaN();
    const [lasso] = fit(sim.data, sim.roles, {
      estimators: ["ctx_tsls_lasso"],
      estimatorParams: { ctx_tsls_lasso: { preset: "fast" } },
      seed: 2,
    });
    expect(lasso?.status).toBe("ok");
    expect(Math.abs((lasso?.estimate as number) - 0.3)).toBeLessThan(0.3);
  });

  it("names a missing context column", () => {
    expect(() =>
      fit(sim.data, sim.roles, { estimators: ["ctx_ols"], estimatorParams: { ctx_ols: { context: ["bmi", "nope"] } } }),
    ).toThrow(/column "nope" must be present/);
  });
});
