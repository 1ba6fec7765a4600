import type { RawTable } from "./read-table.js";

/**
 * Booleans as data files write them. R's write.csv writes logicals as TRUE and FALSE (and reads
 * T/F as logical too); other tools write true/false or 1/0. All of them are accepted, in any case.
 */
const TRUE_TEXTS = new Set(["true", "t", "1", "yes"]);
const FALSE_TEXTS = new Set(["false", "f", "0", "no"]);

/** What boolean cells may hold, for messages. */
export const BOOLEAN_TEXTS = "TRUE or FALSE (as R writes logicals; also true/false, T/F, yes/no, 1/0)";

/** A boolean cell: true, false, or undefined when the text is none of the accepted spellings. */
export function booleanCell(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE_TEXTS.has(t)) return true;
  if (FALSE_TEXTS.has(t)) return false;
  return undefined;
}

/**
 * The table with the named column's boolean cells (any accepted spelling) rewritten as 1 and 0,
 * for roles read as numbers but often saved from R as logicals (the split role: TRUE = validation).
 * Other cells are left as they are, for the numeric reader to judge.
 */
export function booleansAsNumbers(table: RawTable, column: string): RawTable {
  const j = table.names.indexOf(column);
  if (j < 0) return table;
  const rows = table.rows.map((row) => {
    const b = booleanCell(row[j] as string);
    return b === undefined ? row : row.map((c, k) => (k === j ? (b ? "1" : "0") : c));
  });
  return { ...table, rows };
}
