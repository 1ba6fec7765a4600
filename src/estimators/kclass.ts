import { column } from "../core/matrix.js";
import type { ParamSpec } from "../params.js";
import { COVARIATES_PARAM, covariateColumns } from "./covariates.js";
import { failedRow } from "./inference.js";
import { type KappaRule, KCLASS_EXTRAS, kclassInCore } from "./kclass-core.js";
import type { CollinearPolicy } from "./rank.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";
import { olsStageWorkspace } from "./workspace.js";

/** Parameters of `kclass`. */
export interface KclassParams {
  kappa: "liml" | "fuller" | number;
  fuller_alpha: number;
  covariates: readonly string[];
  collinear: CollinearPolicy;
}

/** The `collinear` parameter: what a constant or linearly dependent instrument or control does. */
export const COLLINEAR_PARAM: ParamSpec = {
  name: "collinear",
  type: "choice",
  choices: ["refuse", "drop"],
  help: "an instrument or control in the span of the others (and the intercept): refuse (status collinear, as tsls) or drop it (the fit is unchanged; n_instruments gives the rank used)",
};

const PARAMS: readonly ParamSpec[] = [
  {
    name: "kappa",
    type: "choice",
    choices: ["liml", "fuller"],
    orNumber: true,
    min: 0,
    help: "k: liml (k_LIML, default), fuller (k_LIML - fuller_alpha / (n - K)) or a number (1 is 2SLS, 0 OLS)",
  },
  { name: "fuller_alpha", type: "number", above: 0, help: "Fuller's constant alpha (default 1)" },
  { ...COVARIATES_PARAM, help: "columns taken as exogenous controls (partialled out of Y, X and the instruments)" },
  COLLINEAR_PARAM,
];

/** The rule for k from the `kappa` and `fuller_alpha` parameters. */
export function kappaRule(kappa: KclassParams["kappa"], alpha: number): KappaRule {
  if (typeof kappa === "number") return { kind: "fixed", value: kappa };
  return kappa === "liml" ? { kind: "liml" } : { kind: "fuller", alpha };
}

/** The data's instruments as columns. */
export function instrumentColumns(data: IndividualData): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < data.instruments.cols; j++) out.push(column(data.instruments, j));
  return out;
}

/** A k-class row of `id` from the given instruments and controls (no instruments: status no_instruments). */
export function kclassRow(
  id: string,
  data: IndividualData,
  instruments: readonly Float64Array[],
  controls: readonly Float64Array[],
  kappa: KappaRule,
  collinear: CollinearPolicy,
  ctx: FitContext,
): EstimateRow {
  if (instruments.length === 0) return failedRow(id, "no_instruments", KCLASS_EXTRAS);
  return ctx.core.scoped(kclassInCore, ctx.core, {
    id,
    n: data.n,
    outcome: data.outcome,
    exposure: data.exposure,
    instruments,
    controls,
    kappa,
    collinear,
  });
}

/** The general k-class estimator: 2SLS (k = 1), LIML, Fuller(alpha), with exogenous controls. */
export const kclass: IndividualEstimator<KclassParams> = {
  id: "kclass",
  label: "k-class",
  description: "k-class IV with exogenous controls: LIML by default, Fuller(alpha), or a fixed k (1 is 2SLS)",
  params: PARAMS,
  defaults: { kappa: "liml", fuller_alpha: 1, covariates: [], collinear: "refuse" },
  input: "individual",
  extras: KCLASS_EXTRAS,
  fit: (data, p, ctx) =>
    kclassRow(
      "kclass",
      data,
      instrumentColumns(data),
      covariateColumns("kclass", data, p.covariates),
      kappaRule(p.kappa, p.fuller_alpha),
      p.collinear,
      ctx,
    ),
  // n-vectors: y, X, their residuals on Z, X_hat, the structural residuals, and X's copy when not in
  // the core; with controls, their centred copy, one residual at a time, and Z's centred copy (Z~ = M_C Z).
  workspace: (shape, p) => {
    const c = p.covariates.length;
    return olsStageWorkspace(shape, c, 8 + c + (c > 0 ? shape.instruments : 0));
  },
  // The t interval with the k-class SE is valid as n grows (LIML's and Fuller's finite-sample
  // distributions are not t; with weak instruments the interval undercovers).
  interval: () => "asymptotic",
};
