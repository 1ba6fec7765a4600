import { type Frame, getColumn } from "../data/frame.js";
import { described, errors } from "../errors.js";
import { PRESET_NAMES } from "../estimators/contextualized.js";
import { fit } from "../estimators/fit.js";
import { estimators, getEstimator } from "../estimators/registry.js";
import { matchColumns } from "../io/columns.js";
import { type NumericTable, openNumericTable } from "../io/numeric-reader.js";
import { validateDesign } from "../io/validate.js";
import { checkWritable } from "../io/writable.js";
import { parseParamText } from "../params.js";
import { CONTEXT_NAMES } from "../sim/context-names.js";
import { helpText, parseCommand } from "./args.js";
import { estimateJson, estimateTable } from "./format.js";

const OPTIONS = {
  exposure: { type: "string", default: "X" },
  outcome: { type: "string", default: "Y" },
  instruments: { type: "string", default: "G*" },
  covariates: { type: "string", default: "" },
  estimators: { type: "string", default: "ols,tsls" },
  context: { type: "string" },
  sample: { type: "string" },
  environment: { type: "string" },
  split: { type: "string" },
  preset: { type: "string" },
  "per-person": { type: "string" },
  set: { type: "string", multiple: true },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h" },
} as const;

const USAGE = helpText(
  "mrsweep fit data.csv [--exposure X --outcome Y --instruments 'G*' --covariates age,sex] [--estimators ols,tsls] [--json]",
  "Fits MR estimators to your own individual-level data (CSV, or TSV for .tsv files or tab-separated headers;\n.gz files are decompressed).",
  [
    ["--exposure COL", "exposure column (default X)"],
    ["--outcome COL", "outcome column (default Y)"],
    ["--instruments PAT", "instrument columns: names or globs, comma-separated, case-sensitive (default 'G*')"],
    ["--covariates COLS", "exogenous covariates added to both stages (default none)"],
    ["--estimators IDS", `comma-separated ids from: ${[...estimators.keys()].join(", ")} (default ols,tsls)`],
    [
      "--context COLS",
      "the context role: columns the ctx_* estimators' effects vary with (default: the study's ten, age ... sleep)",
    ],
    [
      "--sample COL",
      "the sample role of a two-sample file: 1 (exposure side) or 2 (outcome side) per row (default: one sample)",
    ],
    [
      "--environment COL",
      "the environment role: a label per row (population), partialled out by tsls_z_po_k, liml_z_po_k, egger_z_po_k; read by inv_linear and inv_repr",
    ],
    [
      "--split COL",
      "the split role of inv_repr: 0 (training) or 1 (validation) per row; every row is encoded for the second stage",
    ],
    ["--preset NAME", `encoder preset of the ctx_* estimators: ${PRESET_NAMES.join(", ")} (default package-default)`],
    ["--per-person FILE", "write beta_i and mu_i of every ctx_* estimator for every row to this CSV (.tsv, .gz too)"],
    [
      "--set NAME=VALUE",
      "an estimator parameter for every chosen estimator that has it, e.g. convention=TwoSampleMR, precision=f32, iterations=1000 (repeatable)",
    ],
    ["--json", "print a JSON array, one object per estimator, extras flattened"],
    ["-h, --help", "show this help"],
  ],
);

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `--set NAME=VALUE` settings, each parsed by the spec of a chosen estimator that declares NAME. */
function setParams(ids: readonly string[], settings: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const text of settings) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw errors.invalid("fit", "--set", "NAME=VALUE", text);
    const name = text.slice(0, eq).trim();
    const specs = ids.flatMap((id) => getEstimator(id).params.filter((p) => p.name === name));
    const spec = specs[0];
    if (!spec) {
      const known = [...new Set(ids.flatMap((id) => getEstimator(id).params.map((p) => p.name)))];
      throw errors.unknownId("fit", `--set parameter of ${ids.join(", ")}`, name, known);
    }
    out[name] = parseParamText("fit", spec, text.slice(eq + 1));
  }
  return out;
}

/**
 * The --per-person file, checked before anything is read or fitted: it needs a ctx_* estimator,
 * and it must be writable (a fit can take minutes; failing to save it afterwards wastes them).
 */
function perPersonPath(path: string | undefined, ids: readonly string[]): string | undefined {
  if (path === undefined) return undefined;
  if (path === "") throw errors.invalid("fit", "--per-person", "a file path", path);
  if (!ids.some((id) => perPerson(getEstimator(id)))) throw perPersonWithout();
  checkWritable("fit", path);
  return path;
}

/** Whether the estimator's per-unit outputs are per person (a row of the data). */
function perPerson(e: { units?: readonly string[]; unitKind?: "person" | "sequence" }): boolean {
  return (e.units?.length ?? 0) > 0 && (e.unitKind ?? "person") === "person";
}

/** --per-person with no chosen estimator that has per-person outputs. */
export function perPersonWithout(): Error {
  const having = [...estimators.values()].filter(perPerson).map((e) => e.id);
  return errors.invalid(
    "fit",
    "--per-person",
    `used with an estimator that has per-person outputs (${having.join(", ")})`,
    described("none chosen"),
  );
}

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

/** Every row's split is 0 (training) or 1 (validation). */
function checkSplit(file: string, name: string, values: Float64Array): void {
  const bad = values.findIndex((v) => v !== 0 && v !== 1);
  if (bad < 0) return;
  const at = `column ${JSON.stringify(name)} (--split)`;
  throw errors.invalid(file, at, "0 or 1 in every row", described(`${values[bad]} at row ${bad + 2}`));
}

/** A two-sample file's sample role: 1 or 2 in every row, both present. */
function checkSamples(file: string, name: string, values: Float64Array): void {
  const bad = values.findIndex((v) => v !== 1 && v !== 2);
  if (bad >= 0)
    throw errors.invalid(
      file,
      `column ${JSON.stringify(name)} (--sample)`,
      "1 or 2 in every row",
      described(`${values[bad]} at row ${bad + 2}`),
    );
  if (!values.includes(1) || !values.includes(2)) {
    throw errors.invalid(
      file,
      `column ${JSON.stringify(name)} (--sample)`,
      "1 in some rows and 2 in others",
      described(`only ${values[0]}`),
    );
  }
}

/** The data of a fit and the roles of its columns. */
interface FitInput {
  data: Frame;
  exposure: string;
  outcome: string;
  covariates: string[];
  instruments: string[];
  context: string[];
  sample: string | undefined;
  environment: string | undefined;
  split: string | undefined;
  set: Record<string, unknown>;
}

/** The roles the flags name, checked against the header, and the numeric columns they need. */
async function readFitColumns(
  table: NumericTable,
  ids: readonly string[],
  values: Record<string, unknown>,
): Promise<FitInput> {
  const { file } = table;
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
  const instruments = matchColumns(file, table.names, values.instruments as string, "--instruments").filter(
    (name) => !roleColumns.includes(name),
  );
  if (instruments.length === 0)
    throw errors.invalid(file, "--instruments", "at least one instrument column", values.instruments);
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
  const set = setParams(ids, (values.set as unknown as string[] | undefined) ?? []);
  const named = namedColumns(ids, set).filter((name) => table.names.includes(name));
  const wanted = [...new Set([outcome, exposure, ...covariates, ...instruments, ...context, ...labels, ...named])];
  const data = await table.read(wanted);
  return { data, exposure, outcome, covariates, instruments, context, sample, environment, split, set };
}

/** `mrsweep fit`: reads a user's file, validates it, fits the estimators and prints the results. */
export async function fitCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("fit", argv, OPTIONS);
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length !== 1)
    throw errors.invalid("fit", "arguments", "one data file", positionals.length ? positionals.join(" ") : "none");
  const file = positionals[0] as string;
  const ids = list(values.estimators as string);
  for (const id of ids)
    if (!estimators.has(id)) throw errors.unknownId("fit", "--estimators entry", id, [...estimators.keys()]);
  if (ids.length === 0) throw errors.invalid("fit", "--estimators", "at least one estimator id", values.estimators);
  const perPerson = perPersonPath(values["per-person"] as string | undefined, ids);
  const table = await openNumericTable(file);
  let read: FitInput;
  try {
    read = await readFitColumns(table, ids, values);
  } finally {
    table.close();
  }
  const { data, exposure, outcome, covariates, instruments, context, sample, environment, split, set } = read;
  validateDesign(file, data, { outcome, exposure, instruments, covariates });
  if (sample !== undefined) checkSamples(file, sample, getColumn(data, sample) as Float64Array);
  if (split !== undefined) checkSplit(file, split, getColumn(data, split) as Float64Array);
  const shared: Record<string, unknown> = {
    covariates,
    ...set,
  };
  if (values.preset) shared.preset = values.preset;
  const roles = {
    outcome,
    exposure,
    instruments,
    context,
    ...(sample === undefined ? {} : { sample }),
    ...(environment === undefined ? {} : { environment }),
    ...(split === undefined ? {} : { split }),
  };
  const rows = fit(data, roles, { estimators: ids, params: shared });
  // The writer (fast-csv's formatter) loads only when it is needed: most fits write no file.
  if (perPerson !== undefined) await (await import("./per-person.js")).writePerPerson(perPerson, rows, data.n);
  if (values.json) process.stdout.write(estimateJson(rows));
  else {
    process.stdout.write(
      `${file}: n = ${data.n}, ${instruments.length} instruments${covariates.length ? `, covariates ${covariates.join(", ")}` : ""}\n`,
    );
    process.stdout.write(estimateTable(rows));
  }
}
