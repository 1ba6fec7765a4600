import type { Core } from "../core/memory.js";
import type { Frame } from "../data/frame.js";
import type { Roles } from "../data/roles.js";
import type { ParamSpec } from "../params.js";
import type { Allocate } from "./arrays.js";
import type { RandomStream } from "./rng.js";

/** What a DGP returns: the data a user would see, and the truth behind it. */
export interface Simulated {
  /** Observed columns: outcome, exposure, covariates, instruments. */
  readonly data: Frame;
  /** Every parameter, the seed, the random backend, the true effect and the drawn nuisance values. */
  readonly meta: SimMeta;
  /** Roles of the columns, so that estimators need no guessing. */
  readonly roles: Roles;
}

export type { Roles } from "../data/roles.js";

/** Metadata of one simulated dataset. */
export interface SimMeta {
  readonly dgp: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: string | number;
  readonly rng: string;
  /** The population (average) causal effect that estimators target. */
  readonly beta_true: number;
  /** True effects of single rows (frame row indices and values), where the DGP defines them (deep_mr_sim). */
  readonly unit_truths?: { readonly rows: readonly number[]; readonly values: readonly number[] };
  readonly [key: string]: unknown;
}

/** What a DGP gets besides its parameters. */
export interface SimContext {
  readonly core: Core;
  readonly rng: RandomStream;
  /**
   * A new stream of the same backend seeded with `seed`, independent of `rng`: for draws that must
   * not depend on the replicate's seed (the study's per-cell design).
   */
  readonly stream: (seed: number) => RandomStream;
  /**
   * Storage for the dataset's arrays (pass it as the draws' `out`): fresh arrays by default, views
   * of the core's arena in sweep workers. Its contents are arbitrary: write every element before
   * reading, and allocate outside `core.scoped` calls (a scope frees what is allocated inside it).
   */
  readonly alloc: Allocate;
}

/** A data-generating process: one file under src/sim registers one of these. */
export interface Dgp<P extends object = Record<string, unknown>> {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly defaults: P;
  /**
   * Checks between parameters that each passed its own spec (e.g. a range's ends in order), so a
   * sweep refuses a bad cell before its first task; throws an input error naming `where`.
   */
  check(params: P, where: string): void;
  /** The names of the columns `simulate` gives for these parameters, in the frame's order (no simulation). */
  columns(params: P): readonly string[];
  /** The roles of the columns `simulate` gives for these parameters (no simulation): its `roles`. */
  roles(params: P): Roles;
  /** The number of rows `simulate` gives for these parameters (no simulation). */
  rows(params: P): number;
  /** The number of columns, `columns(params).length`, without making their names (sizes are checked first). */
  width(params: P): number;
  simulate(params: P, ctx: SimContext): Simulated;
}
