import type { Core } from "../core/memory.js";
import { chiSquareSf } from "../stats/dist.js";
import { COVARIATES_PARAM, covariateColumns } from "./covariates.js";
import { firstStage, type OlsBackedStage } from "./first-stage.js";
import { instrumentCount } from "./first-stage-ols.js";
import { failedRow, tRow } from "./inference.js";
import { hc1Variance, type LsqFactor, lsq, putCentred, solveFactored } from "./lsq.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";
import { olsStageWorkspace } from "./workspace.js";

/** Parameters of `tsls`. */
export interface TslsParams {
  covariates: readonly string[];
}

const EXTRAS = [
  "se_robust",
  "df",
  "first_stage_f",
  "first_stage_f_p",
  "partial_r2",
  "sargan",
  "sargan_df",
  "sargan_p",
] as const;

/**
 * Sargan's over-identification statistic: n R^2 of the 2SLS residuals on all exogenous variables
 * (centred R^2, as AER's ivreg diagnostics), chi-squared on L - 1 degrees of freedom.
 */
function sargan(core: Core, z: LsqFactor, resid: number, L: number) {
  if (L < 2) return { sargan: Number.NaN, sargan_df: Number.NaN, sargan_p: Number.NaN };
  const { n } = z;
  const e = core.copy(resid, n);
  core.wasm.center(n, 1, e, n, core.alloc(1));
  const tss = core.wasm.dot(n, e, e);
  const stat = n * (1 - solveFactored(core, z, e).rss / tss);
  return { sargan: stat, sargan_df: L - 1, sargan_p: chiSquareSf(stat, L - 1) };
}

/**
 * Two-stage least squares with one endogenous exposure: X on [1, G, W], then Y on [1, X_hat, W].
 * The SE uses residuals Y - b X - c W from the original X (not X_hat), on n - k degrees of freedom;
 * `se_robust` is HC1 with the projected regressors, as sandwich::vcovHC does for ivreg.
 */
function fitTsls(data: IndividualData, params: TslsParams, ctx: FitContext): EstimateRow {
  const { core } = ctx;
  const { n } = data;
  const L = instrumentCount(data);
  if (L === 0) return failedRow("tsls", "no_instruments", EXTRAS);
  const covs = covariateColumns("tsls", data, params.covariates);
  if (n - L - covs.length - 1 < 1) return failedRow("tsls", "too_few_rows", EXTRAS);
  return core.scoped(tslsInCore, core, data, covs);
}

/** The 2SLS fit proper, on buffers in the core (freed by the caller's scope). */
function tslsInCore(core: Core, data: IndividualData, covs: readonly Float64Array[]): EstimateRow {
  const first = firstStage(core, data, { kind: "ols", covariates: covs });
  if (first.status !== "ok") return failedRow("tsls", first.status, EXTRAS);
  return tslsSecondStage(core, "tsls", data, first, covs);
}

/**
 * The second stage of 2SLS on an OLS first stage (kinds `ols` and `post_lasso` of
 * src/estimators/first-stage.ts): Y on [1, X_hat, W] with the centred X_hat, and the row with
 * the first stage's strength and Sargan's statistic. Call it in the first stage's arena scope.
 */
export function tslsSecondStage(
  core: Core,
  id: string,
  data: IndividualData,
  first: OlsBackedStage,
  covs: readonly Float64Array[],
): EstimateRow {
  const { ols } = first;
  const { n } = data;
  const { x, z: zf } = ols;
  const L = zf.p - covs.length;
  const k = 2 + covs.length;
  const y = putCentred(core, [data.outcome], n);
  const wc = covs.length > 0 ? putCentred(core, covs, n) : 0;
  const p = 1 + covs.length;
  // [X_hat, W] with the centred X_hat = X - residuals (as fittedExposure) in the core; W follows it in the same buffer.
  const dhat = core.alloc(n * p);
  core.copyTo(dhat, x, n);
  core.wasm.axpy(n, -1, ols.resid, dhat);
  if (wc) core.copyTo(dhat + n * 8, wc, n * covs.length);
  const second = lsq(core, n, p, dhat, y);
  if (!second.ok) return failedRow(id, second.reason, EXTRAS);
  const estimate = second.coef[0] as number;
  const resid = core.copy(y, n);
  core.wasm.axpy(n, -estimate, x, resid);
  if (wc) core.wasm.gemv_n(n, covs.length, -1, wc, n, core.put(second.coef.subarray(1)), 1, resid);
  const df = n - k;
  const sigma2 = core.wasm.dot(n, resid, resid) / df;
  const se = Math.sqrt(sigma2 * (second.inv[0] as number));
  const seRobust = Math.sqrt(hc1Variance(core, n, p, dhat, resid, second.inv, k));
  const { first_stage_f, first_stage_f_p, partial_r2 } = first.stats;
  return tRow(id, estimate, se, df, {
    se_robust: seRobust,
    df,
    first_stage_f: first_stage_f as number,
    first_stage_f_p: first_stage_f_p as number,
    partial_r2: partial_r2 as number,
    ...sargan(core, zf, resid, L),
  });
}

/** Two-stage least squares. */
export const tsls: IndividualEstimator<TslsParams> = {
  id: "tsls",
  label: "2SLS",
  description: "two-stage least squares with all instruments (+ covariates in both stages)",
  params: [COVARIATES_PARAM],
  defaults: { covariates: [] },
  input: "individual",
  extras: EXTRAS,
  fit: fitTsls,
  // n-vectors: the first stage's X, residuals and X_hat; y, [X_hat, W], three residual vectors, their
  // squares, Sargan's centred residuals; 4 per covariate (its centred copy twice, [X_hat, W], and its
  // copy into the core when not there) and one for X when it is not in the core. G is read in place.
  workspace: (shape, p) => olsStageWorkspace(shape, p.covariates.length, 12 + 4 * p.covariates.length),
  // 2SLS has no exact finite-sample distribution (its t interval is off with weak instruments):
  // the interval is valid as n grows.
  interval: () => "asymptotic",
};
