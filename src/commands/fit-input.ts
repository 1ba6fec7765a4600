import { getCore } from "../core/load.js";
import type { Frame } from "../data/frame.js";
import { errors } from "../errors.js";
import { booleansAsNumbers } from "../io/booleans.js";
import type { RowLimit } from "../io/column-sink.js";
import { numericFrame } from "../io/columns.js";
import { completeCases, type Dropped } from "../io/complete-cases.js";
import { openNumericTable } from "../io/numeric-reader.js";
import { readTable } from "../io/read-table.js";
import { refuseBfileFlags } from "./fit-bfile.js";
import { type FitRoles, fitRoles } from "./fit-roles.js";

/** A fit's data read from a file: its wanted columns, their roles, and what --complete-cases dropped. */
export interface FitInput {
  file: string;
  data: Frame;
  roles: FitRoles;
  /** Rows --complete-cases dropped, and the file row number of kept row i (absent without it). */
  complete?: { dropped: Dropped; rowOf: (i: number) => number };
}

/**
 * Reads the data file's wanted columns. The streaming numeric reader serves the common case, and
 * --complete-cases (it drops rows with missing cells instead of refusing them); a --split column
 * (which may hold R's TRUE/FALSE) needs the cells as text first, so that reads the table.
 * The streaming reader stops at `limitOf(roles)`'s row limit (a dataset too large for the core)
 * and reads into the core itself: the caller settles the frame there (`settleInCore`) before any
 * other use of the core.
 */
export async function readCsvInput(
  positionals: readonly string[],
  ids: readonly string[],
  values: Record<string, unknown>,
  limitOf: (roles: FitRoles) => RowLimit,
): Promise<FitInput> {
  if (positionals.length !== 1)
    throw errors.invalid("fit", "arguments", "one data file", positionals.length ? positionals.join(" ") : "none");
  refuseBfileFlags(values);
  const file = positionals[0] as string;
  if (values.split !== undefined) return readAsText(file, ids, values);
  const table = await openNumericTable(file);
  try {
    const roles = fitRoles(file, table.names, ids, values);
    // Read into the core, the instruments first and end to end, as the fit places its data.
    const read = await table.readWithText(roles.wanted, [], {
      limit: limitOf(roles),
      core: getCore(),
      first: roles.instruments,
      completeCases: values["complete-cases"] === true,
    });
    return { file, data: read.frame, roles, ...(read.complete ? { complete: read.complete } : {}) };
  } finally {
    table.close();
  }
}

/** The text path: booleans of the split role as 0/1, complete cases when asked, then numbers. */
async function readAsText(file: string, ids: readonly string[], values: Record<string, unknown>): Promise<FitInput> {
  const table = await readTable(file);
  const roles = fitRoles(file, table.names, ids, values);
  const read = roles.split === undefined ? table : booleansAsNumbers(table, roles.split);
  if (!values["complete-cases"]) return { file, data: numericFrame(read, roles.wanted), roles };
  const complete = completeCases(read, roles.wanted);
  const data = numericFrame(complete.table, roles.wanted);
  const rowOf = (i: number) => complete.rowNumbers[i] as number;
  return { file, data, roles, complete: { dropped: complete.dropped, rowOf } };
}
