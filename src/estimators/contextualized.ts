import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import { CONTEXT_NAMES } from "../sim/study.js";
import { trainEncoder } from "./encoder.js";
import { ENCODER_PARAMS, encoderConfig, PRESETS } from "./encoder-presets.js";
import { failedRow, finiteStatus } from "./inference.js";
import { lsq, putCentred } from "./lsq.js";
import { isDegenerate, LASSO_DEFAULTS, lassoFirstStage } from "./tsls-lasso.js";
import type { EstimateRow, Estimator, FitContext, IndividualData, IntervalKind } from "./types.js";

/**
 * Contextualized regression (Y_i = mu(C_i) + beta(C_i) X_i with an MLP encoder of the context C)
 * in the study's three forms: one stage on X, or on a first-stage X_hat from OLS on G or from the
 * study's LassoCV. Contextualisation is in the second stage only; G never enters the encoder and
 * C never enters the first stage, as in the study.
 */
type Stage = "ols" | "tsls" | "tsls_lasso";

/** Parameters of the ctx_* estimators: an encoder preset with overrides, and the context columns. */
export interface ContextualizedParams {
  preset: string;
  context: readonly string[];
  [override: string]: unknown;
}

const PARAMS: readonly ParamSpec[] = [
  ...ENCODER_PARAMS,
  { name: "context", type: "strings", help: "context columns (standardised with the population SD before training)" },
];

const DEFAULTS: ContextualizedParams = {
  preset: "package-default",
  context: [...CONTEXT_NAMES],
  ...Object.fromEntries(ENCODER_PARAMS.filter((s) => s.name !== "preset").map((s) => [s.name, null])),
};

const EXTRAS = ["beta_sd", "epochs", "val_mse", "person_mse", "n_bootstraps"] as const;

/** C as n x p row-major, each column standardised with the population SD (a constant column becomes 0). */
function contextMatrix(where: string, data: IndividualData, names: readonly string[]): Float64Array {
  const n = data.n;
  const p = names.length;
  const c = new Float64Array(n * p);
  names.forEach((name, j) => {
    const col = data.columns.get(name);
    if (!col) throw errors.missingColumn(where, name, [...data.columns.keys()]);
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i] as number;
    const mean = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((col[i] as number) - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    for (let i = 0; i < n; i++) c[i * p + j] = sd > 0 ? ((col[i] as number) - mean) / sd : 0;
  });
  return c;
}

/** OLS first stage: fitted values of X on [1, G]; null when G is constant or collinear. */
function olsFitted(core: Core, data: IndividualData): Float64Array | null {
  const { n } = data;
  const g = data.instruments;
  return core.scoped(() => {
    const z = putCentred(
      core,
      Array.from({ length: g.cols }, (_, j) => g.data.subarray(j * n, (j + 1) * n)),
      n,
    );
    const x = putCentred(core, [data.exposure], n);
    const fit = lsq(core, n, g.cols, z, x);
    if (!fit.ok) return null;
    const r = core.view(fit.resid, n);
    return Float64Array.from(data.exposure, (v, i) => v - (r[i] as number));
  });
}

/** Mean and sample SD. */
function meanSd(v: ArrayLike<number>): [number, number] {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((v[i] as number) - mean) ** 2;
  return [mean, Math.sqrt(ss / (n - 1))];
}

/** The q-quantile of sorted values by linear interpolation (numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

function makeFit(id: string, stage: Stage) {
  return (data: IndividualData, params: ContextualizedParams, ctx: FitContext): EstimateRow => {
    const cfg = encoderConfig(params);
    const names = params.context;
    if (names.length === 0) throw errors.invalid(id, "parameter context", "at least one column", "none");
    if (stage !== "ols" && data.instruments.cols === 0) return failedRow(id, "no_instruments", EXTRAS);
    if (data.n < 10) return failedRow(id, "too_few_rows", EXTRAS);
    let x: Float64Array | null = data.exposure;
    if (stage === "tsls") x = olsFitted(ctx.core, data);
    if (stage === "tsls_lasso") {
      const first = lassoFirstStage(data, LASSO_DEFAULTS, ctx);
      if (isDegenerate(first)) return failedRow(id, "degenerate_first_stage", EXTRAS);
      x = first.nSelected > 0 ? first.xhat : null;
    }
    if (!x) return failedRow(id, "no_instruments", EXTRAS);
    const c = contextMatrix(id, data, names);
    const fitted = trainEncoder(
      ctx.core,
      { n: data.n, p: names.length, c, x, y: data.outcome },
      cfg,
      `${ctx.seed}:${id}`,
    );
    const [estimate, betaSd] = meanSd(fitted.beta);
    const truth = ctx.truth;
    let personMse = Number.NaN;
    if (truth) {
      let s = 0;
      for (let i = 0; i < data.n; i++)
        s += ((fitted.beta[i] as number) - (truth.betaIndividual?.[i] ?? truth.beta)) ** 2;
      personMse = s / data.n;
    }
    const boots = [...fitted.bootMeans].sort((a, b) => a - b);
    const many = boots.length > 1;
    const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
    const se = many ? (meanSd(boots)[1] as number) : Number.NaN;
    const finite = finiteStatus(estimate, many ? se : null);
    return {
      estimator: id,
      estimate,
      se,
      ci_lower: many ? quantile(boots, 0.025) : Number.NaN,
      ci_upper: many ? quantile(boots, 0.975) : Number.NaN,
      p_value: Number.NaN,
      status: finite !== "ok" || fitted.stopped.every(Boolean) ? finite : "not_converged",
      extras: {
        beta_sd: betaSd,
        epochs: mean(fitted.epochs),
        val_mse: mean(fitted.valMse),
        person_mse: personMse,
        n_bootstraps: fitted.bootMeans.length,
      },
      perPerson: { beta: fitted.beta, mu: fitted.mu },
    };
  };
}

/**
 * One fit has no interval; with n_bootstraps > 1 the encoder is re-split and re-initialised on the
 * same data, and the percentile range of those fits is their spread, not a confidence interval.
 */
function interval(params: ContextualizedParams): IntervalKind {
  return encoderConfig(params).n_bootstraps > 1 ? "not_a_confidence_interval" : "none";
}

function estimator(id: string, label: string, stage: Stage, description: string): Estimator<ContextualizedParams> {
  const fit = makeFit(id, stage);
  return { id, label, description, params: PARAMS, defaults: DEFAULTS, extras: EXTRAS, fit, interval };
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

/** Names of the encoder presets, for help texts. */
export const PRESET_NAMES = Object.keys(PRESETS);
