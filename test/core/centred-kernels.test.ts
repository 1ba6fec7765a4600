import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { assertClose } from "../helpers/assert-close.js";
import { placed, SENTINEL } from "../helpers/placed.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();
const w = core.wasm;
/** Rows 0, 1, 2, 3, even and odd; columns 1 to 7 (odd counts leave a column out of the SIMD pairs). */
const SHAPES: Array<[number, number]> = [
  [0, 1],
  [0, 3],
  [1, 1],
  [2, 2],
  [3, 3],
  [16, 4],
  [17, 5],
  [33, 7],
  [64, 6],
  [101, 3],
];

/**
 * Each column of x (n x p, leading dimension n) placed on its own, `off` elements past a boundary
 * (so the design's columns are not evenly spaced), and the table of their addresses.
 */
function scattered(x: Float64Array, n: number, p: number, off: number): number {
  const ptrs = Array.from({ length: p }, (_, j) => placed(core, x.subarray(j * n, (j + 1) * n), (off + j) % 2));
  const cols = core.alloc(Math.ceil(p / 2) + 1);
  core.u32(cols, p).set(ptrs);
  return cols;
}

/** x centred by the `center` kernel in a dense copy, its means, and `center_scalar`'s means. */
function centredCopy(x: Float64Array, n: number, p: number) {
  const d = core.put(x);
  const m = core.alloc(Math.max(1, p));
  w.center(n, p, d, n, m);
  const m2 = core.alloc(Math.max(1, p));
  w.center_scalar(n, p, core.put(x), n, m2);
  return { d, means: core.read(m, p), scalarMeans: core.read(m2, p) };
}

describe("implicitly centred design kernels", () => {
  for (const off of [0, 1]) {
    it(`col_means is bitwise center's mean (and its twin center_scalar's); cross-product and products with vectors match the centred copy's (offset ${off})`, () => {
      for (const [n, p] of SHAPES) {
        core.scoped(() => {
          const x = uniforms(`c${n}x${p}`, n * p).map((v, k) => v + (k % 3));
          const cols = scattered(x, n, p, off);
          const ref = centredCopy(x, n, p);
          const m1 = placed(core, new Float64Array(p), off);
          const m2 = placed(core, new Float64Array(p), off);
          w.col_means(n, p, cols, m1);
          w.col_means_scalar(n, p, cols, m2);
          expect(Array.from(core.view(m1, p))).toEqual(Array.from(ref.means));
          expect(Array.from(core.view(m2, p))).toEqual(Array.from(ref.scalarMeans));
          expect(core.view(m1 + p * 8, 1)[0]).toBe(SENTINEL);

          const expected = core.alloc(p * p);
          w.crossprod(n, p, ref.d, n, expected);
          const tol = { rtol: 1e-13, atol: 1e-13 };
          for (const rows of [2, 6, 64]) {
            const scratch = core.alloc(rows * p + p * p);
            const c1 = placed(core, new Float64Array(p * p).fill(Number.NaN), off);
            const c2 = placed(core, new Float64Array(p * p).fill(Number.NaN), off);
            w.centred_crossprod(n, p, cols, m1, rows, scratch, c1);
            w.centred_crossprod_scalar(n, p, cols, m1, rows, scratch, c2);
            assertClose(core.view(c1, p * p), core.view(expected, p * p), tol, `crossprod ${n}x${p}, ${rows} rows`);
            assertClose(core.view(c2, p * p), core.view(expected, p * p), tol, `scalar ${n}x${p}, ${rows} rows`);
            expect(core.view(c1 + p * p * 8, 1)[0]).toBe(SENTINEL);
          }

          const y = placed(core, uniforms(`y${n}`, n), off + 1);
          const t1 = placed(core, new Float64Array(p).fill(Number.NaN), off);
          const t2 = placed(core, new Float64Array(p).fill(Number.NaN), off);
          const tExpected = core.alloc(p);
          w.gemv_t(n, p, 1, ref.d, n, y, 0, tExpected);
          w.centred_gemv_t(n, p, cols, m1, y, t1);
          w.centred_gemv_t_scalar(n, p, cols, m1, y, t2);
          assertClose(core.view(t1, p), core.view(tExpected, p), tol, `gemv_t ${n}x${p}`);
          assertClose(core.view(t2, p), core.view(tExpected, p), tol, `gemv_t scalar ${n}x${p}`);
          expect(core.view(t1 + p * 8, 1)[0]).toBe(SENTINEL);

          const b = placed(core, uniforms(`b${p}`, p), off);
          const r0 = uniforms(`r${n}`, n);
          const r1 = placed(core, r0, off);
          const r2 = placed(core, r0, off);
          const rExpected = core.put(r0);
          w.gemv_n(n, p, -1.5, ref.d, n, b, 1, rExpected);
          w.centred_gemv_n(n, p, -1.5, cols, m1, b, r1);
          w.centred_gemv_n_scalar(n, p, -1.5, cols, m1, b, r2);
          expect(Array.from(core.view(r1, n + 1))).toEqual(Array.from(core.view(r2, n + 1)));
          assertClose(core.view(r1, n), core.view(rExpected, n), tol, `gemv_n ${n}x${p}`);
        });
      }
    });
  }

  it("keeps the accuracy of centring first when a mean is large against its column's spread (2000 + small noise)", () => {
    core.scoped(() => {
      const n = 20_000;
      const p = 2;
      const noise = uniforms("noise", 2 * n);
      const x = new Float64Array(n * p);
      for (let i = 0; i < n; i++) {
        x[i] = 2000 + 1e-3 * ((noise[i] as number) - 0.5);
        x[n + i] = (noise[n + i] as number) - 0.5;
      }
      // Reference: the cross-product of the columns centred in JavaScript on their exact-as-can-be means.
      const mean = (j: number) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += x[j * n + i] as number;
        let r = 0;
        for (let i = 0; i < n; i++) r += (x[j * n + i] as number) - s / n;
        return s / n + r / n;
      };
      const m = [mean(0), mean(1)] as const;
      const ref = new Float64Array(4);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) {
          let s = 0;
          for (let i = 0; i < n; i++)
            s += ((x[a * n + i] as number) - (m[a] as number)) * ((x[b * n + i] as number) - (m[b] as number));
          ref[b * p + a] = s;
        }
      }
      const cols = scattered(x, n, p, 0);
      const means = core.alloc(p);
      w.col_means(n, p, cols, means);
      const c = core.alloc(p * p);
      w.centred_crossprod(n, p, cols, means, 256, core.alloc(256 * p + p * p), c);
      assertClose(core.view(c, 4), ref, { rtol: 1e-9, atol: 0 }, "centred cross-product");
      // The shortcut X^T X - n m m^T loses most of the digits of the first column's sum of squares.
      const raw = core.alloc(p * p);
      w.crossprod(n, p, core.put(x), n, raw);
      const mv = core.view(means, p);
      const shortcut = (core.view(raw, 1)[0] as number) - n * (mv[0] as number) ** 2;
      expect(Math.abs(shortcut - (ref[0] as number)) / (ref[0] as number)).toBeGreaterThan(1e-6);
    });
  });
});
