import { gramScratch } from "./design.js";
import type { Estimator } from "./types.js";

/** What a fit's workspace is sized from: the dataset's rows, all its columns, and its instruments. */
export interface DataShape {
  readonly n: number;
  readonly columns: number;
  readonly instruments: number;
  /**
   * Whether the data have a sample role (two samples): an estimator that fits sample 1 alone then
   * reads a copy of its rows (src/estimators/sample.ts). Absent: one sample.
   */
  readonly twoSample?: boolean;
}

/**
 * Bytes of the core's arena a fit uses at most, beyond the dataset, as a multiple of the dataset's
 * bytes, for estimators without a rule of their own. Set from tsls_lasso's 2.9 (two samples,
 * n = 20000, L = 50) when it copied G twice; it now reads G in place and has its own rule. On a
 * dataset placed in the core (n = 20000, L = 50, with context) the others measured at most 1.7
 * (ctx_first_tsls), except tsls_interact at 8.2 (its L x context interactions), which this factor
 * does not cover. checkCoreCapacity in src/core/capacity.ts adds the dataset to it.
 */
export const WORKSPACE_FACTOR = 3;

/** Fixed bytes on top, for what does not grow with the data (encoder weights, alpha grids, small fits). */
export const WORKSPACE_FLOOR = 16 << 20;

/** The workspace an estimator without its own rule gets: WORKSPACE_FACTOR datasets and the floor. */
export function defaultWorkspace(shape: DataShape): number {
  return WORKSPACE_FACTOR * shape.n * shape.columns * 8 + WORKSPACE_FLOOR;
}

/**
 * The workspace of a fit on an OLS first stage whose design is read where it lies
 * (src/estimators/design.ts: tsls, kclass): `vectors` n-vectors, the factorisation's p x p matrices
 * and a block of centred rows, p = instruments + covariates; never a copy of G, since fit and sweep
 * place the data in the core. With two samples, sample 1's rows of G are a copy (at most n x L).
 */
export function olsStageWorkspace(shape: DataShape, covariates: number, vectors: number): number {
  const { n, instruments: L } = shape;
  const p = L + covariates;
  const doubles = vectors * n + 4 * p * p + gramScratch(n, p) + 16 * (p + 4);
  return 8 * (doubles + (shape.twoSample ? n * L : 0)) + SMALL_FIT_BYTES;
}

/** Bytes on top of an OLS-stage rule for its small allocations (16-byte alignment of each, k x k second stages). */
const SMALL_FIT_BYTES = 64 << 10;

/**
 * The bytes of the core's arena `est` may use in one fit with `params` on data of this shape: its
 * own `workspace` rule, or the default. A sweep reserves the largest before the task's fits, so no
 * fit grows memory (growth would detach the dataset's views); test/estimators/workspace.test.ts
 * checks every registered estimator's peak against its rule.
 */
export function workspaceOf(est: Estimator<object>, shape: DataShape, params: object): number {
  return est.workspace ? est.workspace(shape, params) : defaultWorkspace(shape);
}

/** An estimator chosen for a fit, with its resolved parameters and the name its rows carry. */
export interface ChosenEstimator {
  readonly name: string;
  readonly estimator: Estimator<object>;
  readonly params: object;
}

/**
 * The largest workspace among the chosen estimators on data of this shape, and whose it is: the
 * fits of one dataset run one after another, so the core needs room for the largest alone.
 */
export function largestWorkspace(shape: DataShape, chosen: readonly ChosenEstimator[]): { bytes: number; by: string } {
  let most = { bytes: 0, by: "" };
  for (const c of chosen) {
    const bytes = workspaceOf(c.estimator, shape, c.params);
    if (bytes > most.bytes) most = { bytes, by: c.name };
  }
  return most;
}
