import type { Core } from "../core/memory.js";
import type { FirstStage, FirstStageFailure, FirstStageStats, OlsBackedStage } from "./first-stage.js";
import { instrument, instrumentCount, olsOnColumns } from "./first-stage-ols.js";
import { type LassoCvResult, lassoCvAt } from "./lasso-cv.js";
import { Chunks, chunkDoubles, implicitDesign, predictInto } from "./lasso-design.js";
import type { IndividualData } from "./types.js";
import type { DataShape } from "./workspace.js";

/**
 * The LASSO kinds of the shared first stage: `lasso`, the study's LassoCV of X on standardised G
 * with X_hat its shrunken predictions, and `post_lasso`, OLS of X on the columns of G it selects.
 */

/** LassoCV's settings (scikit-learn's names and defaults: LASSO_DEFAULTS in tsls-lasso.ts). */
export interface LassoIvParams {
  folds: number;
  n_alphas: number;
  eps: number;
  max_iter: number;
  tol: number;
  shuffle: boolean;
}

/** The LassoCV fit behind a LASSO first stage. */
export interface LassoSelection {
  cv: LassoCvResult;
  nSelected: number;
  /** var(X_hat) / var(X) of the shrunken predictions: their R^2 (NaN when X is constant). */
  r2: number;
}

/**
 * Below this first-stage R^2 a LassoCV fit with selected SNPs counts as degenerate. When CV picks
 * alpha_max, the exact lasso solution is zero, but coordinate descent can leave one coefficient at
 * a few ulps (~1e-17; scikit-learn does the same), so X_hat is constant up to rounding, R^2 ~ 1e-30,
 * and the shrunken 2SLS slope cov(X_hat, Y) / var(X_hat) is ~1e15. The bound is scale-free (a ratio
 * of variances) and far from any real first stage: R^2 = 1e-12 is an F statistic of about n 1e-12,
 * under 1e-5 for any n up to 1e7, while a weak instrument (F ~ 1 to 10) has R^2 ~ 1 / n, about 1e-4
 * at the study's sizes; the rounding artefacts sit 18 orders of magnitude below the bound.
 */
export const DEGENERATE_R2 = 1e-12;

/** Whether a first stage with selected SNPs carries no usable signal (see `DEGENERATE_R2`). */
export function isDegenerate(stage: LassoSelection): boolean {
  return stage.nSelected > 0 && !(stage.r2 >= DEGENERATE_R2);
}

/** What the estimators report about LassoCV: the chosen alpha, SNPs kept, best mean CV MSE, iterations. */
function lassoStats(sel: LassoSelection): FirstStageStats {
  let cvMse = Number.POSITIVE_INFINITY;
  for (const m of sel.cv.meanMse) cvMse = Math.min(cvMse, m);
  return { alpha: sel.cv.alpha, n_selected: sel.nSelected, cv_mse: cvMse, lasso_iter: sel.cv.nIter };
}

/**
 * Population variance of n values in the core at `ptr`, centred by the core's `center` kernel
 * (a mean with one refinement pass) on a copy; `ptr` itself is left as it was.
 */
function varianceInCore(core: Core, ptr: number, n: number): number {
  const tmp = core.copy(ptr, n);
  core.wasm.center(n, 1, tmp, n, core.alloc(1));
  return core.wasm.dot(n, tmp, tmp) / n;
}

/**
 * Where G lies in the core, with its leading dimension: within the larger data's matrix when these
 * data are a range of its rows (sample 1 of two) and it is in the core, else G itself (a copy is
 * put there only when G is not in the core already).
 */
function instrumentsInCore(core: Core, data: IndividualData): { x: number; ld: number } {
  const rows = data.instrumentRows;
  if (rows && core.holds(rows.of.data)) return { x: rows.of.data.byteOffset + rows.start * 8, ld: rows.of.rows };
  return { x: core.at(data.instruments.data), ld: data.n };
}

/**
 * LassoCV of X on standardised G, its shrunken predictions written to `out` (n doubles). G is read
 * where it lies and standardised implicitly (lasso-design.ts): no n x p copy unless `shuffle`
 * permutes its rows. Runs in its own arena scope (the CV's buffers are freed), so only `out` stays.
 */
function lassoInCore(
  core: Core,
  data: IndividualData,
  params: LassoIvParams,
  foldSeed: string,
  out: number,
): LassoSelection {
  const { n } = data;
  const p = instrumentCount(data);
  const g = implicitDesign(core, instrumentsInCore(core, data), n, p, true);
  const cv = lassoCvAt(core, g, core.at(data.exposure), {
    folds: params.folds,
    nAlphas: params.n_alphas,
    eps: params.eps,
    maxIter: params.max_iter,
    tol: params.tol,
    shuffleSeed: params.shuffle ? foldSeed : null,
  });
  predictInto(new Chunks(core, g), core.put(cv.coef), cv.intercept, out);
  let nSelected = 0;
  for (let j = 0; j < p; j++) if (cv.coef[j] !== 0) nSelected++;
  const r2 = varianceInCore(core, out, n) / varianceInCore(core, core.at(data.exposure), n);
  return { cv, nSelected, r2 };
}

/**
 * Bytes of the core a LASSO first stage uses beyond the dataset, with G and X read where they lie
 * (in a fit or a sweep task): p x p moments (one per fold, their sum, the full Gram form, a fold's
 * training form while its path runs, two chunk cross-products, one to spare), two chunk buffers
 * (lasso-design.ts), p- and alpha-sized vectors, five n-vectors (a centred copy of X, X_hat, the
 * R^2's copies, a copy of X when it is not in the core), and with `shuffle` the row-permuted
 * copies of G and X.
 */
export function lassoStageBytes(shape: DataShape, params: LassoIvParams): number {
  const { n, instruments: p } = shape;
  const matrices = (params.folds + 6) * p * p;
  const vectors = 5 * n + (2 * params.folds + 24) * p + 2 * params.n_alphas;
  const shuffled = params.shuffle ? n * p + 2 * n : 0;
  return 8 * (matrices + vectors + 2 * chunkDoubles(n, p) + shuffled);
}

/** LassoCV into `out`; null when it keeps no SNP or only a degenerate fit (with the status). */
function select(core: Core, data: IndividualData, params: LassoIvParams, seed: string | number, out: number) {
  const sel = core.scoped(lassoInCore, core, data, params, `${seed}:lasso-folds`, out);
  const status = sel.nSelected === 0 ? "no_instruments" : isDegenerate(sel) ? "degenerate_first_stage" : null;
  return { sel, status } as const;
}

/** The `lasso` kind: X_hat = the shrunken LassoCV predictions from standardised G. */
export function lassoStage(
  core: Core,
  data: IndividualData,
  params: LassoIvParams,
  seed: string | number,
): FirstStage | FirstStageFailure {
  const xhat = core.alloc(data.n);
  const { sel, status } = select(core, data, params, seed, xhat);
  const stats = lassoStats(sel);
  if (status) return { status, kind: "lasso", lasso: sel, stats };
  return { status: "ok", kind: "lasso", n: data.n, xhat, lasso: sel, stats, converged: sel.cv.converged };
}

/**
 * The `post_lasso` kind: OLS of X on [1, the SNPs LassoCV selected] (the selected columns are read
 * where they are: no copy of G), with the OLS kind's statistics and LassoCV's.
 */
export function postLassoStage(
  core: Core,
  data: IndividualData,
  params: LassoIvParams,
  seed: string | number,
): OlsBackedStage | FirstStageFailure {
  const { sel, status } = core.scoped(selectScoped, core, data, params, seed);
  const lasso = lassoStats(sel);
  if (status) return { status, kind: "post_lasso", lasso: sel, stats: lasso };
  if (data.n - sel.nSelected - 1 < 1) return { status: "too_few_rows", kind: "post_lasso", lasso: sel, stats: lasso };
  const selected: Float64Array[] = [];
  for (let j = 0; j < instrumentCount(data); j++) if (sel.cv.coef[j] !== 0) selected.push(instrument(data, j));
  const ols = olsOnColumns(core, data, selected, []);
  if (ols.status !== "ok") return { status: ols.status, kind: "post_lasso", lasso: sel, stats: lasso };
  const stats = { ...ols.stats, ...lasso };
  return { ...ols, kind: "post_lasso", lasso: sel, stats, converged: sel.cv.converged };
}

/** `select` with its predictions in a scratch buffer of its own scope (post_lasso keeps only the selection). */
function selectScoped(core: Core, data: IndividualData, params: LassoIvParams, seed: string | number) {
  return select(core, data, params, seed, core.alloc(data.n));
}
