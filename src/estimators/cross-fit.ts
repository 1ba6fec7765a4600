import seedrandom from "seedrandom";
import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { lsq } from "./lsq.js";
import { permutation } from "./permutation.js";
import type { FitStatus } from "./types.js";

/**
 * K-fold cross-fitting of a first stage (Chernozhukov et al. 2018, "Double/debiased machine
 * learning", definition 3.1): each row's X_hat comes from a fit that never saw that row, so a
 * flexible first stage cannot carry the row's own first-stage error (and with it the confounder)
 * into X_hat.
 */

/** The default number of folds. */
export const DEFAULT_FOLDS = 5;

/**
 * The fold (0 .. K-1) of each of n rows: a seeded Fisher-Yates permutation (seedrandom's xor4096)
 * dealt round-robin, so the folds are random, their sizes differ by at most one, and the same
 * (n, K, seed) gives the same folds on every platform.
 */
export function crossFitFolds(n: number, K: number = DEFAULT_FOLDS, seed: string | number = 1): Int32Array {
  if (!Number.isInteger(K) || K < 2 || K > n) {
    throw errors.invalid("cross-fit", "the number of folds", `an integer in 2..n (n = ${n})`, K);
  }
  const rng = seedrandom.xor4096(String(seed));
  const perm = permutation(n, () => rng.double());
  const folds = new Int32Array(n);
  for (let i = 0; i < n; i++) folds[perm[i] as number] = i % K;
  return folds;
}

/** Predictions for the `test` rows from a model fitted on the `train` rows, or why it could not be fitted. */
export type FoldFit = (train: Int32Array, test: Int32Array) => Float64Array | { readonly reason: FitStatus };

/** Out-of-fold predictions for every row, or the first fold's failure. */
export type CrossFitResult =
  | { readonly ok: true; readonly xhat: Float64Array }
  | { readonly ok: false; readonly reason: FitStatus };

/** Cross-fits any first stage: for each fold, `fitPredict` on the other folds' rows predicts its rows. */
export function crossFit(folds: Int32Array, K: number, fitPredict: FoldFit): CrossFitResult {
  const n = folds.length;
  const xhat = new Float64Array(n);
  for (let k = 0; k < K; k++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === k ? test : train).push(i);
    const pred = fitPredict(Int32Array.from(train), Int32Array.from(test));
    if (!(pred instanceof Float64Array)) return { ok: false, reason: pred.reason };
    for (let t = 0; t < test.length; t++) xhat[test[t] as number] = pred[t] as number;
  }
  return { ok: true, xhat };
}

/** The mean of `v` over `rows`. */
function meanOver(v: Float64Array, rows: Int32Array): number {
  let s = 0;
  for (let r = 0; r < rows.length; r++) s += v[rows[r] as number] as number;
  return s / rows.length;
}

/**
 * The linear first stage as a FoldFit: OLS of x on [1, design] over the training rows (centred
 * with their own means, as lsq requires), predicting x_bar + (z - z_bar) b for the test rows.
 */
export function linearFoldFit(core: Core, design: readonly Float64Array[], x: Float64Array): FoldFit {
  return (train, test) => {
    const p = design.length;
    if (train.length - p - 1 < 1) return { reason: "too_few_rows" };
    const means = design.map((c) => meanOver(c, train));
    const mx = meanOver(x, train);
    const coef = core.scoped(() => {
      const m = train.length;
      const d = core.alloc(m * p);
      const y = core.alloc(m);
      const heap = core.heap;
      for (let j = 0; j < p; j++) {
        const c = design[j] as Float64Array;
        const at = (d >>> 3) + j * m;
        for (let r = 0; r < m; r++) heap[at + r] = (c[train[r] as number] as number) - (means[j] as number);
      }
      for (let r = 0; r < m; r++) heap[(y >>> 3) + r] = (x[train[r] as number] as number) - mx;
      const fit = lsq(core, m, p, d, y);
      return fit.ok ? fit.coef : fit.reason;
    });
    if (typeof coef === "string") return { reason: coef };
    const pred = new Float64Array(test.length).fill(mx);
    for (let j = 0; j < p; j++) {
      const c = design[j] as Float64Array;
      const b = coef[j] as number;
      const mj = means[j] as number;
      for (let t = 0; t < test.length; t++) pred[t] = (pred[t] as number) + ((c[test[t] as number] as number) - mj) * b;
    }
    return pred;
  };
}

/** Cross-fitted predictions of x by OLS on [1, design] (the linear first stage). */
export function crossFitLinear(
  core: Core,
  design: readonly Float64Array[],
  x: Float64Array,
  folds: Int32Array,
  K: number,
): CrossFitResult {
  return crossFit(folds, K, linearFoldFit(core, design, x));
}
