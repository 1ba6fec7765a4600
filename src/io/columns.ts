import { type Frame, frame } from "../data/frame.js";
import { described, errors } from "../errors.js";
import type { RawTable } from "./read-table.js";

/** Turns a glob (`*` any run, `?` one character; case-sensitive) into an anchored regex. */
function globRegex(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${body}$`);
}

/**
 * The column names matched by a comma-separated list of names and globs, in file order, each once.
 * A pattern that matches nothing is an input error.
 */
export function matchColumns(file: string, names: readonly string[], patterns: string, flag: string): string[] {
  const chosen = new Set<string>();
  for (const pat of patterns
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const re = globRegex(pat);
    const hits = names.filter((n) => re.test(n));
    if (hits.length === 0)
      throw errors.invalid(
        file,
        `${flag} pattern ${JSON.stringify(pat)}`,
        "a column name or glob that matches a column",
        described(`no match among ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", ..." : ""}`),
      );
    for (const h of hits) chosen.add(h);
  }
  return names.filter((n) => chosen.has(n));
}

/**
 * A decimal number as written in data files: optional sign, digits with an optional point (`5`,
 * `5.`, `.5`, `-0.5`), optional exponent (`1e-3`). Number() alone also takes `0x1F`, `0b101`,
 * `0o17` and `Infinity`, which no data file means: a hex-looking ID column would silently become
 * numbers and change the estimates.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses one cell: a finite decimal number, or NaN for anything else (empty, NA, "1,5", Inf, 0x1F). */
export function cellValue(text: string): number {
  if (!DECIMAL.test(text)) return Number.NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : Number.NaN;
}

/**
 * Converts the named columns of a raw table to numbers. A column with any empty, non-numeric or
 * non-finite cell is an input error naming the column, how many cells and the first one.
 */
export function numericFrame(table: RawTable, wanted: readonly string[]): Frame {
  const n = table.rows.length;
  const entries = wanted.map((name) => {
    const j = table.names.indexOf(name);
    if (j < 0) throw errors.missingColumn(table.file, name, table.names);
    const values = new Float64Array(n);
    let bad = 0;
    let firstRow = -1;
    let integer = true;
    for (let i = 0; i < n; i++) {
      const text = (table.rows[i] as readonly string[])[j] as string;
      const v = cellValue(text);
      if (Number.isNaN(v)) {
        if (bad++ === 0) firstRow = i;
      } else if (!Number.isInteger(v)) integer = false;
      values[i] = v;
    }
    if (bad > 0) {
      const first = (table.rows[firstRow] as readonly string[])[j] as string;
      throw errors.badCells(table.file, name, bad, firstRow + 2, first);
    }
    return [name, values, integer] as const;
  });
  return frame(entries);
}
