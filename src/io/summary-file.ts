import { errors } from "../errors.js";
import type { SummaryData } from "../summary/data.js";
import { BOOLEAN_TEXTS, booleanCell } from "./booleans.js";
import { cellValue } from "./columns.js";
import { type RawTable, readTable } from "./read-table.js";

/**
 * Harmonised summary files as TwoSampleMR writes them (harmonise_data's output saved with
 * write.csv): one row per variant and exposure-outcome pair, `mr_keep` marking the rows MR may
 * use, `id.exposure`/`id.outcome` (or `exposure`/`outcome`) naming the pair, and the sample sizes
 * MR-Steiger needs. Rows are split into pairs in order of first appearance.
 */

/** Accepted names of each column: TwoSampleMR's, then the same with underscores. */
const NAMES = {
  bx: ["beta.exposure", "beta_exposure"],
  sx: ["se.exposure", "se_exposure"],
  by: ["beta.outcome", "beta_outcome"],
  sy: ["se.outcome", "se_outcome"],
  nx: ["samplesize.exposure", "samplesize_exposure"],
  ny: ["samplesize.outcome", "samplesize_outcome"],
  rx: ["rsq.exposure", "rsq_exposure"],
  ry: ["rsq.outcome", "rsq_outcome"],
  keep: ["mr_keep"],
  idExposure: ["id.exposure", "id_exposure"],
  idOutcome: ["id.outcome", "id_outcome"],
  exposure: ["exposure"],
  outcome: ["outcome"],
  snp: ["SNP", "snp"],
} as const;

type Role = keyof typeof NAMES;
const STATS = ["bx", "sx", "by", "sy"] as const;

/** The names identifying an exposure-outcome pair (empty when the file has no such column). */
export interface PairKey {
  readonly "id.exposure": string;
  readonly "id.outcome": string;
  readonly exposure: string;
  readonly outcome: string;
}

/** A row left out of MR, with its row number (the header is row 1) and why. */
export interface DroppedRow {
  readonly row: number;
  readonly variant: string;
  readonly reason: string;
}

/** One exposure-outcome pair's variants, ready for the summary-level methods. */
export interface SummaryPair {
  readonly key: PairKey;
  readonly data: SummaryData;
  /** File row number of each variant in `data`. */
  readonly rows: readonly number[];
  /** Sample sizes per variant, or why MR-Steiger cannot run. */
  readonly samplesize: { exposure: Float64Array; outcome: Float64Array } | { missing: string };
  /**
   * Variance explained per variant from the file's rsq.exposure / rsq.outcome columns (TwoSampleMR's
   * add_rsq and steiger_filtering write them; its directionality test uses them when present), or
   * null for a side whose column is absent or not a number in [0, 1) in every row used.
   */
  readonly rsq: { exposure: Float64Array | null; outcome: Float64Array | null };
  readonly dropped: readonly DroppedRow[];
}

/** How a file is read: column names given by flags, and whether rows with missing cells are dropped. */
export interface SummaryFileOptions {
  readonly columns: Partial<Record<"bx" | "sx" | "by" | "sy", string>>;
  readonly dropMissing: boolean;
}

/** The column of each role: the flag's name (which must exist), else the first accepted name present. */
function columnsOf(table: RawTable, given: SummaryFileOptions["columns"]): Partial<Record<Role, number>> {
  const out: Partial<Record<Role, number>> = {};
  for (const role of Object.keys(NAMES) as Role[]) {
    const flag = (given as Record<string, string | undefined>)[role];
    if (flag !== undefined && !table.names.includes(flag)) throw errors.missingColumn(table.file, flag, table.names);
    const name = flag ?? NAMES[role].find((n) => table.names.includes(n));
    if (name !== undefined) out[role] = table.names.indexOf(name);
    else if ((STATS as readonly string[]).includes(role))
      throw errors.missingColumn(table.file, NAMES[role][0], table.names);
  }
  return out;
}

/** Whether row i may be used: mr_keep TRUE (or no mr_keep column); a missing mr_keep is a missing cell. */
function keepOf(table: RawTable, j: number | undefined, i: number): boolean | "missing" {
  if (j === undefined) return true;
  const text = (table.rows[i] as readonly string[])[j] as string;
  if (text === "" || text === "NA") return "missing";
  const b = booleanCell(text);
  if (b === undefined) throw errors.invalid(table.file, `column "mr_keep" row ${i + 2}`, BOOLEAN_TEXTS, text);
  return b;
}

/** The message for missing cells in a column MR needs (the first of `rows`), without --drop-missing. */
function missingCells(
  table: RawTable,
  cols: Partial<Record<Role, number>>,
  column: string,
  rows: readonly number[],
): Error {
  const i = rows[0] as number;
  const j = table.names.indexOf(column);
  const text = (table.rows[i] as readonly string[])[j] as string;
  const then = "--drop-missing drops such rows and reports them";
  if (j === cols.keep)
    return errors.invalid(
      table.file,
      `column ${JSON.stringify(column)} row ${i + 2}`,
      `${BOOLEAN_TEXTS}; ${then}`,
      text,
    );
  return errors.badCells(table.file, column, rows.length, i + 2, text, then);
}

/** Positive SEs and non-zero bx in the rows used, each failure naming its file row. */
function checkValues(table: RawTable, cols: Partial<Record<Role, number>>, d: SummaryData, rows: readonly number[]) {
  const name = (role: Role) => JSON.stringify(table.names[cols[role] as number]);
  for (const [role, v] of [
    ["sx", d.sx],
    ["sy", d.sy],
  ] as const) {
    const bad = v.findIndex((s) => !(s > 0));
    if (bad >= 0)
      throw errors.invalid(table.file, `column ${name(role)} row ${rows[bad]}`, "a positive standard error", v[bad]);
  }
  const zero = d.bx.indexOf(0);
  if (zero >= 0)
    throw errors.invalid(
      table.file,
      `column ${name("bx")} row ${rows[zero]}`,
      "non-zero (ratio estimates divide by it)",
      0,
    );
}

/** The text of row i's cell in the column of `role`, or "" when the file has no such column. */
function textOf(table: RawTable, cols: Partial<Record<Role, number>>, role: Role, i: number): string {
  const j = cols[role];
  return j === undefined ? "" : ((table.rows[i] as readonly string[])[j] as string);
}

/** The file's row indices grouped by pair, in order of first appearance. */
function groups(table: RawTable, cols: Partial<Record<Role, number>>): Map<string, number[]> {
  const byId = cols.idExposure !== undefined || cols.idOutcome !== undefined;
  const roles: Role[] = byId ? ["idExposure", "idOutcome"] : ["exposure", "outcome"];
  const out = new Map<string, number[]>();
  table.rows.forEach((_, i) => {
    const k = JSON.stringify(roles.map((r) => textOf(table, cols, r, i)));
    const rows = out.get(k);
    if (rows) rows.push(i);
    else out.set(k, [i]);
  });
  return out;
}

/** One pair from its row indices: mr_keep applied, missing cells dropped or refused, values checked. */
function pairOf(table: RawTable, cols: Partial<Record<Role, number>>, indices: number[], dropMissing: boolean) {
  const variant = (i: number) => textOf(table, cols, "snp", i) || `row${i + 2}`;
  const dropped: DroppedRow[] = [];
  const used: number[] = [];
  const missingBy = new Map<string, number[]>();
  for (const i of indices) {
    const keep = keepOf(table, cols.keep, i);
    if (keep === false) {
      dropped.push({ row: i + 2, variant: variant(i), reason: "mr_keep FALSE" });
      continue;
    }
    const missing = [...STATS, ...(keep === "missing" ? (["keep"] as const) : [])]
      .filter((role) => role === "keep" || Number.isNaN(cellValue(textOf(table, cols, role, i))))
      .map((role) => table.names[cols[role] as number] as string);
    for (const m of missing) {
      const seen = missingBy.get(m);
      if (seen) seen.push(i);
      else missingBy.set(m, [i]);
    }
    if (missing.length === 0) used.push(i);
    else dropped.push({ row: i + 2, variant: variant(i), reason: `missing ${missing.join(", ")}` });
  }
  const firstMissing = [...missingBy][0];
  if (!dropMissing && firstMissing) throw missingCells(table, cols, firstMissing[0], firstMissing[1]);
  const column = (role: Role) => Float64Array.from(used, (i) => cellValue(textOf(table, cols, role, i)));
  const data: SummaryData = {
    names: used.map(variant),
    bx: column("bx"),
    sx: column("sx"),
    by: column("by"),
    sy: column("sy"),
  };
  const rows = used.map((i) => i + 2);
  checkValues(table, cols, data, rows);
  const rsq = (role: "rx" | "ry") => {
    const v = cols[role] === undefined ? null : column(role);
    return v?.every((r) => r >= 0 && r < 1) ? v : null;
  };
  return {
    data,
    rows,
    dropped,
    samplesize: sampleSizes(table, cols, used, column),
    rsq: { exposure: rsq("rx"), outcome: rsq("ry") },
  };
}

/** The pair's sample sizes, or why there are none (no column, or missing or non-positive values). */
function sampleSizes(
  table: RawTable,
  cols: Partial<Record<Role, number>>,
  used: readonly number[],
  column: (role: Role) => Float64Array,
): SummaryPair["samplesize"] {
  for (const role of ["nx", "ny"] as const) {
    if (cols[role] === undefined) return { missing: `no column ${NAMES[role][0]}` };
    const bad = column(role).findIndex((n) => !(n > 3));
    if (bad >= 0)
      return { missing: `${table.names[cols[role]]} is not a number above 3 at row ${(used[bad] as number) + 2}` };
  }
  return { exposure: column("nx"), outcome: column("ny") };
}

/** Reads a harmonised summary file into its exposure-outcome pairs. */
export async function readSummaryPairs(file: string, options: SummaryFileOptions): Promise<SummaryPair[]> {
  const table = await readTable(file, "mr");
  const cols = columnsOf(table, options.columns);
  return [...groups(table, cols).values()].map((indices) => {
    const i = indices[0] as number;
    const key: PairKey = {
      "id.exposure": textOf(table, cols, "idExposure", i),
      "id.outcome": textOf(table, cols, "idOutcome", i),
      exposure: textOf(table, cols, "exposure", i),
      outcome: textOf(table, cols, "outcome", i),
    };
    return { key, ...pairOf(table, cols, indices, options.dropMissing) };
  });
}
