import type { Core } from "../core/memory.js";
import { COVARIATES_PARAM, covariateColumns } from "./covariates.js";
import { failedRow, tRow } from "./inference.js";
import { hc1Variance, lsq, putCentred } from "./lsq.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";

/** Parameters of `ols`. */
export interface OlsParams {
  covariates: readonly string[];
}

const EXTRAS = ["se_robust", "df"] as const;

/**
 * Y on X with an intercept (and covariates): the confounded observational slope. SE from the
 * homoskedastic residual variance on n - k degrees of freedom; `se_robust` is HC1.
 */
function fitOls(data: IndividualData, params: OlsParams, ctx: FitContext): EstimateRow {
  const { core } = ctx;
  const { n } = data;
  const covs = covariateColumns("ols", data, params.covariates);
  const p = 1 + covs.length;
  const df = n - p - 1;
  if (df < 1) return failedRow("ols", "too_few_rows", EXTRAS);
  return core.scoped(olsInCore, core, data, covs, df);
}

function olsInCore(core: Core, data: IndividualData, covs: readonly Float64Array[], df: number): EstimateRow {
  const { n } = data;
  const p = 1 + covs.length;
  const d = putCentred(core, [data.exposure, ...covs], n);
  const y = putCentred(core, [data.outcome], n);
  const fit = lsq(core, n, p, d, y);
  if (!fit.ok) return failedRow("ols", fit.reason, EXTRAS);
  const estimate = fit.coef[0] as number;
  const se = Math.sqrt((fit.rss / df) * (fit.inv[0] as number));
  const seRobust = Math.sqrt(hc1Variance(core, n, p, d, fit.resid, fit.inv, p + 1));
  return tRow("ols", estimate, se, df, { se_robust: seRobust, df });
}

/** Ordinary least squares of the outcome on the exposure. */
export const ols: IndividualEstimator<OlsParams> = {
  id: "ols",
  label: "OLS",
  description: "Y ~ 1 + X (+ covariates); confounded by U, shown as the naive baseline",
  params: [COVARIATES_PARAM],
  defaults: { covariates: [] },
  input: "individual",
  extras: EXTRAS,
  fit: fitOls,
  // [X, W] and y centred, the residuals and their squares (c + 4 n-vectors, c covariates), p x p
  // cross-products; two n-vectors and 64 KiB to spare for the small allocations' alignment.
  workspace: (shape, p) => {
    const k = 2 + p.covariates.length;
    return 8 * ((p.covariates.length + 6) * shape.n + 4 * k * k) + (64 << 10);
  },
  // The t interval of a linear regression is exact under normal homoskedastic errors (for OLS's own
  // estimand, which is confounded: its coverage of the causal effect is another matter).
  interval: () => "exact",
};
