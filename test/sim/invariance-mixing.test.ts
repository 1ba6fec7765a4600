import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { getColumn } from "../../src/data/frame.js";
import { drawMixing, type Mixing } from "../../src/sim/invariance-design.js";
import { applyMixing } from "../../src/sim/invariance-mix.js";
import { numpyStream } from "../../src/sim/numpy/stream.js";
import { simulate } from "../../src/sim/simulate.js";
import { jacobiSvd } from "../../src/sim/svd.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";

/** numpy's mixing maps for mix_seed 100 (test/fixtures/invariance/make_mixing.py). */
const FIX = JSON.parse(readFileSync(fixturePath("invariance", "mixing.json"), "utf8")) as {
  U: number[];
  poly: { degree: number; dz: number; M: number[]; Z: number[] }[];
  invmlp: { W1: number[]; W2: number[]; Z: number[] };
};
const ROWS = 7;
const settings = (mixing: Mixing) => ({ mixing, linear_dz: 4, linear_constant: false });

/** g(U) of the fixture's U (column-major 7 x 4) through the DGP's code path. */
function mixFixtureU(mixing: Mixing, seed = 100): { z: Float64Array; w: Float64Array[] } {
  const core = getCore();
  const map = drawMixing(settings(mixing), numpyStream(seed, core));
  const z = new Float64Array(ROWS * map.dz);
  applyMixing(core, map, 0.2, ROWS, Float64Array.from(FIX.U), z);
  return { z, w: map.layers.map((l) => l.w) };
}

const col = (s: ReturnType<typeof simulate>, name: string) => getColumn(s.data, name) as Float64Array;

/** The singular values of an n x n row-major matrix, sorted descending. */
function singularValues(a: Float64Array, n: number): number[] {
  return Array.from(jacobiSvd(a, n).s).sort((x, y) => y - x);
}

describe("invariance DGP: mixing functions (spec §2.3)", () => {
  it("poly1..3: M and Z = m(U) Mᵀ equal numpy's (SVD, clamp at s_max / 5, monomial order) for mix_seed 100", () => {
    for (const ref of FIX.poly) {
      const { z, w } = mixFixtureU(`poly${ref.degree}` as Mixing);
      expect(w[0]?.length).toBe(ref.dz * ref.dz);
      assertClose(w[0] as Float64Array, ref.M, { rtol: 1e-10, atol: 1e-12 }, `M, degree ${ref.degree}`);
      assertClose(z, ref.Z, { rtol: 1e-10, atol: 1e-11 }, `Z, degree ${ref.degree}`);
    }
  });

  it("invmlp: W1 and W2 are the authors' matrices for mix_seed 100 (default_rng), and Z matches numpy", () => {
    const { z, w } = mixFixtureU("invmlp");
    assertClose(w[0] as Float64Array, FIX.invmlp.W1, { rtol: 1e-15 }, "W1");
    assertClose(w[1] as Float64Array, FIX.invmlp.W2, { rtol: 1e-15 }, "W2");
    assertClose(z, FIX.invmlp.Z, { rtol: 1e-12, atol: 1e-14 }, "Z");
  });

  it("the Jacobi SVD reconstructs A with orthogonal Q (so the clamp acts on true singular values)", () => {
    const n = 35;
    const a = numpyStream(7, getCore()).normal(0, 1, n * n);
    const { g, q } = jacobiSvd(a, n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        let gq = 0;
        let qq = 0;
        for (let j = 0; j < n; j++) {
          gq += (g[i * n + j] as number) * (q[k * n + j] as number);
          qq += (q[j * n + i] as number) * (q[j * n + k] as number);
        }
        assertClose(gq, a[i * n + k] as number, { atol: 1e-12 }, `(G Qᵀ)[${i}, ${k}]`);
        assertClose(qq, i === k ? 1 : 0, { atol: 1e-13 }, `(QᵀQ)[${i}, ${k}]`);
      }
    }
  });

  it("poly: M keeps A's singular values above s_max / 5 and lifts the rest to it (condition number <= 5)", () => {
    let lifted = 0;
    for (const seed of [1, 2, 3, 100, 123]) {
      for (const [mixing, dz] of [
        ["poly2", 15],
        ["poly3", 35],
      ] as const) {
        const a = numpyStream(seed, getCore()).normal(0, 1, dz * dz);
        const m = drawMixing(settings(mixing), numpyStream(seed, getCore())).layers[0]?.w as Float64Array;
        const sa = singularValues(a, dz);
        const sm = singularValues(m, dz);
        const floor = (sa[0] as number) / 5;
        assertClose(
          sm,
          sa.map((s) => Math.max(s, floor)),
          { rtol: 1e-10 },
          `singular values, seed ${seed} ${mixing}`,
        );
        expect((sm[0] as number) / (sm[dz - 1] as number)).toBeLessThanOrEqual(5 * (1 + 1e-10));
        lifted += sa.filter((s) => s < floor).length;
      }
    }
    // A random 35 x 35 Gaussian matrix always has singular values below s_max / 5: the clamp acts.
    expect(lifted).toBeGreaterThan(10);
  });

  it("linear: Z = U Bᵀ (+ b) is exactly invertible: U solved back from Z equals the latents", () => {
    for (const linear_constant of [false, true]) {
      const s = simulate("invariance", { mixing: "linear", linear_constant, n_train: 300, n_val: 50, seed: 3 });
      const layer = (s.meta.mixing_layers as { w: number[]; bias: number[] | null }[])[0] as {
        w: number[];
        bias: number[] | null;
      };
      const inv = inverse4(layer.w);
      const z = [0, 1, 2, 3].map((j) => col(s, `Z${j}`));
      const u = ["V0", "V1", "W0", "W1"].map((name) => col(s, name));
      for (let i = 0; i < s.data.n; i++) {
        const zi = z.map((c, j) => (c[i] as number) - (layer.bias ? (layer.bias[j] as number) : 0));
        for (let k = 0; k < 4; k++) {
          let uk = 0;
          for (let j = 0; j < 4; j++) uk += (inv[k * 4 + j] as number) * (zi[j] as number);
          assertClose(uk, u[k]?.[i] as number, { rtol: 1e-9, atol: 1e-10 }, `U[${i}, ${k}]`);
        }
      }
    }
  });

  it("discrete: every Z is 0, 1 or 2 (integers), each value occurs, and Z is the argmax of the MLP's triples", () => {
    const seen = new Set<number>();
    const s = simulate("invariance", { mixing: "discrete", n_train: 2000, n_val: 0, seed: 4 });
    const layers = s.meta.mixing_layers as { w: number[]; bias: number[] }[];
    const u = ["V0", "V1", "W0", "W1"].map((name) => col(s, name));
    for (let j = 0; j < 4; j++) {
      const z = col(s, `Z${j}`);
      expect(s.data.integer[s.data.names.indexOf(`Z${j}`)]).toBe(true);
      for (const v of z) seen.add(v);
    }
    // A column may miss a value (the random MLP's triple can favour two outputs); all Z together do not.
    expect([...seen].sort()).toEqual([0, 1, 2]);
    for (let i = 0; i < 50; i++) {
      const out = mlp(
        layers,
        u.map((c) => c[i] as number),
      );
      for (let t = 0; t < 4; t++) {
        const triple = out.slice(3 * t, 3 * t + 3);
        expect(col(s, `Z${t}`)[i]).toBe(triple.indexOf(Math.max(...triple)));
      }
    }
  });

  it("the map is the same in every replicate (the authors' mix_seed by E), or redrawn with mix_per_replicate", () => {
    const layers = (p: Record<string, unknown>) =>
      JSON.stringify(simulate("invariance", { n_train: 20, n_val: 5, mixing: "poly2", ...p }).meta.mixing_layers);
    expect(layers({ seed: 1 })).toBe(layers({ seed: 2 }));
    expect(layers({ seed: 1, E: 3 })).not.toBe(layers({ seed: 1 }));
    expect(layers({ seed: 1, E: 3 })).toBe(layers({ seed: 1, mix_seed: 123 }));
    expect(layers({ seed: 1, mix_seed: 100 })).toBe(layers({ seed: 1 }));
    expect(layers({ seed: 1, mix_per_replicate: true })).not.toBe(layers({ seed: 2, mix_per_replicate: true }));
    expect(layers({ seed: 1, mix_per_replicate: true })).toBe(layers({ seed: 1, mix_per_replicate: true }));
    // The DGP's default poly3 map for E = 2 is numpy's M for seed 100.
    const m = simulate("invariance", { n_train: 10, n_val: 0 }).meta.mixing_layers as { w: number[] }[];
    assertClose(m[0]?.w as number[], FIX.poly[2]?.M as number[], { rtol: 1e-10, atol: 1e-12 }, "M");
  });
});

/** Linear → LeakyReLU(0.2) → Linear, with biases, written out for one row. */
function mlp(layers: { w: number[]; bias: number[] }[], x: number[]): number[] {
  let v = x;
  layers.forEach((l, depth) => {
    const next: number[] = [];
    for (let j = 0; j < l.bias.length; j++) {
      let acc = l.bias[j] as number;
      for (let k = 0; k < v.length; k++) acc += (l.w[j * v.length + k] as number) * (v[k] as number);
      next.push(depth === 0 && acc < 0 ? 0.2 * acc : acc);
    }
    v = next;
  });
  return v;
}

/** The inverse of a 4 x 4 row-major matrix by Gauss-Jordan elimination with partial pivoting. */
function inverse4(w: readonly number[]): number[] {
  const n = 4;
  const a = w.map((v) => v);
  const inv: number[] = Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c] as number) > Math.abs(a[piv * n + c] as number)) piv = r;
    for (let k = 0; k < n; k++) {
      [a[c * n + k], a[piv * n + k]] = [a[piv * n + k] as number, a[c * n + k] as number];
      [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k] as number, inv[c * n + k] as number];
    }
    const d = a[c * n + c] as number;
    for (let k = 0; k < n; k++) {
      a[c * n + k] = (a[c * n + k] as number) / d;
      inv[c * n + k] = (inv[c * n + k] as number) / d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c] as number;
      for (let k = 0; k < n; k++) {
        a[r * n + k] = (a[r * n + k] as number) - f * (a[c * n + k] as number);
        inv[r * n + k] = (inv[r * n + k] as number) - f * (inv[c * n + k] as number);
      }
    }
  }
  return inv;
}
