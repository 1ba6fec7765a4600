import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import { DEFAULT_FOLDS } from "./cross-fit.js";
import { CROSS_FIT_PARAM, ctxFirstStage } from "./ctx-first-stage.js";
import { contextMatrix, contextNames, meanSd, personMse, resplitSpread } from "./ctx-stats.js";
import { type EncoderConfig, type EncoderFit, trainEncoder } from "./encoder.js";
import { ENCODER_PARAMS, encoderConfig, PRESETS } from "./encoder-presets.js";
import { firstStage } from "./first-stage.js";
import { failedRow, finiteStatus } from "./inference.js";
import { bootstrapInference, resampleData, resampleIndices } from "./person-bootstrap.js";
import { LASSO_DEFAULTS } from "./tsls-lasso.js";
import type { EstimateRow, FitContext, FitStatus, IndividualData, IndividualEstimator, IntervalKind } from "./types.js";

/**
 * Contextualized regression (Y_i = mu(C_i) + beta(C_i) X_i with an MLP encoder of the context C)
 * in the study's three forms: one stage on X, or on a first-stage X_hat from OLS on G or from the
 * study's LassoCV. Contextualisation is in the second stage only; G never enters the encoder and
 * C never enters the first stage, as in the study. `ctx_both` (the study's proposed extension)
 * contextualizes both: X_hat from the cross-fitted contextualized first stage of
 * src/estimators/ctx-first-stage.ts, with the same encoder settings in both stages.
 */
type Stage = "ols" | "tsls" | "tsls_lasso" | "ctx";

/** What one fit of both stages needs besides the data: the context, the encoder, the first stage's folds (ctx). */
interface StageOptions {
  names: readonly string[];
  cfg: EncoderConfig;
  folds: number;
}

/** The encoder's fit, with the contextualized first stage's held-out R^2 and epochs (ctx only). */
type StagesFit = EncoderFit & { first?: { r2: number; epochs: number } };

/** Parameters of the ctx_* estimators: an encoder preset with overrides, and the context columns (none: the data's role). */
export interface ContextualizedParams {
  preset: string;
  context: readonly string[];
  /** "resplit": n_bootstraps fits of the same data averaged; "persons": a person-level bootstrap of both stages. */
  bootstrap: "resplit" | "persons";
  [override: string]: unknown;
}

const PARAMS: readonly ParamSpec[] = [
  ...ENCODER_PARAMS,
  {
    name: "context",
    type: "strings",
    help: "context columns, standardised with the population SD before training (default: the data's context role: a DGP's context variables, fit's --context)",
  },
  {
    name: "bootstrap",
    type: "choice",
    choices: ["resplit", "persons"],
    help: "resplit: average n_bootstraps fits of the same data (their spread is not a CI); persons: one fit, plus a percentile CI from n_bootstraps (default 99) refits of both stages on persons drawn with replacement",
  },
];

/** B of the person-level bootstrap when n_bootstraps is not set: (B + 1) 0.025 = 2.5, cheap yet not crude. */
export const DEFAULT_PERSON_BOOTSTRAPS = 99;

const DEFAULTS: ContextualizedParams = {
  preset: "package-default",
  context: [],
  bootstrap: "resplit",
  ...Object.fromEntries(ENCODER_PARAMS.filter((s) => s.name !== "preset").map((s) => [s.name, null])),
};

/**
 * n_bootstraps: fits averaged (re-splits), or bootstrap resamples kept (persons); resplit_*: the
 * re-split spread of the fits' mean beta (NA with one fit and with the person-level bootstrap).
 */
const EXTRAS = [
  "beta_sd",
  "epochs",
  "val_mse",
  "person_mse",
  "n_bootstraps",
  "resplit_sd",
  "resplit_lower",
  "resplit_upper",
] as const;

/** ctx_both's extras: ctx_*'s, then the first stage's (held-out R^2 with cross_fit >= 2, mean epochs per fit). */
const BOTH_EXTRAS = [...EXTRAS, "first_stage_r2", "first_stage_epochs"] as const;

/** ctx_tsls's first stage: OLS of X on [1, G] (one object for every fit). */
const OLS_SPEC = { kind: "ols" } as const;

/**
 * The encoder on a linear first stage's X_hat (ctx_tsls: OLS on [1, G]; ctx_tsls_lasso: the
 * study's LassoCV), in one arena scope: the encoder reads X_hat where the first stage left it.
 * An OLS first stage that cannot be fitted (a constant or collinear SNP) counts as no instruments.
 */
function encoderOnFirstStage(
  core: Core,
  id: string,
  stage: "tsls" | "tsls_lasso",
  data: IndividualData,
  c: Float64Array,
  { names, cfg }: StageOptions,
  seed: string | number,
): EncoderFit | FitStatus {
  const spec = stage === "tsls" ? OLS_SPEC : { kind: "lasso" as const, lasso: LASSO_DEFAULTS, seed };
  const first = firstStage(core, data, spec);
  if (first.status !== "ok") return stage === "tsls" ? "no_instruments" : first.status;
  return trainEncoder(core, { n: data.n, p: names.length, c, x: first.xhat, y: data.outcome }, cfg, `${seed}:${id}`);
}

/** One fit of both stages (the first stage, then the encoder), or why it could not be made. */
function fitStages(
  id: string,
  stage: Stage,
  data: IndividualData,
  { names, cfg, folds }: StageOptions,
  ctx: FitContext,
): StagesFit | FitStatus {
  if (stage !== "ols" && data.instruments.cols === 0) return "no_instruments";
  if (data.n < 10) return "too_few_rows";
  const c = contextMatrix(id, data, names);
  if (stage === "ctx") {
    const opts = { c, p: names.length, cfg, folds, seed: `${ctx.seed}:${id}` };
    const first = ctxFirstStage(ctx.core, data, opts);
    if (typeof first === "string") return first;
    const fit = trainEncoder(
      ctx.core,
      { n: data.n, p: names.length, c, x: first.xhat, y: data.outcome },
      cfg,
      `${ctx.seed}:${id}`,
    );
    const epochs = first.epochs.reduce((s, e) => s + e, 0) / first.epochs.length;
    return { ...fit, first: { r2: first.r2, epochs } };
  }
  if (stage === "ols") {
    return trainEncoder(
      ctx.core,
      { n: data.n, p: names.length, c, x: data.exposure, y: data.outcome },
      cfg,
      `${ctx.seed}:${id}`,
    );
  }
  return ctx.core.scoped(encoderOnFirstStage, ctx.core, id, stage, data, c, { names, cfg, folds }, ctx.seed);
}

/** B of the person-level bootstrap: n_bootstraps, or DEFAULT_PERSON_BOOTSTRAPS when it is not set. */
export function personBootstraps(id: string, params: Record<string, unknown>): number {
  const b = params.n_bootstraps;
  if (b === null || b === undefined) return DEFAULT_PERSON_BOOTSTRAPS;
  if (typeof b !== "number" || b < 2) {
    throw errors.invalid(id, 'parameter n_bootstraps with bootstrap "persons"', "an integer >= 2", b);
  }
  return b;
}

/**
 * Mean beta of B refits of both stages, each on n persons drawn with replacement (one split and
 * initialisation each, seeded from the task seed and b). A resample whose fit fails (say, a
 * degenerate first stage) or gives a non-finite mean is left out; the row's n_bootstraps says how
 * many were kept.
 */
function personBootstrap(
  id: string,
  stage: Stage,
  data: IndividualData,
  opts: StageOptions,
  ctx: FitContext,
  b: number,
): number[] {
  const means: number[] = [];
  for (let k = 0; k < b; k++) {
    const idx = resampleIndices(data.n, `${ctx.seed}:${id}:persons:${k}`);
    const sample = resampleData(data, idx, opts.names);
    const fitted = fitStages(id, stage, sample, opts, { core: ctx.core, seed: `${ctx.seed}:persons:${k}` });
    if (typeof fitted === "string") continue;
    const m = meanSd(fitted.beta)[0];
    if (Number.isFinite(m)) means.push(m);
  }
  return means;
}

function makeFit(id: string, stage: Stage) {
  return (data: IndividualData, params: ContextualizedParams, ctx: FitContext): EstimateRow => {
    const names = contextNames(id, params.context, data);
    const persons = params.bootstrap === "persons";
    const b = persons ? personBootstraps(id, params) : 0;
    const cfg = persons ? { ...encoderConfig(params), n_bootstraps: 1 } : encoderConfig(params);
    const opts = { names, cfg, folds: stage === "ctx" ? (params.cross_fit as number) : 0 };
    const fitted = fitStages(id, stage, data, opts, ctx);
    if (typeof fitted === "string") return failedRow(id, fitted, stage === "ctx" ? BOTH_EXTRAS : EXTRAS);
    const [estimate, betaSd] = meanSd(fitted.beta);
    const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
    const fits = {
      beta_sd: betaSd,
      epochs: mean(fitted.epochs),
      val_mse: mean(fitted.valMse),
      person_mse: personMse(fitted.beta, ctx.truth),
      ...(fitted.first ? { first_stage_r2: fitted.first.r2, first_stage_epochs: fitted.first.epochs } : {}),
    };
    const converged = (status: FitStatus) =>
      status !== "ok" || fitted.stopped.every(Boolean) ? status : "not_converged";
    const units = { beta: fitted.beta, mu: fitted.mu };
    if (!persons) {
      return {
        estimator: id,
        estimate,
        se: Number.NaN,
        ci_lower: Number.NaN,
        ci_upper: Number.NaN,
        p_value: Number.NaN,
        status: converged(finiteStatus(estimate, null)),
        extras: { ...fits, n_bootstraps: fitted.bootMeans.length, ...resplitSpread(fitted.bootMeans) },
        units,
      };
    }
    const boots = personBootstrap(id, stage, data, opts, ctx, b);
    const inference = bootstrapInference(estimate, boots);
    return {
      estimator: id,
      estimate,
      ...inference,
      status: converged(finiteStatus(estimate, inference.se)),
      extras: { ...fits, n_bootstraps: boots.length, ...resplitSpread([]) },
      units,
    };
  };
}

/**
 * What ci_lower/ci_upper are: a percentile CI with the person-level bootstrap; with re-splits they
 * stay NA and the spread is reported as resplit_* (it omits the sampling variability of the data:
 * not a confidence interval); one fit has no interval.
 */
function interval(params: ContextualizedParams): IntervalKind {
  if (params.bootstrap === "persons") return "bootstrap_percentile";
  return encoderConfig(params).n_bootstraps > 1 ? "not_a_confidence_interval" : "none";
}

function estimator(
  id: string,
  label: string,
  stage: Stage,
  description: string,
): IndividualEstimator<ContextualizedParams> {
  return {
    id,
    label,
    description,
    input: "individual",
    params: PARAMS,
    defaults: DEFAULTS,
    extras: EXTRAS,
    uses: ["context"],
    units: ["beta", "mu"],
    fit: makeFit(id, stage),
    interval,
  };
}

/** Contextualized regression of Y on X (one stage; confounded like OLS). */
export const ctxOls = estimator(
  "ctx_ols",
  "Contextualized OLS",
  "ols",
  "Y = mu(C) + beta(C) X, encoder trained on X itself",
);

/** Contextualized regression on the OLS first stage. */
export const ctxTsls = estimator(
  "ctx_tsls",
  "Contextualized 2SLS",
  "tsls",
  "X_hat from OLS of X on [1, G], then Y = mu(C) + beta(C) X_hat",
);

/** Contextualized regression on the study's LassoCV first stage. */
export const ctxTslsLasso = estimator(
  "ctx_tsls_lasso",
  "Contextualized 2SLS-LASSO",
  "tsls_lasso",
  "X_hat = LassoCV predictions from standardised G, then Y = mu(C) + beta(C) X_hat",
);

/** Contextualized regression on the contextualized, cross-fitted first stage: both stages contextualized. */
export const ctxBoth: IndividualEstimator<ContextualizedParams> = {
  ...estimator(
    "ctx_both",
    "Contextualized first and second stage",
    "ctx",
    "X_hat from X = f_0(C) + sum_j f_j(C) G_j (K-fold cross-fitted), then Y = mu(C) + beta(C) X_hat",
  ),
  params: [...PARAMS, CROSS_FIT_PARAM],
  defaults: { ...DEFAULTS, cross_fit: DEFAULT_FOLDS },
  extras: BOTH_EXTRAS,
};

/** Names of the encoder presets, for help texts. */
export const PRESET_NAMES = Object.keys(PRESETS);
