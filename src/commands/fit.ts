import { getColumn } from "../data/frame.js";
import { described, errors } from "../errors.js";
import { PRESET_NAMES } from "../estimators/contextualized.js";
import { checkFitCapacity, fit, fitRowLimit, settleInCore } from "../estimators/fit.js";
import { estimators, getEstimator } from "../estimators/registry.js";
import { droppedText } from "../io/complete-cases.js";
import { validateDesign } from "../io/validate.js";
import { checkWritable } from "../io/writable.js";
import { loadPlugins } from "../plugins/load.js";
import { helpText, parseCommand } from "./args.js";
import { readBfileInput } from "./fit-bfile.js";
import { type FitInput, readCsvInput } from "./fit-input.js";
import type { FitRoles } from "./fit-roles.js";
import { estimateJson, estimateTable } from "./format.js";

const OPTIONS = {
  exposure: { type: "string", default: "X" },
  outcome: { type: "string", default: "Y" },
  instruments: { type: "string" },
  covariates: { type: "string", default: "" },
  estimators: { type: "string", default: "ols,tsls" },
  context: { type: "string" },
  sample: { type: "string" },
  environment: { type: "string" },
  split: { type: "string" },
  preset: { type: "string" },
  "per-person": { type: "string" },
  set: { type: "string", multiple: true },
  bfile: { type: "string" },
  pheno: { type: "string" },
  variants: { type: "string" },
  "impute-missing": { type: "string" },
  "complete-cases": { type: "boolean", default: false },
  plugin: { type: "string", multiple: true },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h" },
} as const;

/** The help text: a function, since it lists the plug-ins' estimators too once they are loaded. */
const usage = () =>
  helpText(
    "mrsweep fit data.csv [--exposure X --outcome Y --instruments 'G*' --covariates age,sex] [--estimators ols,tsls] [--json]\n       mrsweep fit --bfile PREFIX --pheno pheno.csv [--variants rs1,rs2|FILE] [--impute-missing mean] [...]",
    "Fits MR estimators to your own individual-level data (CSV, or TSV for .tsv files or tab-separated headers;\n.gz files are decompressed), or to PLINK 1 genotypes (PREFIX.bed/.bim/.fam) joined with a phenotype table.",
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
        "the split role of inv_repr: 0 (training) or 1 (validation) per row, or FALSE/TRUE; every row is encoded for the second stage",
      ],
      ["--preset NAME", `encoder preset of the ctx_* estimators: ${PRESET_NAMES.join(", ")} (default package-default)`],
      ["--per-person FILE", "write beta_i and mu_i of every ctx_* estimator for every row to this CSV (.tsv, .gz too)"],
      [
        "--set NAME=VALUE",
        "an estimator parameter for every chosen estimator that has it, e.g. convention=TwoSampleMR, precision=f32, iterations=1000 (repeatable)",
      ],
      [
        "--bfile PREFIX",
        "PLINK 1 binary genotypes: the instruments are the variants, as counts of the .bim's A1 allele (0, 1, 2)",
      ],
      [
        "--pheno FILE",
        "with --bfile: exposure, outcome, covariate and other columns, one row per person, joined by FID and IID",
      ],
      [
        "--variants IDS|FILE",
        "with --bfile: the instrument variants, comma-separated ids or a file of ids (default: all)",
      ],
      [
        "--impute-missing mean",
        "with --bfile: replace a missing genotype by its variant's mean (default: refuse missing genotypes)",
      ],
      [
        "--complete-cases",
        "drop rows with an empty, NA or non-numeric cell in any column used, and say how many (default: such a cell is an error)",
      ],
      ["--plugin FILE", "a JavaScript module of estimators to load (repeatable; see mrsweep list)"],
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

/** Every row's split is 0 (training) or 1 (validation). */
function checkSplit(file: string, name: string, values: Float64Array, rowOf: (i: number) => number): void {
  const bad = values.findIndex((v) => v !== 0 && v !== 1);
  if (bad < 0) return;
  const at = `column ${JSON.stringify(name)} (--split)`;
  throw errors.invalid(file, at, "0 or 1 in every row", described(`${values[bad]} at row ${rowOf(bad)}`));
}

/** A two-sample file's sample role: 1 or 2 in every row, both present. */
function checkSamples(file: string, name: string, values: Float64Array, rowOf: (i: number) => number): void {
  const bad = values.findIndex((v) => v !== 1 && v !== 2);
  if (bad >= 0)
    throw errors.invalid(
      file,
      `column ${JSON.stringify(name)} (--sample)`,
      "1 or 2 in every row",
      described(`${values[bad]} at row ${rowOf(bad)}`),
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

/** The parameters every estimator that declares them gets: the covariates, --set's values and --preset. */
function sharedParams(roles: FitRoles, preset: unknown): Record<string, unknown> {
  return { covariates: roles.covariates, ...roles.set, ...(preset ? { preset } : {}) };
}

/** `mrsweep fit`: reads a user's file, validates it, fits the estimators and prints the results. */
export async function fitCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("fit", argv, OPTIONS);
  await loadPlugins((values.plugin as unknown as string[] | undefined) ?? [], { where: "fit" });
  if (values.help) {
    process.stdout.write(usage());
    return;
  }
  const ids = list(values.estimators as string);
  for (const id of ids)
    if (!estimators.has(id)) throw errors.unknownId("fit", "--estimators entry", id, [...estimators.keys()]);
  if (ids.length === 0) throw errors.invalid("fit", "--estimators", "at least one estimator id", values.estimators);
  const perPerson = perPersonPath(values["per-person"] as string | undefined, ids);
  const read: FitInput =
    values.bfile === undefined
      ? await readCsvInput(positionals, ids, values, (r) =>
          fitRowLimit(
            "fit",
            { columns: r.wanted.length, instruments: r.instruments.length, twoSample: r.sample !== undefined },
            ids,
            {
              params: sharedParams(r, values.preset),
            },
          ),
        )
      : await readBfileInput(positionals, ids, values, (n, r) =>
          checkFitCapacity(
            "fit",
            { n, columns: r.wanted.length, instruments: r.instruments.length, twoSample: r.sample !== undefined },
            ids,
            {
              params: sharedParams(r, values.preset),
            },
          ),
        );
  const { file, roles, complete } = read;
  const shared = sharedParams(roles, values.preset);
  const data = settleInCore(read.data, roles, ids, { params: shared });
  const { exposure, outcome, covariates, instruments, context, sample, environment, split } = roles;
  validateDesign(file, data, { outcome, exposure, instruments, covariates });
  // File row numbers for messages, also after --complete-cases dropped rows.
  const rowOf = (i: number) => complete?.rowOf(i) ?? i + 2;
  if (sample !== undefined) checkSamples(file, sample, getColumn(data, sample) as Float64Array, rowOf);
  if (split !== undefined) checkSplit(file, split, getColumn(data, split) as Float64Array, rowOf);
  const columns = {
    outcome,
    exposure,
    instruments,
    context,
    ...(sample === undefined ? {} : { sample }),
    ...(environment === undefined ? {} : { environment }),
    ...(split === undefined ? {} : { split }),
  };
  const rows = fit(data, columns, { estimators: ids, params: shared });
  // The writer (fast-csv's formatter) loads only when it is needed: most fits write no file.
  if (perPerson !== undefined) await (await import("./per-person.js")).writePerPerson(perPerson, rows, data.n);
  // Under --json the dropped rows are reported on stderr, so that stdout stays one JSON document.
  const droppedNote = complete ? ` (${droppedText(complete.dropped)} dropped, --complete-cases)` : "";
  if (values.json) {
    if (complete) process.stderr.write(`${file}: n = ${data.n}${droppedNote}\n`);
    process.stdout.write(estimateJson(rows));
  } else {
    process.stdout.write(
      `${file}: n = ${data.n}${droppedNote}, ${instruments.length} instruments${covariates.length ? `, covariates ${covariates.join(", ")}` : ""}\n`,
    );
    process.stdout.write(estimateTable(rows));
  }
}
