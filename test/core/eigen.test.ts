import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eigenSym } from "../../src/core/linalg.js";
import { getCore } from "../../src/core/load.js";
import type { Matrix } from "../../src/core/matrix.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();

interface Case {
  name: string;
  d: number;
  a: number[];
  values: number[];
  vectors: number[];
  distinct: boolean;
}
const fixture = JSON.parse(readFileSync(fixturePath("eigen", "eigen.json"), "utf8")) as { cases: Case[] };

function symmetric(d: number, seed: string): Matrix {
  const u = uniforms(seed, d * d);
  const data = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) data[j * d + i] = ((u[j * d + i] as number) + (u[i * d + j] as number)) / 2;
  }
  return { rows: d, cols: d, data };
}

/** Largest |entry| of A V - V diag(w), of V^T V - I, and |A|'s largest entry (the residuals' scale). */
function residuals(a: Matrix, w: Float64Array, v: Matrix) {
  const d = a.rows;
  let av = 0;
  let orth = 0;
  let scale = 0;
  for (const x of a.data) scale = Math.max(scale, Math.abs(x));
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < d; k++) {
        s += (a.data[k * d + i] as number) * (v.data[j * d + k] as number);
        o += (v.data[i * d + k] as number) * (v.data[j * d + k] as number);
      }
      av = Math.max(av, Math.abs(s - (w[j] as number) * (v.data[j * d + i] as number)));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { av, orth, scale };
}

/** Projector onto the span of columns from..to-1 of V (d x d). */
function projector(v: ArrayLike<number>, d: number, from: number, to: number): Float64Array {
  const p = new Float64Array(d * d);
  for (let c = from; c < to; c++) {
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < d; i++)
        p[j * d + i] = (p[j * d + i] as number) + (v[c * d + i] as number) * (v[c * d + j] as number);
    }
  }
  return p;
}

/** Clusters of (numerically) equal eigenvalues as [from, to) index ranges. */
function clusters(values: readonly number[]): [number, number][] {
  const scale = Math.max(1, ...values.map(Math.abs));
  const out: [number, number][] = [];
  let from = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || (values[i] as number) - (values[i - 1] as number) > 1e-8 * scale) {
      out.push([from, i]);
      from = i;
    }
  }
  return out;
}

describe("eigen_sym against numpy.linalg.eigh (test/fixtures/eigen/make_eigen.py)", () => {
  for (const c of fixture.cases) {
    it(`${c.name} (d = ${c.d})`, () => {
      const a: Matrix = { rows: c.d, cols: c.d, data: Float64Array.from(c.a) };
      const r = eigenSym(core, a);
      expect(r.status).toBe(0);
      const scale = Math.max(...c.values.map(Math.abs));
      assertClose(r.values, c.values, { atol: 1e-13 * scale, rtol: 0 }, `${c.name} eigenvalues`);
      // Eigenvectors are determined to about eps |A| d / gap (Davis-Kahan), for numpy as for us.
      const groups = clusters(c.values);
      groups.forEach(([from, to], g) => {
        const below = g > 0 ? (c.values[from] as number) - (c.values[from - 1] as number) : Infinity;
        const above = to < c.d ? (c.values[to] as number) - (c.values[to - 1] as number) : Infinity;
        const atol = Math.max(1e-12, (1e-15 * scale * c.d) / Math.min(below, above));
        const what = `${c.name} eigenspace ${from}..${to - 1}`;
        // Repeated eigenvalues: the eigenspaces (their projectors) agree, not the bases.
        const [mine, theirs] = [projector(r.vectors.data, c.d, from, to), projector(c.vectors, c.d, from, to)];
        assertClose(mine, theirs, { atol, rtol: 0 }, what);
        if (to - from === 1) {
          const col = (v: ArrayLike<number>) => Array.from(v).slice(from * c.d, to * c.d);
          assertClose(col(r.vectors.data), col(c.vectors), { atol, rtol: 0 }, `${what}, signed vector`);
        }
      });
      expect(Array.from(a.data)).toEqual(c.a);
    });
  }
});

describe("eigen_sym on generated matrices", () => {
  function check(a: Matrix, label: string) {
    const r = eigenSym(core, a);
    expect(r.status, label).toBe(0);
    const { av, orth, scale } = residuals(a, r.values, r.vectors);
    expect(av, `${label}: A v - lambda v`).toBeLessThanOrEqual(1e-12 * Math.max(scale, 1e-300) * Math.sqrt(a.rows));
    expect(orth, `${label}: V^T V - I`).toBeLessThanOrEqual(1e-12);
    for (let i = 1; i < a.rows; i++) expect(r.values[i] as number).toBeGreaterThanOrEqual(r.values[i - 1] as number);
    return r;
  }

  it("random symmetric (indefinite) matrices, d = 1..40 and 150", () => {
    for (const d of [...Array.from({ length: 40 }, (_, i) => i + 1), 150]) check(symmetric(d, `sym${d}`), `d=${d}`);
  });

  it("repeated eigenvalues: a multiple of the identity and a rank-one update of it", () => {
    const d = 9;
    const id: Matrix = { rows: d, cols: d, data: new Float64Array(d * d) };
    for (let j = 0; j < d; j++) id.data[j * d + j] = 3;
    expect(Array.from(check(id, "3 I").values)).toEqual(new Array(d).fill(3));
    const u = uniforms("rank1", d);
    const r1: Matrix = { rows: d, cols: d, data: Float64Array.from(id.data) };
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < d; i++)
        r1.data[j * d + i] = (r1.data[j * d + i] as number) + (u[i] as number) * (u[j] as number);
    }
    const r = check(r1, "3 I + u u^T");
    assertClose(r.values.subarray(0, d - 1), new Array(d - 1).fill(3), { atol: 1e-13 }, "repeated 3");
  });

  it("a diagonal matrix: its sorted diagonal and signed unit vectors, exactly", () => {
    const diag = [2, -7, 0, 5, -7];
    const d = diag.length;
    const a: Matrix = { rows: d, cols: d, data: new Float64Array(d * d) };
    diag.forEach((x, j) => {
      a.data[j * d + j] = x;
    });
    const r = check(a, "diagonal");
    expect(Array.from(r.values)).toEqual([-7, -7, 0, 2, 5]);
    const order = [1, 4, 2, 0, 3];
    order.forEach((row, col) => {
      expect(r.vectors.data[col * d + row]).toBe(1);
    });
  });

  it("1 x 1 and 0 x 0", () => {
    const r = eigenSym(core, { rows: 1, cols: 1, data: new Float64Array([-4.5]) });
    expect([r.status, r.values[0], r.vectors.data[0]]).toEqual([0, -4.5, 1]);
    expect(eigenSym(core, { rows: 0, cols: 0, data: new Float64Array(0) }).status).toBe(0);
  });

  it("gives each eigenvector's largest-magnitude entry a positive sign", () => {
    const d = 12;
    const r = eigenSym(core, symmetric(d, "signs"));
    for (let j = 0; j < d; j++) {
      const col = Array.from(r.vectors.data.subarray(j * d, (j + 1) * d));
      const big = col.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      expect(big).toBeGreaterThan(0);
    }
  });

  it("reports non-convergence as status 1 (too few sweeps, NaN input), not an abort", () => {
    expect(eigenSym(core, symmetric(6, "few"), 0).status).toBe(1);
    expect(eigenSym(core, symmetric(30, "few"), 1).status).toBe(1);
    const nan = symmetric(4, "nan");
    nan.data[1] = Number.NaN;
    nan.data[4] = Number.NaN;
    expect(eigenSym(core, nan).status).toBe(1);
  });
});
