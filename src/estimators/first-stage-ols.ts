import type { Core } from "../core/memory.js";
import { fSf } from "../stats/dist.js";
import { implicitDesign } from "./design.js";
import type { FirstStageFailure, OlsBackedStage } from "./first-stage.js";
import { factorCentred, type LsqFactor, type LsqFailure, lsq, putCentred, solveFactored } from "./lsq.js";
import type { IndividualData } from "./types.js";

/**
 * The OLS kind of the shared first stage: X on [1, Z] in the core, where Z holds the excluded
 * instruments and any exogenous covariates. Every pointer lives in the caller's arena scope.
 */
export interface OlsFirstStage {
  readonly ok: true;
  readonly n: number;
  /** The centred exposure (n doubles). */
  readonly x: number;
  /**
   * The factored design Z (its columns read where they lie, centred on the fly), for further
   * solves (Sargan's statistic, restricted fits).
   */
  readonly z: LsqFactor;
  /** The first-stage residuals (n doubles). */
  readonly resid: number;
  readonly rss: number;
}

/**
 * Fits X on [1, Z]: X is copied into the core and centred; Z is read where it lies (columns not in
 * the core are copied in) and centred implicitly, so the instruments are never copied to be
 * centred, and factored once. Fails with the column at fault when Z has a constant or collinear column.
 */
export function olsFirstStage(
  core: Core,
  exogenous: readonly Float64Array[],
  exposure: Float64Array,
  n: number,
): OlsFirstStage | LsqFailure {
  const design = implicitDesign(core, exogenous, n);
  const x = putCentred(core, [exposure], n);
  const z = factorCentred(core, design);
  if (!z.ok) return z;
  const fit = solveFactored(core, z, x);
  return { ok: true, n, x, z, resid: fit.resid, rss: fit.rss };
}

/**
 * The fitted exposure X_hat = `from` - residuals, as a new buffer in the core: from the centred
 * exposure (`stage.x`) it is the centred fit (2SLS's regressor), from the exposure itself the fit
 * with its intercept. `from - 1 * r` is the same double as the subtraction, so either is exact.
 */
export function fittedExposure(core: Core, stage: OlsFirstStage, from: number): number {
  const out = core.copy(from, stage.n);
  core.wasm.axpy(stage.n, -1, stage.resid, out);
  return out;
}

/** Residual sum of squares of centred x on the covariates alone (the restricted first stage). */
function restrictedRss(core: Core, n: number, x: number, covs: readonly Float64Array[]): number {
  if (covs.length === 0) return core.wasm.dot(n, x, x);
  const w = putCentred(core, covs, n);
  const fit = lsq(core, n, covs.length, w, x);
  return fit.ok ? fit.rss : Number.NaN;
}

/** First-stage strength: F test of the L excluded instruments and their partial R^2 (rss_r: without them). */
function strength(rssU: number, rssR: number, L: number, dfU: number) {
  const f = (rssR - rssU) / L / (rssU / dfU);
  return { first_stage_f: f, first_stage_f_p: fSf(f, L, dfU), partial_r2: (rssR - rssU) / rssR };
}

/**
 * X on [1, instruments, covariates]: X_hat with its intercept, the OLS fit behind it, and the
 * strength of the excluded instruments. A constant or collinear column fails with its reason.
 */
export function olsOnColumns(
  core: Core,
  data: IndividualData,
  instruments: readonly Float64Array[],
  covs: readonly Float64Array[],
): OlsBackedStage | FirstStageFailure {
  const { n } = data;
  const L = instruments.length;
  const first = olsFirstStage(core, covs.length > 0 ? [...instruments, ...covs] : instruments, data.exposure, n);
  if (!first.ok) return { status: first.reason, kind: "ols", stats: {} };
  const stats = strength(first.rss, restrictedRss(core, n, first.x, covs), L, n - L - covs.length - 1);
  const xhat = fittedExposure(core, first, core.at(data.exposure));
  return { status: "ok", kind: "ols", n, xhat, ols: first, stats, converged: true };
}

/** The `ols` kind: X on [1, G, W] with all of the data's instruments G. */
export function olsStage(
  core: Core,
  data: IndividualData,
  covs: readonly Float64Array[],
): OlsBackedStage | FirstStageFailure {
  const instruments: Float64Array[] = [];
  for (let j = 0; j < instrumentCount(data); j++) instruments.push(instrument(data, j));
  return olsOnColumns(core, data, instruments, covs);
}

/** How many instruments `data` have, without binding their matrix (a copy for a range of rows). */
export function instrumentCount(data: IndividualData): number {
  return data.instrumentRows?.of.cols ?? data.instruments.cols;
}

/**
 * Instrument j of `data`, a view where it lies (in the larger data's matrix for a range of its
 * rows, sample 1 of two), so that a design reads it in place when that matrix is in the core.
 */
export function instrument(data: IndividualData, j: number): Float64Array {
  const rows = data.instrumentRows;
  const { n } = data;
  if (!rows) return data.instruments.data.subarray(j * n, (j + 1) * n);
  const at = j * rows.of.rows + rows.start;
  return rows.of.data.subarray(at, at + n);
}
