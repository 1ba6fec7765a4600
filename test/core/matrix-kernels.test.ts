import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { assertClose } from "../helpers/assert-close.js";
import { placed, SENTINEL } from "../helpers/placed.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();
const w = core.wasm;
const SHAPES: Array<[number, number]> = [
  [0, 0],
  [0, 3],
  [1, 1],
  [2, 3],
  [3, 2],
  [5, 4],
  [17, 5],
  [33, 7],
  [64, 6],
  [101, 9],
];

/** Naive A^T x / A x in JavaScript, column-major A (m x n, leading dimension lda). */
function naiveGemv(trans: boolean, m: number, n: number, a: Float64Array, lda: number, x: Float64Array): Float64Array {
  const out = new Float64Array(trans ? n : m);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const v = (a[j * lda + i] as number) * (trans ? (x[i] as number) : (x[j] as number));
      if (trans) out[j] = (out[j] as number) + v;
      else out[i] = (out[i] as number) + v;
    }
  }
  return out;
}

describe("gemv", () => {
  for (const off of [0, 1]) {
    it(`gemv_n is bitwise equal to its twin and gemv_t within rounding (offset ${off}, lda > m)`, () => {
      for (const [m, n] of SHAPES) {
        core.scoped(() => {
          const lda = m + 1;
          const a = uniforms(`a${m}x${n}`, lda * n);
          const xn = uniforms(`xn${n}`, n);
          const xt = uniforms(`xt${m}`, m);
          const y0 = uniforms(`y${m}${n}`, Math.max(m, n));
          const pa = placed(core, a, off);
          const pxn = placed(core, xn, off);
          const pxt = placed(core, xt, off + 1);
          const y1 = placed(core, y0.subarray(0, m), off);
          const y2 = placed(core, y0.subarray(0, m), off);
          w.gemv_n(m, n, 1.5, pa, lda, pxn, 0.5, y1);
          w.gemv_n_scalar(m, n, 1.5, pa, lda, pxn, 0.5, y2);
          expect(Array.from(core.view(y1, m + 1))).toEqual(Array.from(core.view(y2, m + 1)));
          const expectN = naiveGemv(false, m, n, a, lda, xn).map((v, i) => 1.5 * v + 0.5 * (y0[i] as number));
          assertClose(core.view(y1, m), expectN, { rtol: 1e-13, atol: 1e-14 }, `gemv_n ${m}x${n}`);

          const t1 = placed(core, y0.subarray(0, n), off);
          const t2 = placed(core, y0.subarray(0, n), off);
          w.gemv_t(m, n, -2, pa, lda, pxt, 0, t1);
          w.gemv_t_scalar(m, n, -2, pa, lda, pxt, 0, t2);
          const expectT = naiveGemv(true, m, n, a, lda, xt).map((v) => -2 * v);
          assertClose(core.view(t1, n), core.view(t2, n), { rtol: 1e-13, atol: 1e-14 }, `gemv_t twin ${m}x${n}`);
          assertClose(core.view(t1, n), expectT, { rtol: 1e-13, atol: 1e-14 }, `gemv_t ${m}x${n}`);
          expect(core.view(t1 + n * 8, 1)[0]).toBe(SENTINEL);
        });
      }
    });
  }

  it("beta = 0 overwrites NaN in y", () => {
    core.scoped(() => {
      const pa = core.put([1, 2, 3, 4]);
      const px = core.put([1, 1]);
      const py = core.put([Number.NaN, Number.NaN]);
      w.gemv_n(2, 2, 1, pa, 2, px, 0, py);
      expect(Array.from(core.view(py, 2))).toEqual([4, 6]);
    });
  });
});

describe("crossprod and center", () => {
  for (const off of [0, 1]) {
    it(`crossprod, crossprod_w and center agree with their twins and with JS (offset ${off})`, () => {
      for (const [n, p] of SHAPES) {
        core.scoped(() => {
          const ldx = n + 2;
          const x = uniforms(`x${n}x${p}`, ldx * p);
          const wt = uniforms(`w${n}`, n).map(Math.abs);
          const px = placed(core, x, off);
          const pw = placed(core, wt, off + 1);
          const c1 = placed(core, new Float64Array(p * p), off);
          const c2 = placed(core, new Float64Array(p * p), off);
          w.crossprod(n, p, px, ldx, c1);
          w.crossprod_scalar(n, p, px, ldx, c2);
          const expected = new Float64Array(p * p);
          const expectedW = new Float64Array(p * p);
          for (let j = 0; j < p; j++) {
            for (let k = 0; k < p; k++) {
              for (let i = 0; i < n; i++) {
                const v = (x[j * ldx + i] as number) * (x[k * ldx + i] as number);
                expected[k * p + j] = (expected[k * p + j] as number) + v;
                expectedW[k * p + j] = (expectedW[k * p + j] as number) + (wt[i] as number) * v;
              }
            }
          }
          const tol = { rtol: 1e-13, atol: 1e-13 };
          assertClose(core.view(c1, p * p), expected, tol, `crossprod ${n}x${p}`);
          assertClose(core.view(c2, p * p), expected, tol, `crossprod_scalar ${n}x${p}`);
          expect(core.view(c1 + p * p * 8, 1)[0]).toBe(SENTINEL);
          w.crossprod_w(n, p, px, ldx, pw, c1);
          w.crossprod_w_scalar(n, p, px, ldx, pw, c2);
          assertClose(core.view(c1, p * p), expectedW, tol, `crossprod_w ${n}x${p}`);
          assertClose(core.view(c2, p * p), expectedW, tol, `crossprod_w_scalar ${n}x${p}`);

          const x2 = placed(core, x, off);
          const m1 = placed(core, new Float64Array(p), 0);
          const m2 = placed(core, new Float64Array(p), 0);
          w.center(n, p, px, ldx, m1);
          w.center_scalar(n, p, x2, ldx, m2);
          assertClose(core.view(m1, p), core.view(m2, p), { rtol: 1e-14, atol: 1e-15 }, "means");
          for (let j = 0; j < p; j++) {
            const col = core.view(px + j * ldx * 8, n);
            assertClose(
              col.reduce((s, v) => s + v, 0),
              0,
              { atol: 1e-14 * Math.max(1, n) },
              `centred column ${j}`,
            );
          }
        });
      }
    });
  }
});

describe("gather_rows", () => {
  it("copies row perm[i] of each column to row i, and writes nothing past the output", () => {
    for (const [n, p] of SHAPES) {
      core.scoped(() => {
        const ldx = n + 2;
        const x = uniforms(`g${n}x${p}`, ldx * p);
        // A reversal with the first two rows swapped: every row moves, and one row stays put when n is odd.
        const perm = Array.from({ length: n }, (_, i) => n - 1 - i);
        if (n >= 2) [perm[0], perm[1]] = [perm[1] as number, perm[0] as number];
        const pperm = core.alloc(Math.ceil(n / 2) + 1);
        core.u32(pperm, n).set(perm);
        const px = placed(core, x, 0);
        const out = placed(core, new Float64Array(n * p).fill(Number.NaN), 1);
        w.gather_rows(n, p, px, ldx, pperm, out);
        const expected = new Float64Array(n * p);
        for (let j = 0; j < p; j++) {
          for (let i = 0; i < n; i++) expected[j * n + i] = x[j * ldx + (perm[i] as number)] as number;
        }
        expect(Array.from(core.view(out, n * p))).toEqual(Array.from(expected));
        expect(core.view(out + n * p * 8, 1)[0]).toBe(SENTINEL);
      });
    }
  });
});
