import { getCore } from "../core/load.js";
import { errors } from "../errors.js";
import type { EstimateRow } from "../estimators/types.js";
import { numericFrame } from "../io/columns.js";
import { readTable } from "../io/read-table.js";
import { resolveParams } from "../params.js";
import type { SummaryData } from "../summary/data.js";
import { SUMMARY_ESTIMATORS } from "../summary/estimators.js";
import { CONVENTIONS, type Convention } from "../summary/methods.js";
import { helpText, parseCommand } from "./args.js";
import { estimateJson, estimateTable } from "./format.js";

/** Accepted names of each column: TwoSampleMR's, then the same with underscores. */
const NAMES: Record<string, readonly string[]> = {
  bx: ["beta.exposure", "beta_exposure"],
  sx: ["se.exposure", "se_exposure"],
  by: ["beta.outcome", "beta_outcome"],
  sy: ["se.outcome", "se_outcome"],
};

const USAGE = helpText(
  "mrsweep mr summary.csv [--json] [--convention MendelianRandomization|TwoSampleMR] [--bx COL --sx COL --by COL --sy COL] [--seed N]",
  "Summary-level MR on a harmonised file (one row per variant): IVW, MR-Egger, weighted and simple median,\nweighted mode, with MendelianRandomization's defaults or TwoSampleMR's conventions. Columns: TwoSampleMR's\nnames (beta.exposure, se.exposure, beta.outcome, se.outcome; optional SNP), the same with underscores, or\nmapped by flags. .gz files are decompressed.",
  [
    ["--bx COL", "SNP-exposure estimates"],
    ["--sx COL", "their standard errors"],
    ["--by COL", "SNP-outcome estimates"],
    ["--sy COL", "their standard errors"],
    [
      "--convention NAME",
      "MendelianRandomization (default) or TwoSampleMR: IVW and Egger SEs and p-values, median weights, bootstraps",
    ],
    ["--seed N", "seed of the bootstrap SEs (default 314159265, as MendelianRandomization)"],
    ["--json", "print a JSON array, one object per method"],
    ["-h, --help", "show this help"],
  ],
);

/** Reads and checks a harmonised summary file. */
async function readSummary(file: string, flags: Record<string, unknown>): Promise<SummaryData> {
  const table = await readTable(file, "mr");
  const pick = (key: string): string => {
    const given = flags[key];
    if (typeof given === "string") {
      if (!table.names.includes(given)) throw errors.missingColumn(file, given, table.names);
      return given;
    }
    const found = (NAMES[key] as readonly string[]).find((n) => table.names.includes(n));
    if (!found) throw errors.missingColumn(file, (NAMES[key] as readonly string[])[0] as string, table.names);
    return found;
  };
  const cols = ["bx", "sx", "by", "sy"].map(pick);
  const data = numericFrame(table, cols);
  const [bx, sx, by, sy] = data.columns as [Float64Array, Float64Array, Float64Array, Float64Array];
  [sx, sy].forEach((s, k) => {
    const bad = s.findIndex((v) => !(v > 0));
    if (bad >= 0)
      throw errors.invalid(
        file,
        `column "${cols[k === 0 ? 1 : 3]}" row ${bad + 2}`,
        "a positive standard error",
        s[bad],
      );
  });
  const zero = bx.indexOf(0);
  if (zero >= 0)
    throw errors.invalid(file, `column "${cols[0]}" row ${zero + 2}`, "non-zero (ratio estimates divide by it)", 0);
  const snp = table.names.indexOf("SNP");
  const names = table.rows.map((r, i) => (snp >= 0 ? (r[snp] as string) : `variant${i + 1}`));
  return { names, bx, sx, by, sy };
}

/** `mrsweep mr`: every summary-level method on a harmonised file. */
export async function mrCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("mr", argv, {
    bx: { type: "string" },
    sx: { type: "string" },
    by: { type: "string" },
    sy: { type: "string" },
    seed: { type: "string", default: "314159265" },
    convention: { type: "string", default: "MendelianRandomization" },
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
  const data = await readSummary(file, values);
  const ctx = { core: getCore(), seed: String(values.seed) };
  // Summary statistics from separate exposure and outcome samples, as these methods assume: the
  // first stage's error is independent of the outcome's, and the intervals are asymptotic.
  const rows: EstimateRow[] = SUMMARY_ESTIMATORS.map((e) => ({
    ...e.fit(data, resolveParams(e.id, e.params, e.defaults, { convention }), ctx),
    interval: "asymptotic",
  }));
  if (values.json) {
    process.stdout.write(estimateJson(rows));
    return;
  }
  process.stdout.write(`${file}: ${data.bx.length} variants, ${convention} conventions\n`);
  process.stdout.write(estimateTable(rows));
  const [ivwRow, eggerRow] = rows;
  process.stdout.write(
    `IVW: Cochran's Q ${ivwRow?.extras.q?.toFixed(2)} on ${ivwRow?.extras.q_df} df (p ${ivwRow?.extras.q_p?.toExponential(2)}). ` +
      `MR-Egger intercept ${eggerRow?.extras.intercept?.toPrecision(4)} (SE ${eggerRow?.extras.intercept_se?.toPrecision(3)}, p ${eggerRow?.extras.intercept_p?.toPrecision(3)}), I²_GX ${eggerRow?.extras.i2_gx?.toFixed(3)}\n`,
  );
}
