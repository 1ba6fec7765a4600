import type { deepMrDgp } from "./deep-mr.js";
import type { invarianceDgp } from "./invariance.js";
import type { studyDgp } from "./study.js";
import type { Dgp } from "./types.js";

/** The parameters type a DGP object was declared with. */
export type ParamsOfDgp<D> = D extends Dgp<infer P> ? P : never;

/**
 * The parameters of each built-in DGP by id, taken from the DGP objects themselves (their specs
 * and defaults are checked against these types where they are declared), so that
 * `simulate("study", { n: "2000" })` does not compile.
 */
export interface DgpParamMap {
  study: ParamsOfDgp<typeof studyDgp>;
  invariance: ParamsOfDgp<typeof invarianceDgp>;
  deep_mr_sim: ParamsOfDgp<typeof deepMrDgp>;
}

/**
 * What `simulate` takes for the DGP `K`: any subset of a built-in DGP's parameters, each of its
 * type; for a plug-in's DGP (an id not known when compiling) any object, validated when called.
 */
export type DgpParamsInput<K extends string> = K extends keyof DgpParamMap
  ? Partial<DgpParamMap[K]>
  : Readonly<Record<string, unknown>>;
