import { describe, expect, it } from "vitest";
import { getColumn } from "../../src/data/frame.js";
import { MrsweepError } from "../../src/errors.js";
import { resolveParams } from "../../src/params.js";
import type { InvarianceParams } from "../../src/sim/invariance.js";
import { getDgp } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";
import { parseSweepConfig } from "../../src/sweep/config.js";

type Sim = ReturnType<typeof simulate>;
const col = (s: Sim, name: string) => Array.from(getColumn(s.data, name) as Float64Array);
const dgp = getDgp("invariance");
const resolved = (given: Record<string, unknown>) =>
  resolveParams("invariance", dgp.params, dgp.defaults, given) as unknown as InvarianceParams;

/** Rows of `s` in environment e and split k, as [name, values] for every column. */
function block(s: Sim, e: number, k: number): Record<string, number[]> {
  const env = col(s, "env");
  const split = col(s, "split");
  const out: Record<string, number[]> = {};
  for (const name of s.data.names) {
    const values = col(s, name);
    out[name] = values.filter((_, i) => env[i] === e && split[i] === k);
  }
  return out;
}

describe("invariance DGP: structure, roles and truth", () => {
  it("stacks the training bank then the validation bank, each environment 0 .. E-1 in turn", () => {
    const s = simulate("invariance", { n_train: 5, n_val: 2, E: 3, mixing: "poly2", seed: 1 });
    expect(s.data.n).toBe(21);
    expect(col(s, "env")).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 0, 1, 1, 2, 2]);
    expect(col(s, "split")).toEqual([...new Array(15).fill(0), ...new Array(6).fill(1)]);
    expect(s.data.names).toEqual([
      "Y",
      "X",
      "env",
      "split",
      ...Array.from({ length: 15 }, (_, j) => `Z${j}`),
      "V0",
      "V1",
      "W0",
      "W1",
      "H0",
      "H1",
    ]);
    expect(s.data.integer.filter(Boolean).length).toBe(2);
  });

  it("declares env as the environment, split, and the latents apart from the instruments", () => {
    const s = simulate("invariance", { n_train: 4, n_val: 1, mixing: "linear", seed: 2 });
    expect(s.roles).toEqual({
      outcome: "Y",
      exposure: "X",
      instruments: ["Z0", "Z1", "Z2", "Z3"],
      environment: "env",
      split: "split",
      latent: ["V0", "V1", "W0", "W1", "H0", "H1"],
    });
  });

  it("meta holds θ, the loadings, Σ_V, Σ_W, the mixing map and where the latents are", () => {
    const s = simulate("invariance", { n_train: 4, n_val: 1, theta: 0.5, E: 3, seed: 2 });
    expect(s.meta).toMatchObject({
      dgp: "invariance",
      beta_true: 0.5,
      E: 3,
      dz: 35,
      mixing: "poly3",
      degree: 3,
      mix_seed: 123,
      oracle_k: 9,
      latent: { V: ["V0", "V1"], W: ["W0", "W1"], H: ["H0", "H1"] },
      sigma_v: [1, 0.5, 0.5, 1],
      sigma_w: [1, 0.5, 0.5, 1],
      eta: [
        [1, 0, 0, 1],
        [2, 0, 0, 1],
        [1, 0, 0, 2],
      ],
      rng: "seedrandom-pcg64",
      seed: 2,
    });
    expect((s.meta.mixing_layers as { w: number[] }[])[0]?.w.length).toBe(35 * 35);
    expect(simulate("invariance", { n_train: 4, n_val: 0, mixing: "linear" }).meta.oracle_k).toBe(2);
    expect(simulate("invariance", { n_train: 4, n_val: 0, mixing: "invmlp" }).meta.oracle_k).toBeNull();
  });

  it("is reproducible: the same seed and backend give the same data; another seed or backend does not", () => {
    const p = { n_train: 50, n_val: 10, seed: 9 };
    const a = simulate("invariance", p);
    expect(simulate("invariance", p).data.columns).toEqual(a.data.columns);
    expect(col(simulate("invariance", { ...p, seed: 10 }), "X")).not.toEqual(col(a, "X"));
    const np = simulate("invariance", p, { rng: "numpy" });
    expect(np.meta.rng).toBe("numpy-pcg64");
    expect(col(np, "X")).not.toEqual(col(a, "X"));
  });

  it("each (bank, environment) block has its own streams: resizing a bank or adding an environment changes no other block", () => {
    const eta2 = [1, 0, 0, 1, 2, 0, 0, 2];
    const base = simulate("invariance", { n_train: 30, n_val: 10, eta: eta2, mix_seed: 7, seed: 5 });
    const bigger = simulate("invariance", { n_train: 30, n_val: 25, eta: eta2, mix_seed: 7, seed: 5 });
    const more = simulate("invariance", {
      n_train: 30,
      n_val: 10,
      E: 3,
      eta: [...eta2, 3, 0, 0, 1],
      mix_seed: 7,
      seed: 5,
    });
    for (const e of [0, 1]) {
      expect(block(bigger, e, 0)).toEqual(block(base, e, 0));
      expect(block(more, e, 0)).toEqual(block(base, e, 0));
      expect(block(more, e, 1)).toEqual(block(base, e, 1));
      // The validation bank's first rows are its own stream's first draws.
      expect(block(bigger, e, 1).W0?.slice(0, 10)).toEqual(block(base, e, 1).W0);
    }
  });

  it('eval_rows "resampled" replaces each block by draws with replacement from its rows', () => {
    const p = { n_train: 200, n_val: 50, mixing: "linear" as const, seed: 8 };
    const banks = simulate("invariance", p);
    const resampled = simulate("invariance", { ...p, eval_rows: "resampled" });
    for (const [e, k] of [
      [0, 0],
      [1, 0],
      [1, 1],
    ] as const) {
      const from = block(banks, e, k);
      const to = block(resampled, e, k);
      const rowOf = new Map((from.X as number[]).map((x, i) => [x, i]));
      const picked = (to.X as number[]).map((x) => rowOf.get(x));
      expect(picked.every((i) => i !== undefined)).toBe(true);
      // Every column moves with its row.
      for (const name of ["Y", "Z2", "V1", "W0", "H1"]) {
        expect(to[name]).toEqual(picked.map((i) => (from[name] as number[])[i as number]));
      }
      // With replacement: about 1 - 1/e of the rows appear (63%), so some repeat.
      const distinct = new Set(picked).size / picked.length;
      expect(distinct).toBeGreaterThan(0.5);
      expect(distinct).toBeLessThan(0.75);
    }
  });

  it("check() refuses loadings of the wrong length and E > 3 without loadings", () => {
    expect(() => dgp.check(resolved({ E: 4 }), "here")).toThrow(
      new MrsweepError(
        "here: parameter eta must be given (4 E numbers) when E > 3: the paper's loadings exist for E = 2, 3; got null",
      ),
    );
    expect(() => dgp.check(resolved({ eta: [1, 0, 0, 1] }), "here")).toThrow(
      new MrsweepError("here: parameter eta length must be 4 E = 8; got 4"),
    );
    expect(() => dgp.check(resolved({ E: 4, eta: new Array(16).fill(1) }), "here")).not.toThrow();
    // @ts-expect-error: a mixing the type does not allow either, refused when called from JavaScript
    expect(() => simulate("invariance", { mixing: "poly4" })).toThrow(/mixing must be one of linear, poly1/);
    expect(() => simulate("invariance", { E: 1 })).toThrow(/parameter E must be an integer >= 2/);
  });

  it("every setting can be a grid axis, and a bad cell is refused before the sweep starts", () => {
    const values: Record<string, unknown[]> = {
      E: [2, 3],
      n_train: [100, 200],
      n_val: [0, 20],
      theta: [0, 1],
      mean_step: [1, 2],
      eta: [null, [1, 0, 0, 1, 3, 0, 0, 3]],
      x_u: [
        [1, 1, 1, 1],
        [1, 0, 1, 0],
      ],
      x_h: [
        [1, 1],
        [0, 1],
      ],
      y_h: [
        [1, 1],
        [2, 0],
      ],
      sigma_x: [1, 2],
      sigma_y: [1, 0.5],
      sigma: ["toeplitz", "wishart"],
      sigma_seed: [0, 1],
      mixing: ["linear", "poly1", "poly2", "poly3", "invmlp", "discrete"],
      leaky_slope: [0.2, 0.01],
      linear_dz: [4, 8],
      linear_constant: [false, true],
      mix_seed: [null, 5],
      mix_per_replicate: [false, true],
      eval_rows: ["banks", "resampled"],
    };
    // The seed is the one parameter a sweep sets per task rather than per cell.
    const settings = dgp.params.map((s) => s.name).filter((name) => name !== "seed");
    expect(Object.keys(values).sort()).toEqual(settings.sort());
    for (const [name, axis] of Object.entries(values)) {
      const grid = { [name]: axis };
      const config = parseSweepConfig({ dgp: "invariance", grid, replicates: 1, estimators: ["tsls"] });
      expect(config.grid, name).toEqual([[name, axis]]);
    }
    expect(() =>
      parseSweepConfig({ dgp: "invariance", grid: { E: [2, 4] }, replicates: 1, estimators: ["tsls"] }),
    ).toThrow(/parameter eta must be given/);
  });
});
