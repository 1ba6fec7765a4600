import { errors } from "../errors.js";
import { fit } from "../estimators/fit.js";
import { estimators } from "../estimators/registry.js";
import { matchColumns, numericFrame } from "../io/columns.js";
import { readTable } from "../io/read-table.js";
import { validateDesign } from "../io/validate.js";
import { helpText, parseCommand } from "./args.js";
import { estimateJson, estimateTable } from "./format.js";

const OPTIONS = {
  exposure: { type: "string", default: "X" },
  outcome: { type: "string", default: "Y" },
  instruments: { type: "string", default: "G*" },
  covariates: { type: "string", default: "" },
  estimators: { type: "string", default: "ols,tsls" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h" },
} as const;

const USAGE = helpText(
  "mrsweep fit data.csv [--exposure X --outcome Y --instruments 'G*' --covariates age,sex] [--estimators ols,tsls] [--json]",
  "Fits MR estimators to your own individual-level data (CSV, or TSV for .tsv files or tab-separated headers).",
  [
    ["--exposure COL", "exposure column (default X)"],
    ["--outcome COL", "outcome column (default Y)"],
    ["--instruments PAT", "instrument columns: names or globs, comma-separated, case-sensitive (default 'G*')"],
    ["--covariates COLS", "exogenous covariates added to both stages (default none)"],
    ["--estimators IDS", `comma-separated ids from: ${[...estimators.keys()].join(", ")} (default ols,tsls)`],
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
  const table = await readTable(file);
  const exposure = values.exposure as string;
  const outcome = values.outcome as string;
  for (const name of [outcome, exposure])
    if (!table.names.includes(name)) throw errors.missingColumn(file, name, table.names);
  const covariates = values.covariates
    ? matchColumns(file, table.names, values.covariates as string, "--covariates")
    : [];
  const instruments = matchColumns(file, table.names, values.instruments as string, "--instruments").filter(
    (name) => name !== exposure && name !== outcome && !covariates.includes(name),
  );
  if (instruments.length === 0)
    throw errors.invalid(file, "--instruments", "at least one instrument column", values.instruments);
  const data = numericFrame(table, [outcome, exposure, ...covariates, ...instruments]);
  validateDesign(file, data, { outcome, exposure, instruments, covariates });
  const rows = fit(data, { outcome, exposure, instruments }, { estimators: ids, params: { covariates } });
  if (values.json) process.stdout.write(estimateJson(rows));
  else {
    process.stdout.write(
      `${file}: n = ${data.n}, ${instruments.length} instruments${covariates.length ? `, covariates ${covariates.join(", ")}` : ""}\n`,
    );
    process.stdout.write(estimateTable(rows));
  }
}
