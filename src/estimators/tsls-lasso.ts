import type { Core } from "../core/memory.js";
import type { ParamSpec } from "../params.js";
import { type FirstStageFailure, firstStage, type LassoIvParams } from "./first-stage.js";
import { lassoStageBytes } from "./first-stage-lasso.js";
import { instrumentCount } from "./first-stage-ols.js";
import { failedRow, tRow } from "./inference.js";
import { hc1Variance, lsq, putCentred } from "./lsq.js";
import { tsls, tslsSecondStage } from "./tsls.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";
import { type DataShape, WORKSPACE_FLOOR } from "./workspace.js";

/** Parameters shared by `tsls_lasso` and `tsls_post_lasso` (LassoCV's, with scikit-learn's defaults). */
export type { LassoIvParams };

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

/**
 * The study's 2SLS-LASSO: X_hat = the (shrunken) LassoCV predictions of X from standardised G,
 * then OLS of Y on [1, X_hat]. The SE uses residuals Y - a - b X with the original X, as 2SLS does;
 * like 2SLS it ignores the uncertainty of the first stage (here including the selection).
 */
function fitShrunken(data: IndividualData, params: LassoIvParams, ctx: FitContext): EstimateRow {
  return ctx.core.scoped(shrunkenInCore, ctx.core, data, params, ctx.seed);
}

function shrunkenInCore(core: Core, data: IndividualData, params: LassoIvParams, seed: string | number): EstimateRow {
  const first = firstStage(core, data, { kind: "lasso", lasso: params, seed });
  if (first.status !== "ok") return lassoFailure("tsls_lasso", first, SHRUNKEN_EXTRAS);
  const { n } = data;
  const d = core.copy(first.xhat, n);
  core.wasm.center(n, 1, d, n, core.alloc(1));
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
  const row = tRow("tsls_lasso", estimate, se, df, { se_robust: seRobust, df, ...first.stats });
  return first.converged || row.status !== "ok" ? row : { ...row, status: "not_converged" };
}

/** A failed LASSO first stage's row: NaN numbers, and LassoCV's extras when it ran. */
function lassoFailure(id: string, first: FirstStageFailure, extras: readonly string[]): EstimateRow {
  const row = failedRow(id, first.status, extras);
  return first.lasso ? { ...row, extras: { ...row.extras, ...first.stats } } : row;
}

/** Post-lasso: ordinary 2SLS (all its inference) with only the SNPs LassoCV selected. */
function fitPost(data: IndividualData, params: LassoIvParams, ctx: FitContext): EstimateRow {
  return ctx.core.scoped(postInCore, ctx.core, data, params, ctx.seed);
}

function postInCore(core: Core, data: IndividualData, params: LassoIvParams, seed: string | number): EstimateRow {
  const first = firstStage(core, data, { kind: "post_lasso", lasso: params, seed });
  if (first.status !== "ok") return lassoFailure("tsls_post_lasso", first, POST_EXTRAS);
  const row = tslsSecondStage(core, "tsls_post_lasso", data, first, []);
  const { alpha, n_selected, cv_mse, lasso_iter } = first.stats;
  const merged = { ...row, extras: { ...row.extras, alpha, n_selected, cv_mse, lasso_iter } } as EstimateRow;
  return row.status === "ok" && !first.converged ? { ...merged, status: "not_converged" } : merged;
}

function makeFit(post: boolean) {
  const id = post ? "tsls_post_lasso" : "tsls_lasso";
  return (data: IndividualData, params: LassoIvParams, ctx: FitContext): EstimateRow => {
    const extrasNames = post ? POST_EXTRAS : SHRUNKEN_EXTRAS;
    if (instrumentCount(data) === 0) return failedRow(id, "no_instruments", extrasNames);
    if (data.n < params.folds * 2) return failedRow(id, "too_few_rows", extrasNames);
    return post ? fitPost(data, params, ctx) : fitShrunken(data, params, ctx);
  };
}

/**
 * 2SLS-LASSO's workspace: the LASSO first stage (no copy of G: lassoStageBytes) and the second
 * stage's n-vectors (centred X_hat, Y and X, residuals and their squares), with the floor. At
 * n = 100,000, L = 100 this is about 0.3 of the dataset (the default rule allows 3).
 */
function shrunkenWorkspace(shape: DataShape, params: LassoIvParams): number {
  return lassoStageBytes(shape, params) + 8 * 8 * shape.n + WORKSPACE_FLOOR;
}

/**
 * Post-LASSO's: the LassoCV selection, then OLS and 2SLS on the selected columns, which the OLS
 * first stage copies centred (all L of them at worst) beside a dozen n-vectors.
 */
function postWorkspace(shape: DataShape, params: LassoIvParams): number {
  return lassoStageBytes(shape, params) + 8 * shape.n * (shape.instruments + 16) + WORKSPACE_FLOOR;
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
  workspace: shrunkenWorkspace,
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
  workspace: postWorkspace,
  interval: () => "ignores_selection",
};
