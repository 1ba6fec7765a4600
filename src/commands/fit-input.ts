import { getCore } from "../core/load.js";
import type { Frame } from "../data/frame.js";
import { errors } from "../errors.js";
import type { RowLimit } from "../io/column-sink.js";
import type { Dropped } from "../io/complete-cases.js";
import { openNumericTable } from "../io/numeric-reader.js";
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
 * Reads the data file's wanted columns with the streaming numeric reader: --complete-cases drops
 * rows with missing cells instead of refusing them, and the --split column may hold R's
 * TRUE/FALSE.
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
  const table = await openNumericTable(file);
  try {
    const roles = fitRoles(file, table.names, ids, values);
    // Read into the core, the instruments first and end to end, as the fit places its data.
    const read = await table.readWithText(roles.wanted, [], {
      limit: limitOf(roles),
      core: getCore(),
      first: roles.instruments,
      completeCases: values["complete-cases"] === true,
      booleans: roles.split === undefined ? [] : [roles.split],
    });
    return { file, data: read.frame, roles, ...(read.complete ? { complete: read.complete } : {}) };
  } finally {
    table.close();
  }
}
