import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { MrsweepError } from "../../src/errors.js";
import { crossFitFolds, crossFitLinear } from "../../src/estimators/cross-fit.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();

/** Least squares of x on [1, z_1 .. z_p] over `rows` by the normal equations and Gauss-Jordan with partial pivoting. */
function olsCoef(z: readonly Float64Array[], x: Float64Array, rows: readonly number[]): number[] {
  const q = z.length + 1;
  const a = (i: number, j: number) => (j === 0 ? 1 : ((z[j - 1] as Float64Array)[i] as number));
  const m = Array.from({ length: q }, (_, r) => {
    const row = new Array<number>(q + 1).fill(0);
    for (const i of rows) {
      for (let c = 0; c < q; c++) row[c] = (row[c] as number) + a(i, r) * a(i, c);
      row[q] = (row[q] as number) + a(i, r) * (x[i] as number);
    }
    return row;
  });
  for (let c = 0; c < q; c++) {
    let piv = c;
    for (let r = c + 1; r < q; r++) if (Math.abs(m[r]?.[c] as number) > Math.abs(m[piv]?.[c] as number)) piv = r;
    [m[c], m[piv]] = [m[piv] as number[], m[c] as number[]];
    const pr = m[c] as number[];
    const d = pr[c] as number;
    for (let k = c; k <= q; k++) pr[k] = (pr[k] as number) / d;
    for (let r = 0; r < q; r++) {
      if (r === c) continue;
      const row = m[r] as number[];
      const f = row[c] as number;
      for (let k = c; k <= q; k++) row[k] = (row[k] as number) - f * (pr[k] as number);
    }
  }
  return m.map((row) => row[q] as number);
}

/** n rows of p regressors and an x that depends on them. */
function dataset(n: number, p: number, seed: string) {
  const z = Array.from({ length: p }, (_, j) => uniforms(`${seed}-z${j}`, n).map((v) => 3 * v + j));
  const e = uniforms(`${seed}-e`, n);
  const x = Float64Array.from(e, (v, i) => 0.5 + v + z.reduce((s, c, j) => s + (j + 1) * 0.3 * (c[i] as number), 0));
  return { z, x };
}

describe("crossFitFolds", () => {
  it("puts every row in one of K folds of sizes floor(n/K) or ceil(n/K), the same for the same seed", () => {
    const folds = crossFitFolds(103, 5, "s");
    const sizes = [0, 1, 2, 3, 4].map((k) => folds.filter((f) => f === k).length);
    expect(sizes.sort()).toEqual([20, 20, 21, 21, 21]);
    expect(folds.every((f) => f >= 0 && f < 5)).toBe(true);
    expect(crossFitFolds(103, 5, "s")).toEqual(folds);
    expect(crossFitFolds(103, 5, "t")).not.toEqual(folds);
    // Random, not contiguous blocks: the first 20 rows are not all in one fold.
    expect(new Set(folds.subarray(0, 20)).size).toBeGreaterThan(1);
  });

  it("refuses K outside 2..n with an input error", () => {
    for (const K of [1, 11, 2.5]) {
      expect(() => crossFitFolds(10, K, 1)).toThrow(MrsweepError);
      expect(() => crossFitFolds(10, K, 1)).toThrow(
        new RegExp(`^cross-fit: the number of folds must be an integer in 2\\.\\.n \\(n = 10\\); got ${K}$`),
      );
    }
  });
});

describe("crossFitLinear: out-of-fold OLS predictions", () => {
  const n = 53;
  const { z, x } = dataset(n, 3, "cf");

  it("equals OLS on the other folds (normal equations), row by row, for K = 2, 5 and 7", () => {
    for (const K of [2, 5, 7]) {
      const folds = crossFitFolds(n, K, `seed${K}`);
      const got = crossFitLinear(core, z, x, folds, K);
      if (!got.ok) throw new Error(got.reason);
      for (let k = 0; k < K; k++) {
        const rows = [...folds.keys()].filter((i) => folds[i] !== k);
        const b = olsCoef(z, x, rows);
        for (let i = 0; i < n; i++) {
          if (folds[i] !== k) continue;
          const want = z.reduce((s, c, j) => s + (b[j + 1] as number) * (c[i] as number), b[0] as number);
          assertClose(got.xhat[i] as number, want, { rtol: 1e-10, atol: 1e-12 }, `K ${K} row ${i}`);
        }
      }
    }
  });

  it("never uses a row's own x: changing x in one fold leaves that fold's predictions unchanged", () => {
    const folds = crossFitFolds(n, 5, 9);
    const before = crossFitLinear(core, z, x, folds, 5);
    const x2 = Float64Array.from(x, (v, i) => (folds[i] === 2 ? v + 100 : v));
    const after = crossFitLinear(core, z, x2, folds, 5);
    if (!before.ok || !after.ok) throw new Error("fit failed");
    for (let i = 0; i < n; i++) {
      if (folds[i] === 2) expect(after.xhat[i]).toBe(before.xhat[i]);
      else expect(Math.abs((after.xhat[i] as number) - (before.xhat[i] as number))).toBeGreaterThan(1e-6);
    }
  });

  it("reports too_few_rows and collinear instead of throwing", () => {
    const folds = crossFitFolds(8, 4, 1);
    const wide = dataset(8, 6, "wide");
    expect(crossFitLinear(core, wide.z, wide.x, folds, 4)).toEqual({ ok: false, reason: "too_few_rows" });
    const twice = [z[0] as Float64Array, Float64Array.from(z[0] as Float64Array, (v) => 2 * v)];
    expect(crossFitLinear(core, twice, x, crossFitFolds(n, 5, 1), 5)).toEqual({ ok: false, reason: "collinear" });
  });
});
