import { errors } from "../errors.js";
import { deepMrDgp } from "./deep-mr.js";
import { invarianceDgp } from "./invariance.js";
import { studyDgp } from "./study.js";
import type { Dgp } from "./types.js";

/** Every data-generating process, keyed by id. A new DGP is one file plus one line here. */
export const dgps: ReadonlyMap<string, Dgp<object>> = new Map<string, Dgp<object>>(
  [studyDgp, invarianceDgp, deepMrDgp].map((d) => d as unknown as Dgp<object>).map((d) => [d.id, d]),
);

/** The DGP with this id, or an input error listing the known ones. */
export function getDgp(id: string, where = "simulate"): Dgp<object> {
  const d = dgps.get(id);
  if (!d) throw errors.unknownId(where, "--dgp", id, [...dgps.keys()]);
  return d;
}
