import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import type { IndividualData } from "./types.js";

/** The `covariates` parameter shared by the regression estimators. */
export const COVARIATES_PARAM: ParamSpec = {
  name: "covariates",
  type: "strings",
  help: "columns added as exogenous regressors (in both stages for IV estimators); none by default, as in the study",
};

/** The named covariate columns of `data`; a name the data lacks is an input error. */
export function covariateColumns(where: string, data: IndividualData, names: readonly string[]): Float64Array[] {
  return names.map((name) => {
    const c = data.columns.get(name);
    if (!c) throw errors.missingColumn(where, name, [...data.columns.keys()]);
    return c;
  });
}
