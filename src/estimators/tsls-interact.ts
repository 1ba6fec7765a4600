import { column, type Matrix } from "../core/matrix.js";
import type { ParamSpec } from "../params.js";
import { COVARIATES_PARAM, covariateColumns } from "./covariates.js";
import { crossFitFolds, crossFitLinear } from "./cross-fit.js";
import { contextNames, populationMoments } from "./ctx-stats.js";
import { failedRow } from "./inference.js";
import { tsls } from "./tsls.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";
import { type DataShape, olsStageWorkspace } from "./workspace.js";

/** Parameters of `tsls_interact`. */
export interface TslsInteractParams {
  /** Context columns; empty: the data's context role. */
  context: readonly string[];
  covariates: readonly string[];
  /** K of a cross-fitted first stage, or null for the ordinary (in-sample) first stage. */
  cross_fit: number | null;
}

const ID = "tsls_interact";

const PARAMS: readonly ParamSpec[] = [
  {
    name: "context",
    type: "strings",
    help: "context columns C: exogenous controls in both stages, and each instrument times each (standardised) C is an extra instrument (default: the data's context role)",
  },
  COVARIATES_PARAM,
  {
    name: "cross_fit",
    type: "int",
    min: 2,
    nullable: true,
    help: "K folds: the first stage's X_hat for each fold comes from a fit on the other K - 1 folds, and X_hat is then the one instrument for X (none = the ordinary 2SLS first stage, default)",
  },
];

/**
 * Each column standardised with the population SD (a constant column becomes zeros, so its
 * interactions are constant and the fit reports constant_column). Standardising changes no fitted
 * value, since G_j C_k and G_j (C_k - m) / s span the same space together with G_j; it keeps the
 * interactions from being nearly collinear with G_j when C_k is far from 0 (age is 12..49).
 */
function standardised(cols: readonly Float64Array[], n: number): Float64Array[] {
  return cols.map((c) => {
    const [m, sd] = populationMoments(c, n);
    return Float64Array.from(c, (v) => (sd > 0 ? (v - m) / sd : 0));
  });
}

/**
 * The excluded instruments as one n x L (1 + K) matrix: G_0 .. G_{L-1}, then G_j C_k for
 * j = 0 .. L-1 and k = 0 .. K-1 (k fastest).
 */
function interactedInstruments(data: IndividualData, context: readonly Float64Array[]): Matrix {
  const { n } = data;
  const g = data.instruments;
  const cols = g.cols * (1 + context.length);
  const out = new Float64Array(n * cols);
  out.set(g.data.subarray(0, n * g.cols));
  let at = n * g.cols;
  for (let j = 0; j < g.cols; j++) {
    for (const ck of context) {
      for (let i = 0; i < n; i++) out[at + i] = (g.data[j * n + i] as number) * (ck[i] as number);
      at += n;
    }
  }
  return { rows: n, cols, data: out };
}

/** The context names followed by the covariates not already among them (a name twice would be collinear). */
function controlNames(context: readonly string[], covariates: readonly string[]): string[] {
  return [...context, ...covariates.filter((c) => !context.includes(c))];
}

/**
 * 2SLS whose excluded instruments are G and G x C, with the controls C and W in both stages: the
 * plain `tsls` fit on data whose instrument matrix is that set (so SEs, extras and statuses are
 * tsls's). With cross_fit K the one excluded instrument is instead the cross-fitted first-stage
 * prediction of X from [1, G, G x C, C, W].
 */
function fitTslsInteract(data: IndividualData, params: TslsInteractParams, ctx: FitContext): EstimateRow {
  const { n } = data;
  if (data.instruments.cols === 0) return failedRow(ID, "no_instruments", tsls.extras);
  const names = contextNames(ID, params.context, data);
  const controls = controlNames(names, params.covariates);
  const controlColumns = covariateColumns(ID, data, controls);
  const context = standardised(controlColumns.slice(0, names.length), n);
  let instruments = interactedInstruments(data, context);
  if (params.cross_fit !== null) {
    if (n < 2 * params.cross_fit) return failedRow(ID, "too_few_rows", tsls.extras);
    const folds = crossFitFolds(n, params.cross_fit, `${ctx.seed}:${ID}`);
    const design: Float64Array[] = [];
    for (let j = 0; j < instruments.cols; j++) design.push(column(instruments, j));
    const first = crossFitLinear(ctx.core, [...design, ...controlColumns], data.exposure, folds, params.cross_fit);
    if (!first.ok) return failedRow(ID, first.reason, tsls.extras);
    instruments = { rows: n, cols: 1, data: first.xhat };
  }
  const derived: IndividualData = { ...data, instruments };
  const row = tsls.fit(derived, { covariates: controls }, ctx);
  return { ...row, estimator: ID };
}

/**
 * The core this fit may use: tsls's on the L (1 + K) interacted instruments, which are built in
 * JavaScript and so copied in (n x L (1 + K)), or with cross_fit the training rows of the design
 * [G, G x C, C, W] per fold. K, when the data's context role is meant, is at most every column that
 * is not an instrument, the exposure or the outcome.
 */
function interactWorkspace(shape: DataShape, p: TslsInteractParams): number {
  const K = p.context.length > 0 ? p.context.length : Math.max(0, shape.columns - shape.instruments - 2);
  const c = K + p.covariates.length;
  const L = shape.instruments * (1 + K);
  const copy = p.cross_fit === null ? shape.n * L : 0;
  const folds = p.cross_fit === null ? 0 : shape.n * (L + c + 2);
  return 8 * (copy + folds) + olsStageWorkspace({ ...shape, instruments: L }, c, 12 + 4 * c);
}

/** 2SLS with instrument-by-context interactions as extra instruments. */
export const tslsInteract: IndividualEstimator<TslsInteractParams> = {
  id: ID,
  input: "individual",
  label: "2SLS, G x C instruments",
  description:
    "2SLS with instruments G_j and G_j C_k (C standardised) and the context C (+ covariates W) as controls in both stages: X = a + G pi + (G x C) lambda + C gamma + W omega + v, Y = b + beta X + C zeta + W rho + e; SEs as tsls; cross_fit K: X_hat from K-fold cross-fitting of that first stage is the one instrument",
  params: PARAMS,
  defaults: { context: [], covariates: [], cross_fit: null },
  extras: tsls.extras,
  uses: ["context"],
  fit: fitTslsInteract,
  workspace: interactWorkspace,
  // As tsls: valid as n grows (weak or many instruments make the t interval too narrow).
  interval: () => "asymptotic",
};
