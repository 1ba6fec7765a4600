import { errors } from "../errors.js";
import { SUMMARY_ESTIMATORS } from "../summary/estimators.js";
import { ctxBoth, ctxOls, ctxTsls, ctxTslsLasso } from "./contextualized.js";
import { ctxFirstTsls } from "./ctx-first-tsls.js";
import { deepMrEgger, deepMrNaive } from "./deep-mr.js";
import { eggerZ, eggerZPoK } from "./egger-z.js";
import { external } from "./external.js";
import { invLinear } from "./inv-linear.js";
import { invRepr } from "./inv-repr.js";
import { limlZPoK, oracleTslsW, oracleTslsWPoV, tslsZ, tslsZPoK } from "./invariance-iv.js";
import { kclass } from "./kclass.js";
import { ols } from "./ols.js";
import { withSampleChoice } from "./sample.js";
import { tsls } from "./tsls.js";
import { tslsInteract } from "./tsls-interact.js";
import { tslsLasso, tslsPostLasso } from "./tsls-lasso.js";
import type { Estimator, IndividualEstimator } from "./types.js";

/**
 * Every built-in estimator, keyed by id. A new estimator is one file plus one line here; individual-level
 * ones are wrapped to take `sample` (which rows of two-sample data they fit).
 */
const all = new Map<string, Estimator<object>>(
  (
    [
      ...(
        [
          ols,
          tsls,
          tslsLasso,
          tslsPostLasso,
          ctxOls,
          ctxTsls,
          ctxTslsLasso,
          tslsInteract,
          ctxFirstTsls,
          ctxBoth,
          invLinear,
          invRepr,
          deepMrEgger,
          deepMrNaive,
          kclass,
          tslsZ,
          tslsZPoK,
          limlZPoK,
          eggerZ,
          eggerZPoK,
          oracleTslsW,
          oracleTslsWPoV,
          external,
        ] as IndividualEstimator<object>[]
      ).map(withSampleChoice),
      ...SUMMARY_ESTIMATORS,
    ] as unknown as Estimator<object>[]
  ).map((e) => [e.id, e]),
);

/** Every estimator, keyed by id: the built-in ones, then those plug-ins added (src/plugins/). */
export const estimators: ReadonlyMap<string, Estimator<object>> = all;

/** The ids of the built-in estimators (a plug-in may not reuse one). */
export const BUILT_IN_ESTIMATORS: ReadonlySet<string> = new Set(all.keys());

/** Adds (or replaces) a plug-in's estimator; src/plugins/register.ts checks its id first. */
export function addEstimator(e: Estimator<object>): void {
  all.set(e.id, e);
}

/** The estimator with this id, or an input error listing the known ones. */
export function getEstimator(id: string, where = "fit"): Estimator<object> {
  const e = estimators.get(id);
  if (!e) throw errors.unknownId(where, "estimator", id, [...estimators.keys()]);
  return e;
}
