import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { type InvLinearParams, invLinear } from "../../src/estimators/inv-linear.js";
import { environmentCodes, invariantSubspace, type KRule, project } from "../../src/estimators/inv-subspace.js";
import { latentR2 } from "../../src/estimators/latent-r2.js";
import type { IndividualData } from "../../src/estimators/types.js";
import type { InvarianceParams } from "../../src/sim/invariance.js";
import { simulate } from "../../src/sim/simulate.js";
import { summarize } from "../helpers/mc.js";

/**
 * inv_linear under the invariance DGP's polynomial mixing (invariance-mr.md 2.3, 3.3): which
 * directions M calls invariant, and what the estimator then achieves.
 *
 * M adds (C_e - C_0)^2, so a direction counts as invariant only when its covariance with every other
 * direction is the same in all environments. Under degree-p mixing the W-only monomials of degree
 * below p fail that: cov(W_j, V_i W_l) = E[V_i] Sigma_W[j, l], and E[V] moves from 0 to 4 (E = 2).
 * The exactly invariant directions are the degree-p polynomials of W orthogonal to every polynomial
 * of lower degree: p + 1 of them, uncorrelated with W and therefore with X. For p >= 2 they are
 * irrelevant instruments; directions beyond them carry V.
 */
const core = getCore();

function polyData(mixing: InvarianceParams["mixing"], nPerEnv: number, seed: number): IndividualData {
  const sim = simulate("invariance", { E: 2, n_train: nPerEnv, n_val: 0, mixing, seed });
  return toIndividualData(sim.data, sim.roles);
}

const fit = (data: IndividualData, p: Partial<InvLinearParams> = {}, seed = 1) =>
  invLinear.fit(data, { ...invLinear.defaults, ...p }, { core, seed });

/** All monomials of W0, W1 of exactly the given degrees, as columns <prefix>0, <prefix>1, ... of a copy of data. */
function withWMonomials(data: IndividualData, degrees: readonly number[], prefix = "Q"): IndividualData {
  const [w0, w1] = [data.columns.get("W0"), data.columns.get("W1")] as [Float64Array, Float64Array];
  const columns = new Map(data.columns);
  let q = 0;
  for (const d of degrees) {
    for (let a = d; a >= 0; a--)
      columns.set(
        `${prefix}${q++}`,
        w0.map((v, i) => v ** a * (w1[i] as number) ** (d - a)),
      );
  }
  return { ...data, columns };
}

/** The invariant subspace of `data` under a rule, with W_hat and the environment codes. */
function subspace(data: IndividualData, rule: KRule, oracleK = 2) {
  const { codes, levels } = environmentCodes(data.environment as Float64Array);
  const opt = { rule, oracleK, permutations: 100, seed: "poly" };
  const s = core.scoped(invariantSubspace, core, data.instruments, codes, levels.length, opt);
  if (!s.ok) throw new Error(s.reason);
  return { s, what: project(core, data.instruments, s.basisW), codes, levels: levels.length };
}

/** Mean R^2 of each W_hat column on [1, the columns <prefix>0, <prefix>1, ...]. */
function r2(data: IndividualData, sub: ReturnType<typeof subspace>, prefix: string): number {
  return latentR2(core, data, sub.what, sub.codes, sub.levels, prefix);
}

/** Sample covariance of a and b over the rows of environment e. */
function covIn(a: Float64Array, b: Float64Array, env: Float64Array, e: number): number {
  const rows = [...env.keys()].filter((i) => env[i] === e);
  const ma = rows.reduce((s, i) => s + (a[i] as number), 0) / rows.length;
  const mb = rows.reduce((s, i) => s + (b[i] as number), 0) / rows.length;
  return rows.reduce((s, i) => s + ((a[i] as number) - ma) * ((b[i] as number) - mb), 0) / (rows.length - 1);
}

/** [lower, upper] order statistics bracketing the median with about 99% coverage (normal approximation). */
function medianInterval(xs: readonly number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  const half = (2.576 * Math.sqrt(s.length)) / 2;
  return [s[Math.floor(s.length / 2 - half)] as number, s[Math.ceil(s.length / 2 + half) - 1] as number];
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe("inv_linear under polynomial mixing: the directions M calls invariant", () => {
  it("poly2: the W-only monomials W0, W1 have environment-dependent covariances with the V.W monomials", () => {
    const data = polyData("poly2", 5000, 11);
    const c = (e: number) => {
      const [w0, v0] = [data.columns.get("W0"), data.columns.get("V0")] as [Float64Array, Float64Array];
      return covIn(
        w0,
        v0.map((v, i) => v * (w0[i] as number)),
        data.environment as Float64Array,
        e,
      );
    };
    // E[V0] Var(W0): 0 in environment 0, 4 in environment 1.
    expect(Math.abs(c(0))).toBeLessThan(0.3);
    expect(c(1)).toBeGreaterThan(3.4);
    expect(c(1)).toBeLessThan(4.6);
  });

  it("poly2: M has p + 1 = 3 near-null directions, degree-2 polynomials of W uncorrelated with W; the doc's oracle k = 5 adds V", () => {
    const data = withWMonomials(withWMonomials(polyData("poly2", 10_000, 12), [1, 2]), [2], "D");
    const null3 = subspace(data, "oracle", 3);
    const ev = null3.s.eigenvalues;
    expect(null3.s.rank).toBe(14);
    expect((ev[3] as number) / (ev[2] as number)).toBeGreaterThan(30);
    expect(r2(data, null3, "D")).toBeGreaterThan(0.99);
    expect(r2(data, null3, "W")).toBeLessThan(0.01);
    // The log-gap can fall inside the null space, whose eigenvalues are noise of order 1/n.
    expect(subspace(data, "gap").s.k).toBeLessThanOrEqual(3);
    const oracle = subspace(data, "oracle", 5);
    expect(r2(data, oracle, "Q")).toBeLessThan(0.9);
    expect(r2(data, oracle, "V")).toBeGreaterThan(0.01);
  });

  it("poly3: the 4 most invariant directions are degree-3 polynomials of W uncorrelated with W", () => {
    const data = withWMonomials(polyData("poly3", 40_000, 13), [1, 2, 3]);
    const sub = subspace(data, "oracle", 4);
    const ev = sub.s.eigenvalues;
    expect((ev[4] as number) / (ev[3] as number)).toBeGreaterThan(5);
    expect(sub.s.rank).toBe(34);
    expect(r2(data, sub, "Q")).toBeGreaterThan(0.99);
    expect(r2(data, sub, "W")).toBeLessThan(0.01);
  });
});

describe("inv_linear under polynomial mixing by simulation (E = 2, n = 1000 per environment)", () => {
  it("poly2, gap: irrelevant instruments (latent R^2 of W ~ 0, first-stage F < 1); the median bias lies between 0 and OLS's", () => {
    const bias: number[] = [];
    const ols: number[] = [];
    const f: number[] = [];
    for (let r = 0; r < 100; r++) {
      const data = polyData("poly2", 1000, 100 + r);
      const row = fit(data, {}, r);
      expect(row.extras.latent_r2_w).toBeLessThan(0.02);
      bias.push(row.estimate - 1);
      f.push(row.extras.first_stage_f as number);
      ols.push(olsSlope(data) - 1);
    }
    expect(median(f)).toBeLessThan(1);
    const [lo, hi] = medianInterval(bias);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(summarize(ols).mean);
  });

  it("poly3: gap keeps at most the 4 invariant directions (heavy tails); the doc's oracle k = 9 is biased by a few hundredths", () => {
    const oracle: number[] = [];
    let inside = 0;
    for (let r = 0; r < 50; r++) {
      const data = polyData("poly3", 1000, 200 + r);
      if ((fit(data, {}, r).extras.k as number) <= 4) inside++;
      oracle.push(fit(data, { k_rule: "oracle", oracle_k: 9 }, r).estimate - 1);
    }
    expect(inside).toBeGreaterThanOrEqual(43);
    const s = summarize(oracle);
    expect(s.mean / s.mcse).toBeGreaterThan(3);
    expect(s.mean).toBeLessThan(0.1);
  });
});

/** OLS slope of Y on X with an intercept. */
function olsSlope(data: IndividualData): number {
  const { exposure: x, outcome: y, n } = data;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    sxx += ((x[i] as number) - mx) ** 2;
  }
  return sxy / sxx;
}
