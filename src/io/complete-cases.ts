import { cellValue } from "./columns.js";
import type { RawTable } from "./read-table.js";

/** What complete-case filtering dropped: rows in all, and per column (in the order asked) the rows whose cell was missing. */
export interface Dropped {
  readonly rows: number;
  readonly byColumn: ReadonlyMap<string, number>;
}

/**
 * The rows of `table` whose cells in `wanted` are all finite numbers (R's complete.cases on those
 * columns, with non-numeric text counted as missing too), what was dropped, and the file row
 * number of each row kept (header = row 1), so that later messages name the file's rows. Columns absent
 * from the table are left to the caller's own check.
 */
export function completeCases(
  table: RawTable,
  wanted: readonly string[],
): { table: RawTable; dropped: Dropped; rowNumbers: number[] } {
  const cols = wanted.map((name) => [name, table.names.indexOf(name)] as const).filter(([, j]) => j >= 0);
  const byColumn = new Map<string, number>();
  const rowNumbers: number[] = [];
  const rows = table.rows.filter((row, i) => {
    let complete = true;
    for (const [name, j] of cols) {
      if (!Number.isNaN(cellValue(row[j] as string))) continue;
      byColumn.set(name, (byColumn.get(name) ?? 0) + 1);
      complete = false;
    }
    if (complete) rowNumbers.push(i + 2);
    return complete;
  });
  // Per column in the order of `wanted`, not in the order the rows met them.
  const ordered = new Map(cols.filter(([name]) => byColumn.has(name)).map(([name]) => [name, byColumn.get(name) ?? 0]));
  return {
    table: { ...table, rows },
    dropped: { rows: table.rows.length - rows.length, byColumn: ordered },
    rowNumbers,
  };
}

/** "12 rows with missing values (X 3, G2 9)" for a message or a report line. */
export function droppedText(d: Dropped): string {
  const cols = [...d.byColumn].map(([name, k]) => `${name} ${k}`).join(", ");
  return `${d.rows} ${d.rows === 1 ? "row" : "rows"} with missing values${cols ? ` (${cols})` : ""}`;
}
