import type { Core } from "../core/memory.js";
import type { ParamSpec } from "../params.js";
import { failedRow, tRow } from "./inference.js";
import { type LassoCvResult, lassoCvAt } from "./lasso-cv.js";
import { hc1Variance, lsq, putCentred } from "./lsq.js";
import { tsls } from "./tsls.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";

/** Parameters shared by `tsls_lasso` and `tsls_post_lasso` (LassoCV's, with scikit-learn's defaults). */
export interface LassoIvParams {
  folds: number;
  n_alphas: number;
  eps: number;
  max_iter: number;
  tol: number;
  shuffle: boolean;
}

const PARAMS: readonly ParamSpec[] = [
  { name: "folds", type: "int", min: 2, help: "cross-validation folds (contiguous, as scikit-learn's KFold)" },
  { name: "n_alphas", type: "int", min: 2, help: "length of the alpha grid" },
  { name: "eps", type: "number", above: 0, max: 1, help: "alpha_min / alpha_max" },
  { name: "max_iter", type: "int", min: 1, help: "coordinate-descent sweeps per alpha" },
  { name: "tol", type: "number", above: 0, help: "duality-gap tolerance, relative to ||y - mean(y)||^2" },
  { name: "shuffle", type: "boolean", help: "shuffle rows before splitting into folds (seeded by the task seed)" },
];

/** LassoCV settings with scikit-learn's defaults. */
export const LASSO_DEFAULTS: LassoIvParams = {
  folds: 5,
  n_alphas: 100,
  eps: 1e-3,
  max_iter: 1000,
  tol: 1e-4,
  shuffle: false,
};

const LASSO_EXTRAS = ["alpha", "n_selected", "cv_mse", "lasso_iter"] as const;
const SHRUNKEN_EXTRAS = ["se_robust", "df", ...LASSO_EXTRAS];
const POST_EXTRAS = [...tsls.extras, ...LASSO_EXTRAS];

/** Standardises the n x p matrix at `pg` in place with the population SD (a constant column is left centred, scale 1, as StandardScaler does). */
function standardizeAt(core: Core, pg: number, n: number, p: number): void {
  core.wasm.center(n, p, pg, n, core.alloc(p));
  for (let j = 0; j < p; j++) {
    const col = pg + j * n * 8;
    const sd = core.wasm.nrm2(n, col) / Math.sqrt(n);
    if (sd > 0) core.wasm.scal(n, 1 / sd, col);
  }
}

function lassoExtras(cv: LassoCvResult, nSelected: number): Record<string, number> {
  let cvMse = Number.POSITIVE_INFINITY;
  for (const m of cv.meanMse) cvMse = Math.min(cvMse, m);
  return { alpha: cv.alpha, n_selected: nSelected, cv_mse: cvMse, lasso_iter: cv.nIter };
}

/**
 * The study's 2SLS-LASSO: X_hat = the (shrunken) LassoCV predictions of X from standardised G,
 * then OLS of Y on [1, X_hat]. The SE uses residuals Y - a - b X with the original X, as 2SLS does;
 * like 2SLS it ignores the uncertainty of the first stage (here including the selection).
 */
function fitShrunken(data: IndividualData, stage: LassoFirstStage, ctx: FitContext): EstimateRow {
  return ctx.core.scoped(shrunkenInCore, ctx.core, data, stage);
}

function shrunkenInCore(core: Core, data: IndividualData, stage: LassoFirstStage): EstimateRow {
  const { n } = data;
  const { cv, nSelected } = stage;
  const d = putCentred(core, [stage.xhat], n);
  const y = putCentred(core, [data.outcome], n);
  const x = putCentred(core, [data.exposure], n);
  const fit = lsq(core, n, 1, d, y);
  if (!fit.ok) return failedRow("tsls_lasso", "no_instruments", SHRUNKEN_EXTRAS);
  const estimate = fit.coef[0] as number;
  const resid = core.copy(y, n);
  core.wasm.axpy(n, -estimate, x, resid);
  const df = n - 2;
  const se = Math.sqrt((core.wasm.dot(n, resid, resid) / df) * (fit.inv[0] as number));
  const seRobust = Math.sqrt(hc1Variance(core, n, 1, d, resid, fit.inv, 2));
  const row = tRow("tsls_lasso", estimate, se, df, { se_robust: seRobust, df, ...lassoExtras(cv, nSelected) });
  return cv.converged || row.status !== "ok" ? row : { ...row, status: "not_converged" };
}

/** Post-lasso: ordinary 2SLS (all its inference) with only the SNPs LassoCV selected. */
function fitPost(data: IndividualData, cv: LassoCvResult, ctx: FitContext): EstimateRow {
  const selected = Array.from(cv.coef, (c, j) => (c !== 0 ? j : -1)).filter((j) => j >= 0);
  const g = data.instruments;
  const n = data.n;
  const sub: IndividualData = {
    ...data,
    instruments: {
      rows: n,
      cols: selected.length,
      data: Float64Array.from(
        { length: n * selected.length },
        (_, k) => g.data[(selected[Math.floor(k / n)] as number) * n + (k % n)] as number,
      ),
    },
    instrumentNames: selected.map((j) => data.instrumentNames[j] as string),
  };
  const row = tsls.fit(sub, { covariates: [] }, ctx);
  const merged = {
    ...row,
    estimator: "tsls_post_lasso",
    extras: { ...row.extras, ...lassoExtras(cv, selected.length) },
  };
  return row.status === "ok" && !cv.converged ? { ...merged, status: "not_converged" } : merged;
}

/** The LassoCV first stage: X_hat = the shrunken predictions from standardised G, with the fit behind it. */
export interface LassoFirstStage {
  cv: LassoCvResult;
  nSelected: number;
  xhat: Float64Array;
  /** var(X_hat) / var(X): the first stage's R^2 (NaN when X is constant). */
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
export function isDegenerate(stage: LassoFirstStage): boolean {
  return stage.nSelected > 0 && !(stage.r2 >= DEGENERATE_R2);
}

/**
 * Population variance of n values in the core at `ptr`, centred by the core's `center` kernel
 * (a mean with one refinement pass) on a copy; `ptr` itself is left as it was.
 */
function varianceInCore(core: Core, ptr: number, n: number): number {
  const tmp = core.alloc(n);
  core.view(tmp, n).set(core.view(ptr, n));
  core.wasm.center(n, 1, tmp, n, core.alloc(1));
  return core.wasm.dot(n, tmp, tmp) / n;
}

/** Runs the study's LassoCV first stage (G standardised with the population SD). */
export function lassoFirstStage(data: IndividualData, params: LassoIvParams, ctx: FitContext): LassoFirstStage {
  return ctx.core.scoped(firstStageInCore, ctx.core, data, params, `${ctx.seed}:lasso-folds`);
}

function firstStageInCore(core: Core, data: IndividualData, params: LassoIvParams, foldSeed: string): LassoFirstStage {
  const { n } = data;
  const p = data.instruments.cols;
  const g = core.put(data.instruments.data);
  standardizeAt(core, g, n, p);
  const cv = lassoCvAt(core, g, core.at(data.exposure), n, p, {
    folds: params.folds,
    nAlphas: params.n_alphas,
    eps: params.eps,
    maxIter: params.max_iter,
    tol: params.tol,
    shuffleSeed: params.shuffle ? foldSeed : null,
  });
  const out = core.alloc(n);
  core.view(out, n).fill(cv.intercept);
  core.wasm.gemv_n(n, p, 1, g, n, core.put(cv.coef), 1, out);
  let nSelected = 0;
  for (let j = 0; j < p; j++) if (cv.coef[j] !== 0) nSelected++;
  const xhat = core.read(out, n);
  return { cv, nSelected, xhat, r2: varianceInCore(core, out, n) / varianceInCore(core, core.at(data.exposure), n) };
}

function makeFit(post: boolean) {
  const id = post ? "tsls_post_lasso" : "tsls_lasso";
  return (data: IndividualData, params: LassoIvParams, ctx: FitContext): EstimateRow => {
    const extrasNames = post ? POST_EXTRAS : SHRUNKEN_EXTRAS;
    if (data.instruments.cols === 0) return failedRow(id, "no_instruments", extrasNames);
    if (data.n < params.folds * 2) return failedRow(id, "too_few_rows", extrasNames);
    const stage = lassoFirstStage(data, params, ctx);
    if (stage.nSelected === 0 || isDegenerate(stage)) {
      const row = failedRow(id, stage.nSelected === 0 ? "no_instruments" : "degenerate_first_stage", extrasNames);
      return { ...row, extras: { ...row.extras, ...lassoExtras(stage.cv, stage.nSelected) } };
    }
    return post ? fitPost(data, stage.cv, ctx) : fitShrunken(data, stage, ctx);
  };
}

/** The study's 2SLS-LASSO: shrunken LassoCV predictions as the first stage. */
export const tslsLasso: IndividualEstimator<LassoIvParams> = {
  id: "tsls_lasso",
  label: "2SLS-LASSO",
  description: "the study's: LassoCV of X on standardised G, then OLS of Y on the shrunken predictions",
  input: "individual",
  params: PARAMS,
  defaults: LASSO_DEFAULTS,
  extras: SHRUNKEN_EXTRAS,
  fit: makeFit(false),
  // The SE treats the LassoCV-selected first stage as if it had been fixed in advance.
  interval: () => "ignores_selection",
};

/** Post-lasso 2SLS: 2SLS with the SNPs that LassoCV selected. */
export const tslsPostLasso: IndividualEstimator<LassoIvParams> = {
  id: "tsls_post_lasso",
  label: "2SLS post-LASSO",
  description: "what the study's text describes: ordinary 2SLS using only the LassoCV-selected SNPs",
  input: "individual",
  params: PARAMS,
  defaults: LASSO_DEFAULTS,
  extras: POST_EXTRAS,
  fit: makeFit(true),
  interval: () => "ignores_selection",
};
