import { getCore } from "../core/load.js";
import { errors } from "../errors.js";
import type { EstimateRow } from "../estimators/types.js";
import { readSummaryPairs, type SummaryPair } from "../io/summary-file.js";
import { resolveParams } from "../params.js";
import { SUMMARY_ESTIMATORS } from "../summary/estimators.js";
import { CONVENTIONS, type Convention } from "../summary/methods.js";
import { leaveOneOut, waldRatios } from "../summary/sensitivity.js";
import { steiger } from "../summary/steiger.js";
import { helpText, parseCommand } from "./args.js";
import { toJson } from "./format.js";
import { jsonObjects, type PairResult, pairText, writeTables } from "./mr-output.js";
import { setParams } from "./set-params.js";

const IDS = SUMMARY_ESTIMATORS.map((e) => e.id);

const USAGE = helpText(
  "mrsweep mr summary.csv [--estimators ivw,mr_egger,...] [--set NAME=VALUE] [--convention MendelianRandomization|TwoSampleMR] [--drop-missing] [--out DIR] [--json]",
  `Summary-level MR on a harmonised file (one row per variant and exposure-outcome pair, as TwoSampleMR's
harmonise_data writes it): ${IDS.join(", ")};
then Wald ratios per variant, leave-one-out IVW and MR-Steiger directionality (with sample sizes).
Rows with mr_keep FALSE are left out and counted; pairs are told apart by id.exposure/id.outcome
(else exposure/outcome) and reported in turn. Columns: TwoSampleMR's names
(beta.exposure, se.exposure, beta.outcome, se.outcome; optional SNP, mr_keep, samplesize.exposure,
samplesize.outcome), the same with underscores, or mapped by flags. .gz files are decompressed.`,
  [
    ["--estimators IDS", `comma-separated, from ${IDS.join(", ")} (default all)`],
    [
      "--set NAME=VALUE",
      "an estimator parameter for every chosen estimator that has it, e.g. iterations=1000 (repeatable)",
    ],
    [
      "--convention NAME",
      "MendelianRandomization (default) or TwoSampleMR: IVW and Egger SEs and p-values, median weights, bootstraps",
    ],
    [
      "--drop-missing",
      "drop rows with an empty, NA or non-numeric value MR needs, and report them (default: an error)",
    ],
    ["--out DIR", "write mr.csv, single_snp.csv, leave_one_out.csv, directionality.csv and dropped.csv there"],
    ["--bx COL", "SNP-exposure estimates"],
    ["--sx COL", "their standard errors"],
    ["--by COL", "SNP-outcome estimates"],
    ["--sy COL", "their standard errors"],
    ["--seed N", "seed of the bootstrap SEs (default 314159265, as MendelianRandomization)"],
    ["--json", "print a JSON array, one object per pair and method, led by the pair's columns"],
    ["-h, --help", "show this help"],
  ],
);

/** The chosen summary-level estimators, in the order given. */
function chosen(text: string) {
  const ids = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw errors.invalid("mr", "--estimators", "at least one estimator id", text);
  return ids.map((id) => {
    const e = SUMMARY_ESTIMATORS.find((x) => x.id === id);
    if (!e) throw errors.unknownId("mr", "--estimators entry", id, IDS);
    return e;
  });
}

/** Every analysis of one pair. */
function analyse(
  pair: SummaryPair,
  ests: ReturnType<typeof chosen>,
  given: Record<string, unknown>,
  seed: string,
): PairResult {
  const ctx = { core: getCore(), seed };
  // Summary statistics from separate exposure and outcome samples, as these methods assume: the
  // first stage's error is independent of the outcome's, and the intervals are asymptotic.
  const rows: EstimateRow[] = ests.map((e) => {
    const own = Object.fromEntries(Object.entries(given).filter(([k]) => e.params.some((p) => p.name === k)));
    return { ...e.fit(pair.data, resolveParams(e.id, e.params, e.defaults, own), ctx), interval: "asymptotic" };
  });
  const convention = given.convention as Convention;
  const model = (given.model ?? "default") as "default" | "fixed" | "random";
  const n = pair.samplesize;
  return {
    pair,
    rows,
    wald: waldRatios(pair.data),
    leaveOneOut: leaveOneOut(pair.data, model, convention),
    steiger: "missing" in n || pair.data.bx.length === 0 ? null : steiger(pair.data, n.exposure, n.outcome, pair.rsq),
  };
}

/** `mrsweep mr`: every summary-level method on each exposure-outcome pair of a harmonised file. */
export async function mrCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("mr", argv, {
    bx: { type: "string" },
    sx: { type: "string" },
    by: { type: "string" },
    sy: { type: "string" },
    seed: { type: "string", default: "314159265" },
    convention: { type: "string", default: "MendelianRandomization" },
    estimators: { type: "string", default: IDS.join(",") },
    set: { type: "string", multiple: true },
    "drop-missing": { type: "boolean", default: false },
    out: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length !== 1)
    throw errors.invalid("mr", "arguments", "one summary file", positionals.join(" ") || "none");
  const file = positionals[0] as string;
  const convention = values.convention as Convention;
  if (!CONVENTIONS.includes(convention)) throw errors.unknownId("mr", "--convention", convention, CONVENTIONS);
  const ests = chosen(values.estimators as string);
  const set = setParams(
    "mr",
    ests.map((e) => e.id),
    (values.set as unknown as string[] | undefined) ?? [],
  );
  if (values.out === "") throw errors.invalid("mr", "--out", "a folder path", "");
  const columns = { bx: values.bx, sx: values.sx, by: values.by, sy: values.sy } as Record<string, string | undefined>;
  const pairs = await readSummaryPairs(file, { columns, dropMissing: values["drop-missing"] === true });
  const given = { convention, ...set };
  const results = pairs.map((p) => analyse(p, ests, given, String(values.seed)));
  if (values.out !== undefined) writeTables(values.out as string, results);
  if (values.json) process.stdout.write(toJson(jsonObjects(results)));
  else process.stdout.write(results.map((r) => pairText(file, r, given.convention as string)).join("\n"));
}
