import type { Core } from "../core/memory.js";
import type { ParamSpec } from "../params.js";
import { crossFit, crossFitFolds, DEFAULT_FOLDS, type FoldFit } from "./cross-fit.js";
import { type EncoderConfig, type EncoderData, type EncoderFit, trainEncoder } from "./encoder.js";
import type { FitStatus, IndividualData } from "./types.js";

/**
 * The contextualized first stage: X_i = f_0(C_i) + sum_j f_j(C_i) G_ij, the context encoder with
 * the L instruments as the K = L covariates of its varying-coefficient head (f_0 is its mu, f_j
 * its theta_j), trained on the MSE of X with the encoder's usual split, early stopping and
 * re-split averaging (n_bootstraps). G enters unscaled (0/1/2), as X = G pi(C) in the study DGP.
 * X_hat is cross-fitted by default: a flexible first stage fitted and evaluated on the same rows
 * carries part of each row's own first-stage error, and with it the confounder U, into X_hat
 * (src/estimators/cross-fit.ts).
 */

/** The cross_fit parameter of the contextualized first stage (ctx_first_tsls, ctx_both). */
export const CROSS_FIT_PARAM: ParamSpec = {
  name: "cross_fit",
  type: "int",
  min: 0,
  help: `K folds: each row's X_hat comes from a first stage fitted on the other K - 1 folds (default ${DEFAULT_FOLDS}); 0 or 1: fitted and predicted on all rows (overfits toward OLS)`,
};

/** The fitted exposure and what training did. */
export interface CtxFirstStage {
  /** X_hat: out-of-fold predictions with K >= 2 folds, in-sample ones with K <= 1. */
  xhat: Float64Array;
  /** 1 - sum (X - X_hat)^2 / sum (X - mean X)^2: held out with K >= 2, in-sample with K <= 1. */
  r2: number;
  /** Epochs per encoder fit, over folds and re-splits. */
  epochs: number[];
  /** Whether early stopping (not the epoch cap) ended each fit. */
  stopped: boolean[];
}

/** Settings of the first stage. */
export interface CtxFirstStageOptions {
  /** C, n x p row-major (standardised). */
  c: Float64Array;
  p: number;
  cfg: EncoderConfig;
  /** K folds of cross-fitting; 0 or 1: in-sample. */
  folds: number;
  seed: string;
}

/** G as n x L row-major (the head's covariates) from the column-major instrument matrix. */
function rowMajorInstruments(data: IndividualData): Float64Array {
  const { n } = data;
  const { cols, data: g } = data.instruments;
  const out = new Float64Array(n * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < n; i++) out[i * cols + j] = g[j * n + i] as number;
  return out;
}

/** mu_i + sum_j theta_ij G_ij for the rows `rows`. */
function predictRows(fit: EncoderFit, g: Float64Array, L: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t] as number;
    let s = fit.mu[i] as number;
    for (let j = 0; j < L; j++) s += (fit.beta[i * L + j] as number) * (g[i * L + j] as number);
    out[t] = s;
  }
  return out;
}

/** 1 - SSE / TSS of `xhat` against `x`. */
function rSquared(x: Float64Array, xhat: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i] as number;
  mean /= x.length;
  let sse = 0;
  let tss = 0;
  for (let i = 0; i < x.length; i++) {
    sse += ((x[i] as number) - (xhat[i] as number)) ** 2;
    tss += ((x[i] as number) - mean) ** 2;
  }
  return 1 - sse / tss;
}

/** The contextualized first stage's X_hat (cross-fitted unless `folds` <= 1), or why it could not be made. */
export function ctxFirstStage(core: Core, data: IndividualData, opts: CtxFirstStageOptions): CtxFirstStage | FitStatus {
  const { n } = data;
  const L = data.instruments.cols;
  if (L === 0) return "no_instruments";
  const K = opts.folds;
  if (n < Math.max(10, 5 * K)) return "too_few_rows";
  const g = rowMajorInstruments(data);
  // A copy: in a sweep the data are views of the core's memory, which training may grow.
  const x = Float64Array.from(data.exposure);
  const enc: EncoderData = { n, p: opts.p, c: opts.c, x: g, y: x, k: L };
  const epochs: number[] = [];
  const stopped: boolean[] = [];
  let fold = 0;
  const fitPredict: FoldFit = (train, test) => {
    const fit = trainEncoder(core, enc, opts.cfg, `${opts.seed}:first:${fold++}`, K > 1 ? train : undefined);
    epochs.push(...fit.epochs);
    stopped.push(...fit.stopped);
    return predictRows(fit, g, L, test);
  };
  let xhat: Float64Array;
  if (K > 1) {
    const result = crossFit(crossFitFolds(n, K, `${opts.seed}:folds`), K, fitPredict);
    if (!result.ok) return result.reason;
    xhat = result.xhat;
  } else {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    xhat = fitPredict(all, all) as Float64Array;
  }
  if (!xhat.every(Number.isFinite)) return "non_finite";
  return { xhat, r2: rSquared(x, xhat), epochs, stopped };
}
