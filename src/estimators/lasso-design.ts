import type { Core } from "../core/memory.js";

/**
 * The design LassoCV fits, read where it lies (issue 25: no n x p copy of G). X is n x p at `x`
 * (column-major, leading dimension `ld` >= n: rows of larger data) and the kernels see Z = (X - 1 m^T) diag(k): m the column
 * means, k = 1 / (population SD) when standardising (StandardScaler; 1 for a constant column), else
 * 1. Z's rows are made a chunk at a time in a small scratch buffer, so a cross-product or a matrix-
 * vector product on Z runs through the usual kernels with the same arithmetic as on a standardised
 * copy, while neither standardising nor centring touches X.
 */

/** X seen as Z = (X - 1 m^T) diag(k); `means` and `scales` point to p doubles each in the core. */
export interface ImplicitDesign {
  readonly x: number;
  readonly ld: number;
  readonly n: number;
  readonly p: number;
  readonly means: number;
  readonly scales: number;
  /** Whether k = 1 / SD (the fit is on standardised X) or k = 1 (centring only, for the intercept). */
  readonly standardized: boolean;
}

/** Scratch per chunk of Z's rows (bytes), unless MIN_CHUNK_ROWS rows need more. */
const CHUNK_BYTES = 1 << 20;

/**
 * Fewest rows per chunk: the p x p cross-product of each chunk is added to its block's in
 * TypeScript, so a chunk needs many more rows than the p^2 / rows adds cost (0.4% at 256).
 */
const MIN_CHUNK_ROWS = 256;

/** Rows of Z a chunk holds for p columns. */
export function chunkRows(p: number): number {
  return Math.max(MIN_CHUNK_ROWS, Math.floor(CHUNK_BYTES / 8 / Math.max(1, p)));
}

/** Doubles of scratch `Chunks` and a chunk of ones take for a design with n rows and p columns (for workspace rules). */
export function chunkDoubles(n: number, p: number): number {
  return Math.min(n, chunkRows(p)) * (p + 1) + p * p;
}

/**
 * The means and scales of X (n x p at `x`, leading dimension `ld`), which is left as it was: the means as the core's
 * `center` makes them (one refinement pass) and the SD from the centred sum of squares, as a
 * standardised copy of X used to be made.
 */
export function implicitDesign(
  core: Core,
  at: { x: number; ld: number },
  n: number,
  p: number,
  standardized: boolean,
): ImplicitDesign {
  const { x, ld } = at;
  const means = core.alloc(p);
  const scales = core.alloc(p);
  core.wasm.column_stats(n, p, x, ld, means, scales);
  const k = core.view(scales, p);
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(k[j] as number) / Math.sqrt(n);
    k[j] = standardized && sd > 0 ? 1 / sd : 1;
  }
  return { x, ld, n, p, means, scales, standardized };
}

/**
 * Scratch for Z's rows, a chunk at a time: `rows` x p doubles at `at` (leading dimension = the
 * chunk's rows), and p x p doubles at `pp` for a chunk's cross-product. Allocate once per fit.
 */
export class Chunks {
  readonly rows: number;
  readonly at: number;
  readonly pp: number;

  /** `rows` per chunk: `chunkRows(p)` unless a test asks for fewer. */
  constructor(
    readonly core: Core,
    readonly d: ImplicitDesign,
    rows = chunkRows(d.p),
  ) {
    this.rows = Math.max(1, Math.min(d.n, rows));
    this.at = core.alloc(this.rows * d.p);
    this.pp = core.alloc(d.p * d.p);
  }

  /**
   * Writes rows [a, a + m) of Z to the scratch (m <= `rows`, leading dimension m): the same
   * (x - mean) * (1 / sd) per element as standardising a copy in place.
   */
  load(a: number, m: number): void {
    const { x, ld, p, means, scales } = this.d;
    this.core.wasm.scaled_rows(m, p, x + a * 8, ld, means, scales, this.at);
  }
}

/**
 * out (n doubles) = intercept + Z coef (coef: p doubles at `coef`), chunk by chunk through `gemv_n`:
 * the fitted values of a lasso on Z, from X where it lies.
 */
export function predictInto(chunks: Chunks, coef: number, intercept: number, out: number): void {
  const { core, d } = chunks;
  const { n, p } = d;
  core.view(out, n).fill(intercept);
  for (let a = 0; a < n; a += chunks.rows) {
    const m = Math.min(chunks.rows, n - a);
    chunks.load(a, m);
    core.wasm.gemv_n(m, p, 1, chunks.at, m, coef, 1, out + a * 8);
  }
}
