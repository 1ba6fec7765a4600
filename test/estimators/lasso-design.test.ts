import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import type { Matrix } from "../../src/core/matrix.js";
import { lassoCv, lassoCvAt } from "../../src/estimators/lasso-cv.js";
import { Chunks, implicitDesign, predictInto } from "../../src/estimators/lasso-design.js";
import { blockMoments } from "../../src/estimators/lasso-moments.js";
import { assertClose } from "../helpers/assert-close.js";

/**
 * LassoCV on G standardised implicitly (read where it lies, issue 25) against the same fits on a
 * standardised copy made in JavaScript, as the first stage used to make it in the core.
 */
const core = getCore();

/** Genotype-like columns (0, 1, 2) with a constant one, and an exposure that depends on a few. */
function data(n: number, p: number): { g: Matrix; x: Float64Array } {
  const g = new Float64Array(n * p);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) g[j * n + i] = j === 3 ? 2 : ((i * (j + 7) * 2654435761) >>> 0) % 3;
  const x = Float64Array.from(
    { length: n },
    (_, i) => 0.4 * (g[i] as number) - 0.3 * (g[n + i] as number) + Math.sin(i),
  );
  return { g: { rows: n, cols: p, data: g }, x };
}

/** StandardScaler in JavaScript: population SD, a constant column centred with scale 1. */
function standardized(g: Matrix): Matrix {
  const { rows: n, cols: p } = g;
  const out = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = g.data.subarray(j * n, (j + 1) * n);
    const mean = col.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    for (let i = 0; i < n; i++) out[j * n + i] = ((col[i] as number) - mean) / (sd > 0 ? sd : 1);
  }
  return { rows: n, cols: p, data: out };
}

const OPTIONS = { folds: 5, nAlphas: 100, eps: 1e-3, maxIter: 1000, tol: 1e-4 };

describe("LassoCV on implicitly standardised G", () => {
  for (const shuffleSeed of [null, "s1"]) {
    it(`equals LassoCV on a standardised copy (${shuffleSeed ? "shuffled" : "contiguous"} folds)`, () => {
      const { g, x } = data(1003, 9);
      const expected = lassoCv(core, standardized(g), x, { shuffleSeed });
      const got = core.scoped(() => {
        const d = implicitDesign(core, { x: core.put(g.data), ld: g.rows }, g.rows, g.cols, true);
        return lassoCvAt(core, d, core.put(x), { ...OPTIONS, shuffleSeed });
      });
      assertClose(got.alphas, expected.alphas, { rtol: 1e-13 }, "alpha grid");
      assertClose(got.meanMse, expected.meanMse, { rtol: 1e-11 }, "mean CV MSE");
      expect(got.alphas.indexOf(got.alpha)).toBe(expected.alphas.indexOf(expected.alpha));
      assertClose(got.coef, expected.coef, { rtol: 1e-10, atol: 1e-14 }, "coef");
      assertClose(got.intercept, expected.intercept, { rtol: 1e-12 }, "intercept");
      expect(got.coef[3]).toBe(0);
      expect(got.coef.filter((c) => c !== 0).length).toBeGreaterThan(1);
    });
  }

  it("block moments and predictions do not depend on the chunk size (1, 7 and all rows)", () => {
    const { g, x } = data(301, 6);
    const z = standardized(g);
    const coef = Float64Array.from({ length: 6 }, (_, j) => (j % 2 ? 0.5 : -0.25) * (j + 1));
    const expectedFit = Float64Array.from({ length: 301 }, (_, i) => {
      let s = 0.7;
      for (let j = 0; j < 6; j++) s += (coef[j] as number) * (z.data[j * 301 + i] as number);
      return s;
    });
    for (const rows of [1, 7, 301]) {
      core.scoped(() => {
        const d = implicitDesign(core, { x: core.put(g.data), ld: 301 }, 301, 6, true);
        const chunks = new Chunks(core, d, rows);
        const ones = core.put(new Float64Array(chunks.rows).fill(1));
        const mo = blockMoments(core, chunks, core.put(x), [50, 250], ones);
        const xtx = core.view(mo.xtx, 36);
        for (let j = 0; j < 6; j++)
          for (let k = 0; k < 6; k++) {
            let s = 0;
            for (let i = 50; i < 250; i++) s += (z.data[j * 301 + i] as number) * (z.data[k * 301 + i] as number);
            assertClose(xtx[k * 6 + j] as number, s, { rtol: 1e-12, atol: 1e-12 }, `X'X[${j}, ${k}] (${rows} rows)`);
          }
        const out = core.alloc(301);
        predictInto(chunks, core.put(coef), 0.7, out);
        assertClose(core.view(out, 301), expectedFit, { rtol: 1e-13, atol: 1e-13 }, `fitted (${rows} rows)`);
      });
    }
  });

  for (const shuffleSeed of [null, "s2"]) {
    it(`reads a range of rows of a larger matrix in place (leading dimension > n, ${shuffleSeed ? "shuffled" : "contiguous"})`, () => {
      const { g, x } = data(900, 5);
      const [start, n] = [101, 600];
      const rows: Matrix = { rows: n, cols: 5, data: new Float64Array(n * 5) };
      for (let j = 0; j < 5; j++) rows.data.set(g.data.subarray(j * 900 + start, j * 900 + start + n), j * n);
      const expected = lassoCv(core, standardized(rows), x.subarray(start, start + n), { shuffleSeed });
      const got = core.scoped(() => {
        const d = implicitDesign(core, { x: core.put(g.data) + start * 8, ld: 900 }, n, 5, true);
        return lassoCvAt(core, d, core.put(x) + start * 8, { ...OPTIONS, shuffleSeed });
      });
      assertClose(got.meanMse, expected.meanMse, { rtol: 1e-11 }, "mean CV MSE");
      assertClose(got.coef, expected.coef, { rtol: 1e-10, atol: 1e-14 }, "coef");
      assertClose(got.intercept, expected.intercept, { rtol: 1e-12 }, "intercept");
    });
  }

  it("leaves G as it was", () => {
    const { g, x } = data(200, 4);
    core.scoped(() => {
      const pg = core.put(g.data);
      lassoCvAt(core, implicitDesign(core, { x: pg, ld: 200 }, 200, 4, true), core.put(x), {
        ...OPTIONS,
        shuffleSeed: null,
      });
      expect(Array.from(core.view(pg, 800))).toEqual(Array.from(g.data));
    });
  });
});
