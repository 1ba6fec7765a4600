import { errors } from "../errors.js";
import { getEstimator } from "../estimators/registry.js";
import { matchColumns } from "../io/columns.js";
import { CONTEXT_NAMES } from "../sim/context-names.js";
import { setParams } from "./set-params.js";

/**
 * Columns the chosen estimators name in their own list parameters (the oracles' w_columns and
 * v_columns: given with --set or their defaults), besides covariates and context, which have flags.
 */
function namedColumns(ids: readonly string[], set: Record<string, unknown>): string[] {
  return ids.flatMap((id) => {
    const est = getEstimator(id);
    return est.params
      .filter((p) => p.type === "strings" && p.name !== "covariates" && p.name !== "context")
      .flatMap((p) => (set[p.name] ?? (est.defaults as Record<string, unknown>)[p.name] ?? []) as string[]);
  });
}

/** The --environment column: present in the file, and given whenever a chosen estimator reads the role. */
function environmentColumn(
  file: string,
  names: readonly string[],
  given: string | undefined,
  ids: readonly string[],
): string | undefined {
  if (given !== undefined && !names.includes(given)) throw errors.missingColumn(file, given, names);
  const using = ids.filter((id) => getEstimator(id).uses?.includes("environment"));
  if (given === undefined && using.length > 0)
    throw errors.missing("fit", "--environment", `a column of environment labels for ${using.join(", ")}`);
  return given;
}

/** The --split column: present, given whenever a chosen estimator reads the role, 0 or 1 in every row. */
function splitColumn(file: string, names: readonly string[], given: string | undefined, ids: readonly string[]) {
  if (given !== undefined && !names.includes(given)) throw errors.missingColumn(file, given, names);
  const using = ids.filter((id) => getEstimator(id).uses?.includes("split"));
  if (given === undefined && using.length > 0)
    throw errors.missing("fit", "--split", `a column of 0 (training) and 1 (validation) for ${using.join(", ")}`);
  return given;
}

/** The roles of a fit's columns, and the columns to read as numbers. */
export interface FitRoles {
  exposure: string;
  outcome: string;
  covariates: string[];
  instruments: string[];
  context: string[];
  sample: string | undefined;
  environment: string | undefined;
  split: string | undefined;
  set: Record<string, unknown>;
  /** Every column a role or an estimator parameter names, each once. */
  wanted: string[];
}

/**
 * The roles the flags name, checked against a table's column names, and the columns they need.
 * `instruments`, when given, are the instruments (PLINK variants) instead of --instruments' match.
 */
export function fitRoles(
  file: string,
  names: readonly string[],
  ids: readonly string[],
  values: Record<string, unknown>,
  instruments?: readonly string[],
): FitRoles {
  const table = { names };
  const exposure = values.exposure as string;
  const outcome = values.outcome as string;
  for (const name of [outcome, exposure])
    if (!table.names.includes(name)) throw errors.missingColumn(file, name, table.names);
  const covariates = values.covariates
    ? matchColumns(file, table.names, values.covariates as string, "--covariates")
    : [];
  const environment = environmentColumn(file, table.names, values.environment as string | undefined, ids);
  const split = splitColumn(file, table.names, values.split as string | undefined, ids);
  const roleColumns = [exposure, outcome, environment, split, ...covariates];
  const chosen = (
    instruments ?? matchColumns(file, table.names, (values.instruments as string | undefined) ?? "G*", "--instruments")
  ).filter((name) => !roleColumns.includes(name));
  if (chosen.length === 0)
    throw errors.invalid(file, "--instruments", "at least one instrument column", values.instruments ?? "G*");
  const usesContext = ids.some((id) => getEstimator(id).uses?.includes("context"));
  const context = !usesContext
    ? []
    : values.context
      ? matchColumns(file, table.names, values.context as string, "--context")
      : [...CONTEXT_NAMES];
  for (const name of context) if (!table.names.includes(name)) throw errors.missingColumn(file, name, table.names);
  const sample = values.sample as string | undefined;
  if (sample !== undefined && !table.names.includes(sample)) throw errors.missingColumn(file, sample, table.names);
  const labels = [sample, environment, split].filter((name) => name !== undefined);
  const set = setParams("fit", ids, (values.set as unknown as string[] | undefined) ?? []);
  const named = namedColumns(ids, set).filter((name) => table.names.includes(name));
  const wanted = [...new Set([outcome, exposure, ...covariates, ...chosen, ...context, ...labels, ...named])];
  return { exposure, outcome, covariates, instruments: chosen, context, sample, environment, split, set, wanted };
}
