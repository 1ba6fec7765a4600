import { checkCoreCapacity } from "../core/capacity.js";
import { getCore } from "../core/load.js";
import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { resolveParams } from "../params.js";
import { type Allocate, freshArrays } from "./arrays.js";
import { numpyStream, seedrandomStream } from "./numpy/stream.js";
import type { DgpParamsInput } from "./param-types.js";
import { getDgp } from "./registry.js";
import type { RandomStream } from "./rng.js";
import type { Dgp, Simulated } from "./types.js";

/**
 * Random backends by id. Both draw in bulk in WASM with numpy's algorithms on PCG64; `numpy` seeds
 * like `np.random.default_rng(seed)` (bit-identical streams), `seedrandom` (the default) takes its
 * seed words from seedrandom.
 */
export const BACKENDS: Readonly<Record<string, (seed: number, core: Core) => RandomStream>> = {
  seedrandom: (seed, core) => seedrandomStream(seed, core),
  numpy: (seed, core) => numpyStream(seed, core),
};

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Random backend id (default `seedrandom`). */
  rng?: string;
  /** The numeric core to use (default: this thread's). */
  core?: Core;
  /** Storage for the dataset's arrays (default: fresh arrays; a sweep worker passes views of the core's arena). */
  alloc?: Allocate;
}

/**
 * Simulates one dataset from the DGP `dgpId`. Parameters not given take the DGP's defaults; all
 * are validated first, and the seed parameter seeds the random stream. For a built-in DGP the
 * parameters are typed (`simulate("study", { n: "2000" })` does not compile); a plug-in's DGP
 * takes any object, checked against its specs when called.
 */
export function simulate<K extends string>(
  dgpId: K,
  params: DgpParamsInput<K> = {} as DgpParamsInput<K>,
  opts: SimulateOptions = {},
): Simulated {
  const dgp = getDgp(dgpId);
  return simulateResolved(
    dgp,
    resolveParams(dgp.id, dgp.params, dgp.defaults, params as Record<string, unknown>),
    opts,
  );
}

/**
 * Simulates from parameters `resolveParams` already gave for this DGP (a sweep worker resolves a
 * cell's parameters once and sets each task's seed). A dataset the core cannot hold is refused
 * before anything is drawn: the draws pass through the core (a sweep's stay there), and the
 * genotypes are copied in whole to make the exposure and outcome.
 */
export function simulateResolved(
  dgp: Dgp<object>,
  p: { readonly seed?: unknown },
  opts: SimulateOptions = {},
): Simulated {
  const backend = opts.rng ?? "seedrandom";
  const make = BACKENDS[backend];
  if (!make) throw errors.unknownId("simulate", "--rng", backend, Object.keys(BACKENDS));
  checkCoreCapacity("simulate", { rows: dgp.rows(p), columns: dgp.width(p), workspace: 0 });
  const core = opts.core ?? getCore();
  return dgp.simulate(p, {
    core,
    rng: make(p.seed as number, core),
    stream: (seed) => make(seed, core),
    alloc: opts.alloc ?? freshArrays,
  });
}
