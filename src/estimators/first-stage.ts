import type { Core } from "../core/memory.js";
import { type LassoIvParams, type LassoSelection, lassoStage, postLassoStage } from "./first-stage-lasso.js";
import { type OlsFirstStage, olsStage } from "./first-stage-ols.js";
import type { FitStatus, IndividualData } from "./types.js";

/**
 * The first stage shared by every two-stage estimator (tsls, tsls_post_lasso, tsls_lasso, ctx_tsls,
 * ctx_tsls_lasso; tsls_interact through tsls): one call, one kind, and the fitted exposure X_hat as
 * a buffer in the core. Call it inside `core.scoped`: X_hat and every other pointer it returns live
 * in the caller's arena scope, so the second stage (an OLS solve or the encoder) reads X_hat where
 * it is and nothing is copied out to JavaScript and back. Kinds:
 * - `ols`: X on [1, G, W] (src/estimators/first-stage-ols.ts), with its F statistic and partial R^2;
 * - `lasso`: the study's LassoCV of X on standardised G, X_hat its shrunken predictions;
 * - `post_lasso`: LassoCV's selection, then `ols` on the selected columns of G
 *   (both in src/estimators/first-stage-lasso.ts).
 */

export { fittedExposure, olsFirstStage } from "./first-stage-ols.js";
export type { LassoIvParams, LassoSelection, OlsFirstStage };

/** The `ols` kind's settings. */
export interface OlsSpec {
  readonly kind: "ols";
  /** Exogenous covariates W, in the first stage beside G (and the second stage's controls). */
  readonly covariates?: readonly Float64Array[];
}

/** The LASSO kinds' settings. */
export interface LassoSpec<K extends "lasso" | "post_lasso" = "lasso" | "post_lasso"> {
  readonly kind: K;
  readonly lasso: LassoIvParams;
  /** The task seed: LassoCV's shuffled folds (with `shuffle`) derive from it. */
  readonly seed: string | number;
}

/** Which first stage to fit, with what it needs besides the data. */
export type FirstStageSpec = OlsSpec | LassoSpec;

/** One of the kinds. */
export type FirstStageKind = FirstStageSpec["kind"];

/**
 * What estimators report about a first stage, under their extras' names: `first_stage_f`,
 * `first_stage_f_p`, `partial_r2` (kinds `ols`, `post_lasso`), `alpha`, `n_selected`, `cv_mse`,
 * `lasso_iter` (kinds `lasso`, `post_lasso`).
 */
export type FirstStageStats = Readonly<Record<string, number>>;

/** A fitted first stage. Pointers are valid in the caller's arena scope. */
export interface FirstStage {
  readonly status: "ok";
  readonly kind: FirstStageKind;
  readonly n: number;
  /** X_hat with its intercept (n doubles in the core): the fitted exposure. */
  readonly xhat: number;
  /** Kinds `ols` and `post_lasso`: the OLS fit behind X_hat (centred X, factored design, residuals). */
  readonly ols?: OlsFirstStage;
  /** Kinds `lasso` and `post_lasso`: the LassoCV fit and its selection. */
  readonly lasso?: LassoSelection;
  readonly stats: FirstStageStats;
  /** False when LassoCV's final fit hit max_iter (the estimators report `not_converged`). */
  readonly converged: boolean;
}

/** A first stage with an OLS fit behind X_hat (kinds `ols` and `post_lasso`): what 2SLS's second stage needs. */
export type OlsBackedStage = FirstStage & { readonly ols: OlsFirstStage };

/** A first stage that could not be made: why, and what is known about it (LassoCV's fit, if it ran). */
export interface FirstStageFailure {
  readonly status: Exclude<FitStatus, "ok">;
  readonly kind: FirstStageKind;
  readonly lasso?: LassoSelection;
  readonly stats: FirstStageStats;
}

/**
 * Fits the first stage of `data` (exposure on its instruments) of the given kind, in the core.
 * Checks left to the estimators: at least one instrument and enough rows for the kind.
 */
export function firstStage(
  core: Core,
  data: IndividualData,
  spec: OlsSpec | LassoSpec<"post_lasso">,
): OlsBackedStage | FirstStageFailure;
export function firstStage(core: Core, data: IndividualData, spec: FirstStageSpec): FirstStage | FirstStageFailure;
export function firstStage(core: Core, data: IndividualData, spec: FirstStageSpec): FirstStage | FirstStageFailure {
  if (spec.kind === "ols") return olsStage(core, data, spec.covariates ?? []);
  return spec.kind === "lasso"
    ? lassoStage(core, data, spec.lasso, spec.seed)
    : postLassoStage(core, data, spec.lasso, spec.seed);
}
