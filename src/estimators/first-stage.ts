import type { Core } from "../core/memory.js";
import { factorDesign, type LsqFactor, type LsqFailure, putCentred, solveFactored } from "./lsq.js";

/**
 * The OLS first stage shared by the two-stage estimators (tsls, ctx_tsls): X on [1, Z] in the
 * core, where Z holds the instruments (and any exogenous covariates). Every pointer lives in the
 * caller's arena scope: the fitted exposure stays in the core for the second stage.
 */
export interface OlsFirstStage {
  readonly ok: true;
  readonly n: number;
  /** The centred exposure (n doubles). */
  readonly x: number;
  /** The factored centred design Z, for further solves (Sargan's statistic, restricted fits). */
  readonly z: LsqFactor;
  /** The first-stage residuals (n doubles). */
  readonly resid: number;
  readonly rss: number;
}

/**
 * Fits X on [1, Z]: Z and X are copied into the core and centred, Z factored once; fails with
 * the column at fault when Z has a constant or collinear column.
 */
export function olsFirstStage(
  core: Core,
  exogenous: readonly Float64Array[],
  exposure: Float64Array,
  n: number,
): OlsFirstStage | LsqFailure {
  const zc = putCentred(core, exogenous, n);
  const x = putCentred(core, [exposure], n);
  const z = factorDesign(core, n, exogenous.length, zc);
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
