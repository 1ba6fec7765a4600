import { errors } from "../errors.js";
import { deepMrDgp } from "./deep-mr.js";
import { invarianceDgp } from "./invariance.js";
import { studyDgp } from "./study.js";
import type { Dgp } from "./types.js";

/** Every built-in data-generating process, keyed by id. A new DGP is one file plus one line here. */
const all = new Map<string, Dgp<object>>(
  [studyDgp, invarianceDgp, deepMrDgp].map((d) => d as unknown as Dgp<object>).map((d) => [d.id, d]),
);

/** Every data-generating process, keyed by id: the built-in ones, then those plug-ins added (src/plugins/). */
export const dgps: ReadonlyMap<string, Dgp<object>> = all;

/** The ids of the built-in DGPs (a plug-in may not reuse one). */
export const BUILT_IN_DGPS: ReadonlySet<string> = new Set(all.keys());

/** Adds (or replaces) a plug-in's DGP; src/plugins/register.ts checks its id first. */
export function addDgp(d: Dgp<object>): void {
  all.set(d.id, d);
}

/** The DGP with this id, or an input error listing the known ones. */
export function getDgp(id: string, where = "simulate"): Dgp<object> {
  const d = dgps.get(id);
  if (!d) throw errors.unknownId(where, "--dgp", id, [...dgps.keys()]);
  return d;
}
