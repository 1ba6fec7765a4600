import type { ParamSpec } from "../params.js";
import { personBootstraps } from "./contextualized.js";
import { DEFAULT_FOLDS } from "./cross-fit.js";
import { CROSS_FIT_PARAM, type CtxFirstStage, ctxFirstStage } from "./ctx-first-stage.js";
import { contextMatrix, contextNames } from "./ctx-stats.js";
import type { EncoderConfig } from "./encoder.js";
import { ENCODER_PARAMS, encoderConfig } from "./encoder-presets.js";
import { failedRow, finiteStatus } from "./inference.js";
import { ols } from "./ols.js";
import { bootstrapInference, resampleData, resampleIndices } from "./person-bootstrap.js";
import { tsls } from "./tsls.js";
import type { EstimateRow, FitContext, FitStatus, IndividualData, IndividualEstimator, IntervalKind } from "./types.js";

/**
 * 2SLS with a contextualized first stage (the study's proposed extension, its section 6): X_hat from
 * X = f_0(C) + sum_j f_j(C) G_j (src/estimators/ctx-first-stage.ts, cross-fitted by default), then
 * a linear second stage with the context C as controls: Y = b + beta X_hat + C zeta ("ols"), or
 * X_hat as the one instrument of X in 2SLS with the controls C ("iv"). C is a control because the
 * first stage puts functions of C alone into X_hat (f_0, and f_j(C) times G_j's mean), and C is
 * not excluded from Y (the study DGP's `context: true` gives it direct effects zeta).
 * Why "iv" exists: cross-fitted X_hat = E[X | G, C] + estimation noise, and an OLS slope on a
 * noisy regressor is attenuated (errors in variables); as the instrument that noise only costs
 * precision. Measured by test/estimators/ctx-first-tsls-mc.test.ts.
 */

/** Parameters of `ctx_first_tsls`. */
export interface CtxFirstTslsParams {
  preset: string;
  context: readonly string[];
  /** K folds of the first stage; 0 or 1: fitted and predicted in-sample. */
  cross_fit: number;
  second_stage: "ols" | "iv";
  bootstrap: "resplit" | "persons";
  [override: string]: unknown;
}

const ID = "ctx_first_tsls";

const PARAMS: readonly ParamSpec[] = [
  ...ENCODER_PARAMS,
  {
    name: "context",
    type: "strings",
    help: "context columns C of the first stage's encoder (standardised), and controls in the second stage (default: the data's context role)",
  },
  CROSS_FIT_PARAM,
  {
    name: "second_stage",
    type: "choice",
    choices: ["ols", "iv"],
    help: "iv: 2SLS of Y on X with X_hat as the one instrument and C as controls (default); ols: Y on [1, X_hat, C], attenuated by the noise of a cross-fitted X_hat (errors in variables)",
  },
  {
    name: "bootstrap",
    type: "choice",
    choices: ["resplit", "persons"],
    help: "resplit: each first-stage fit averages n_bootstraps encoder fits; persons: a percentile CI from n_bootstraps (default 99) refits of both stages on persons drawn with replacement",
  },
];

const EXTRAS = ["se_robust", "df", "first_stage_r2", "epochs", "n_bootstraps"] as const;

/** Both stages on `data`: the second stage's row and the first stage, or why the first stage failed. */
function fitStages(
  data: IndividualData,
  params: CtxFirstTslsParams,
  cfg: EncoderConfig,
  ctx: FitContext,
): { row: EstimateRow; first: CtxFirstStage } | FitStatus {
  const names = params.context;
  const c = contextMatrix(ID, data, names);
  const opts = { c, p: names.length, cfg, folds: params.cross_fit, seed: `${ctx.seed}:${ID}` };
  const first = ctxFirstStage(ctx.core, data, opts);
  if (typeof first === "string") return first;
  const row =
    params.second_stage === "iv"
      ? tsls.fit({ ...data, instruments: { rows: data.n, cols: 1, data: first.xhat } }, { covariates: names }, ctx)
      : ols.fit({ ...data, exposure: first.xhat }, { covariates: names }, ctx);
  return { row, first };
}

/** Estimates of B refits of both stages on persons drawn with replacement (failed or non-finite ones left out). */
function personBootstrap(
  data: IndividualData,
  params: CtxFirstTslsParams,
  cfg: EncoderConfig,
  ctx: FitContext,
  b: number,
) {
  const boots: number[] = [];
  for (let k = 0; k < b; k++) {
    const sample = resampleData(data, resampleIndices(data.n, `${ctx.seed}:${ID}:persons:${k}`), params.context);
    const fitted = fitStages(sample, params, cfg, { core: ctx.core, seed: `${ctx.seed}:persons:${k}` });
    if (typeof fitted !== "string" && Number.isFinite(fitted.row.estimate)) boots.push(fitted.row.estimate);
  }
  return boots;
}

function fitCtxFirstTsls(data: IndividualData, given: CtxFirstTslsParams, ctx: FitContext): EstimateRow {
  const context = contextNames(ID, given.context, data);
  const params = { ...given, context };
  const persons = params.bootstrap === "persons";
  const cfg = persons ? { ...encoderConfig(params), n_bootstraps: 1 } : encoderConfig(params);
  const fitted = fitStages(data, params, cfg, ctx);
  if (typeof fitted === "string") return failedRow(ID, fitted, EXTRAS);
  const { row, first } = fitted;
  const extras = {
    se_robust: row.extras.se_robust ?? Number.NaN,
    df: row.extras.df ?? Number.NaN,
    first_stage_r2: first.r2,
    epochs: first.epochs.reduce((s, e) => s + e, 0) / first.epochs.length,
  };
  const status = row.status === "ok" && !first.stopped.every(Boolean) ? "not_converged" : row.status;
  if (!persons) return { ...row, estimator: ID, status, extras: { ...extras, n_bootstraps: cfg.n_bootstraps } };
  const boots = personBootstrap(data, params, cfg, ctx, personBootstraps(ID, params));
  const inference = bootstrapInference(row.estimate, boots);
  const bootStatus = status === "ok" ? finiteStatus(row.estimate, inference.se) : status;
  return { ...row, ...inference, estimator: ID, status: bootStatus, extras: { ...extras, n_bootstraps: boots.length } };
}

/**
 * The second stage's t interval treats X_hat as known; with "iv" and a cross-fitted X_hat that is
 * the 2SLS interval with a generated instrument fitted on other rows (valid as n grows); the
 * person-level bootstrap refits both stages.
 */
function interval(params: CtxFirstTslsParams): IntervalKind {
  if (params.bootstrap === "persons") return "bootstrap_percentile";
  return params.second_stage === "iv" && params.cross_fit > 1 ? "asymptotic" : "ignores_first_stage";
}

/** 2SLS with a contextualized, cross-fitted first stage. */
export const ctxFirstTsls: IndividualEstimator<CtxFirstTslsParams> = {
  id: ID,
  input: "individual",
  label: "2SLS, contextualized first stage",
  description:
    "X_hat from X = f_0(C) + sum_j f_j(C) G_j (the encoder's varying-coefficient head, K-fold cross-fitted), then Y = b + beta X_hat + C zeta (ols) or 2SLS with X_hat as the instrument and C as controls (iv)",
  params: PARAMS,
  defaults: {
    preset: "package-default",
    context: [],
    cross_fit: DEFAULT_FOLDS,
    second_stage: "iv",
    bootstrap: "resplit",
    ...Object.fromEntries(ENCODER_PARAMS.filter((s) => s.name !== "preset").map((s) => [s.name, null])),
  },
  extras: EXTRAS,
  uses: ["context"],
  fit: fitCtxFirstTsls,
  interval,
};
