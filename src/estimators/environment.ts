import { described, errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import type { IndividualData } from "./types.js";

/** How the environment enters as an exogenous control: E - 1 indicators, or its label as one number. */
export type EnvironmentAs = "dummies" | "index";

/** The `environment_as` parameter of the PO(K) estimators (invariance-mr.md section 3.1). */
export const ENVIRONMENT_AS_PARAM: ParamSpec = {
  name: "environment_as",
  type: "choice",
  choices: ["dummies", "index"],
  help: "the environment as controls: dummies (E - 1 indicators, default) or index (the label as one numeric column, as the paper's authors did: a linear trend in the label when E > 2)",
};

/** The data's environment labels; an estimator that partials them out refuses data without the role. */
export function environmentLabels(where: string, data: IndividualData): Float64Array {
  if (data.environment) return data.environment;
  throw errors.invalid(where, "the data's environment role", "a column of environment labels", described("none"));
}

/**
 * The environment as control columns: indicators of every label but the smallest (the baseline),
 * or the label column itself. One environment gives no columns: the intercept absorbs it.
 */
export function environmentControls(where: string, data: IndividualData, as: EnvironmentAs): Float64Array[] {
  const env = environmentLabels(where, data);
  const levels = [...new Set(env)].sort((a, b) => a - b);
  if (levels.length < 2) return [];
  if (as === "index") return [env];
  return levels.slice(1).map((level) => {
    const d = new Float64Array(env.length);
    for (let i = 0; i < env.length; i++) d[i] = env[i] === level ? 1 : 0;
    return d;
  });
}
