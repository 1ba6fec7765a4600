import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { type Matrix, zeros } from "../../src/core/matrix.js";
import { lassoFit } from "../../src/estimators/lasso-cv.js";
import { assertClose } from "../helpers/assert-close.js";
import { placed } from "../helpers/placed.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();
const w = core.wasm;

/** Centred columns: n x p of uniforms minus their column means. */
function centredMatrix(n: number, p: number, seed: string): Matrix {
  const m: Matrix = { rows: n, cols: p, data: uniforms(seed, n * p) };
  for (let j = 0; j < p; j++) {
    const col = m.data.subarray(j * n, (j + 1) * n);
    const mean = col.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) col[i] = (col[i] as number) - mean;
  }
  return m;
}

/** y = X b + noise with a sparse b. */
function response(x: Matrix, seed: string): Float64Array {
  const e = uniforms(seed, x.rows);
  const b = [1.5, 0, -0.8, 0, 0.3, 0, 0, 0.05];
  return e.map(
    (v, i) => 0.3 * v + b.reduce((s, bj, j) => s + (j < x.cols ? bj * (x.data[j * x.rows + i] as number) : 0), 0),
  );
}

describe("lasso coordinate descent", () => {
  it("solves an orthogonal design exactly by soft-thresholding", () => {
    // Columns of a 4 x 3 Hadamard block: centred and mutually orthogonal, ||x_j||^2 = 4.
    const x: Matrix = { rows: 4, cols: 3, data: Float64Array.from([1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1]) };
    const y = Float64Array.from([3, -1, 2, 0.5]);
    const ym = y.reduce((s, v) => s + v, 0) / 4;
    const alpha = 0.3;
    const fitted = lassoFit(core, x, y, alpha, { tol: 1e-12 });
    for (let j = 0; j < 3; j++) {
      let t = 0;
      for (let i = 0; i < 4; i++) t += (x.data[j * 4 + i] as number) * ((y[i] as number) - ym);
      const expected = (Math.sign(t) * Math.max(Math.abs(t) - alpha * 4, 0)) / 4;
      assertClose(fitted.coef[j] as number, expected, { rtol: 1e-14, atol: 1e-15 }, `w_${j}`);
    }
    assertClose(fitted.intercept, ym, { rtol: 1e-14 }, "intercept");
  });

  it("satisfies the KKT conditions at a tight tolerance, for several penalties", () => {
    const n = 300;
    const x = centredMatrix(n, 8, "kkt-x");
    const y = response(x, "kkt-e");
    for (const alpha of [0.3, 0.05, 0.01, 0.001]) {
      const f = lassoFit(core, x, y, alpha, { tol: 1e-14, maxIter: 100000 });
      expect(f.converged).toBe(true);
      const ym = y.reduce((s, v) => s + v, 0) / n;
      const r = y.map((v, i) => v - ym - f.coef.reduce((s, c, j) => s + c * (x.data[j * n + i] as number), 0));
      f.coef.forEach((c, j) => {
        let g = 0;
        for (let i = 0; i < n; i++) g += (x.data[j * n + i] as number) * (r[i] as number);
        g /= n;
        if (c === 0) expect(Math.abs(g)).toBeLessThanOrEqual(alpha * (1 + 1e-8));
        else assertClose(g, alpha * Math.sign(c), { rtol: 1e-6 }, `gradient of w_${j} at alpha ${alpha}`);
      });
    }
  });

  it("reports non-convergence with the last iterate when max_iter is hit", () => {
    const x = centredMatrix(200, 8, "nc-x");
    const f = lassoFit(core, x, response(x, "nc-e"), 0.001, { maxIter: 1, tol: 1e-14 });
    expect(f.nIter).toBe(1);
    expect(f.converged).toBe(false);
    expect(f.gap).toBeGreaterThanOrEqual(f.tolScaled);
    expect(f.coef.some((c) => c !== 0)).toBe(true);
  });
});

describe("lasso kernels: SIMD equals scalar twin", () => {
  for (const [n, p] of [
    [1, 1],
    [2, 3],
    [3, 2],
    [17, 5],
    [33, 8],
  ] as const) {
    it(`plain, Gram and mse_shift at n = ${n}, p = ${p}, unaligned`, () => {
      core.scoped(() => {
        const x = centredMatrix(n, p, `tw-x${n}`);
        const y = response(x, `tw-e${n}`);
        const px = placed(core, x.data, 1);
        const py = placed(core, y, 1);
        const runPlain = (scalar: boolean) => {
          const pw = placed(core, new Float64Array(p), 1);
          const out = core.alloc(2);
          const f = scalar ? w.lasso_cd_scalar : w.lasso_cd;
          const it = f(n, p, px, n, py, pw, 0.01 * n, 1e-10, 1000, core.alloc(p), core.alloc(n), out);
          return { it, coef: core.read(pw, p) };
        };
        const a = runPlain(false);
        const b = runPlain(true);
        assertClose(a.coef, b.coef, { rtol: 1e-10, atol: 1e-13 }, "plain coef");
        const q = zeros(p, p);
        const pq = core.put(q.data);
        w.crossprod(n, p, px, n, pq);
        const pxy = core.alloc(p);
        w.gemv_t(n, p, 1, px, n, py, 0, pxy);
        const yy = w.dot(n, py, py);
        const runGram = (scalar: boolean) => {
          const pw = placed(core, new Float64Array(p), 3);
          const f = scalar ? w.lasso_cd_gram_scalar : w.lasso_cd_gram;
          f(p, pq, pxy, yy, pw, 0.01 * n, 1e-10, 1000, core.alloc(p), core.alloc(2));
          return core.read(pw, p);
        };
        assertClose(runGram(false), runGram(true), { rtol: 1e-10, atol: 1e-13 }, "gram coef");
        assertClose(runGram(false), a.coef, { rtol: 1e-6, atol: 1e-9 }, "gram vs plain");
        const pa = placed(core, x.data.subarray(0, n), 1);
        assertClose(w.mse_shift(n, pa, py, 0.25), w.mse_shift_scalar(n, pa, py, 0.25), { rtol: 1e-14 }, "mse_shift");
        expect(w.mse_shift(0, pa, py, 0)).toBeNaN();
      });
    });
  }
});
