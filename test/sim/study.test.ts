import { describe, expect, it } from "vitest";
import { getColumn } from "../../src/data/frame.js";
import { simulate } from "../../src/sim/simulate.js";
import { CONTEXT_NAMES } from "../../src/sim/study.js";
import { expectWithinMcse } from "../helpers/mc.js";

const col = (f: ReturnType<typeof simulate>["data"], name: string) => getColumn(f, name) as Float64Array;
const mean = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length;
const variance = (x: ArrayLike<number>) => {
  const m = mean(x);
  return Array.from(x).reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
};

describe("study DGP: shape and metadata", () => {
  const sim = simulate("study", { n: 300, L: 4, context: true, seed: 11 });

  it("has the study's columns in its order, with integer columns marked", () => {
    expect(sim.data.names).toEqual(["Y", "X", ...CONTEXT_NAMES, "G0", "G1", "G2", "G3"]);
    const ints = sim.data.names.filter((_, j) => sim.data.integer[j]);
    expect(ints).toEqual(["age", "sex", "smoker", "G0", "G1", "G2", "G3"]);
    expect(sim.roles).toMatchObject({ outcome: "Y", exposure: "X", instruments: ["G0", "G1", "G2", "G3"] });
  });

  it("draws age in 12..49, sex and smoker in {0, 1}, genotypes in {0, 1, 2}", () => {
    const age = Array.from(col(sim.data, "age"));
    expect(Math.min(...age)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...age)).toBeLessThanOrEqual(49);
    expect(age.every(Number.isInteger)).toBe(true);
    for (const name of ["sex", "smoker"]) expect(new Set(col(sim.data, name))).toEqual(new Set([0, 1]));
    for (const g of sim.roles.instruments)
      expect([...new Set(col(sim.data, g))].every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
  });

  it("records every parameter, the seed, the backend, beta, pi and MAFs", () => {
    expect(sim.meta).toMatchObject({ dgp: "study", seed: 11, rng: "seedrandom-pcg64", beta_true: 0.3 });
    expect(sim.meta.params).toMatchObject({ n: 300, L: 4, context: true, pi_scale: 0.1, sigma_x: 1, u_x: 1 });
    expect(sim.meta.pi).toHaveLength(4);
    expect(sim.meta.mafs).toHaveLength(4);
    expect(sim.meta.beta_individual).toBeNull();
  });

  it("is reproducible from its seed, and the seed matters", () => {
    const again = simulate("study", { n: 300, L: 4, context: true, seed: 11 });
    expect(Array.from(col(again.data, "Y"))).toEqual(Array.from(col(sim.data, "Y")));
    const other = simulate("study", { n: 300, L: 4, context: true, seed: 12 });
    expect(Array.from(col(other.data, "Y"))).not.toEqual(Array.from(col(sim.data, "Y")));
  });

  it("context true and false share every draw, as in the study", () => {
    const off = simulate("study", { n: 300, L: 4, context: false, seed: 11 });
    for (const name of [...CONTEXT_NAMES, "G0", "G3"])
      expect(Array.from(col(off.data, name))).toEqual(Array.from(col(sim.data, name)));
    expect(Array.from(col(off.data, "X"))).not.toEqual(Array.from(col(sim.data, "X")));
  });

  it("fixed MAF and fixed pi replace the draws; delta gives per-person effects", () => {
    const s = simulate("study", {
      n: 200,
      L: 3,
      maf_fixed: 0.2,
      pi_fixed: 0.4,
      delta: [0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(s.meta.mafs).toEqual([0.2, 0.2, 0.2]);
    expect(s.meta.pi).toEqual([0.4, 0.4, 0.4]);
    const b = s.meta.beta_individual as number[];
    expect(b).toHaveLength(200);
    expect(mean(b)).toBeCloseTo(0.3, 12);
    expect(variance(b)).toBeGreaterThan(0.0099 * (199 / 200));
  });
});

describe("study DGP: documented moments within Monte Carlo error (200 replicates, n = 1000)", () => {
  const R = 200;
  const reps = Array.from({ length: R }, (_, r) => simulate("study", { n: 1000, L: 5, context: true, seed: 1000 + r }));

  it("context variables have their stated means", () => {
    const targets: Record<string, number> = {
      age: 30.5,
      sex: 0.5,
      bmi: 25,
      smoker: 0.5,
      height: 170,
      weight: 70,
      bp_sys: 120,
      cholesterol: 200,
      glucose: 90,
      sleep: 7,
    };
    for (const [name, mu] of Object.entries(targets))
      expectWithinMcse(
        reps.map((s) => mean(col(s.data, name))),
        mu,
        3.5,
        `mean ${name}`,
      );
  });

  it("context variables have their stated variances (age: discrete uniform 12..49)", () => {
    const targets: Record<string, number> = {
      age: (38 * 38 - 1) / 12,
      sex: 0.25,
      bmi: 16,
      height: 100,
      weight: 225,
      sleep: 2.25,
    };
    for (const [name, v] of Object.entries(targets))
      expectWithinMcse(
        reps.map((s) => variance(col(s.data, name))),
        v,
        3.5,
        `variance ${name}`,
      );
  });

  it("genotype means are 2 MAF and MAFs are U(0.05, 0.5)", () => {
    const z = reps.flatMap((s) => (s.meta.mafs as number[]).map((m, j) => mean(col(s.data, `G${j}`)) - 2 * m));
    expectWithinMcse(z, 0, 3.5, "mean(G_j) - 2 MAF_j");
    expectWithinMcse(
      reps.flatMap((s) => s.meta.mafs as number[]),
      0.275,
      3.5,
      "MAF mean",
    );
  });

  it("pi ~ N(0, 0.1): mean 0, variance 0.01", () => {
    const pis = reps.flatMap((s) => s.meta.pi as number[]);
    expectWithinMcse(pis, 0, 3.5, "pi mean");
    expectWithinMcse(
      pis.map((p) => p * p),
      0.01,
      3.5,
      "pi^2 mean",
    );
  });

  it("Var(X) = sum pi_j^2 2 MAF_j (1 - MAF_j) + |gamma|^2 + 1 + 1 given each replicate's pi and MAFs", () => {
    const gamma = [0.03, 0.05, 0.14, 0.16, 0, 0, 0.08, 0.02, 0.12, -0.06];
    const g2 = gamma.reduce((s, g) => s + g * g, 0);
    const diffs = reps.map((s) => {
      const pis = s.meta.pi as number[];
      const mafs = s.meta.mafs as number[];
      const vg = pis.reduce((acc, p, j) => acc + p * p * 2 * (mafs[j] as number) * (1 - (mafs[j] as number)), 0);
      return variance(col(s.data, "X")) - (vg + (g2 * 1000) / 999 + 2);
    });
    expectWithinMcse(diffs, 0, 3.5, "Var(X) - theory");
  });
});
