import type { Core } from "../core/memory.js";
import type { IndividualData } from "../estimators/types.js";

/** Per-variant summary statistics: SNP-exposure (bx, sx) and SNP-outcome (by, sy) estimates and SEs. */
export interface SummaryData {
  readonly names: readonly string[];
  readonly bx: Float64Array;
  readonly sx: Float64Array;
  readonly by: Float64Array;
  readonly sy: Float64Array;
}

/** The rows of a column-major n x L matrix picked by `keep`, as a new matrix. */
function rowsOf(g: Float64Array, n: number, L: number, keep: readonly number[]): Float64Array {
  const m = keep.length;
  const out = new Float64Array(m * L);
  for (let j = 0; j < L; j++) for (let k = 0; k < m; k++) out[j * m + k] = g[j * n + (keep[k] as number)] as number;
  return out;
}

/** The four marginal regressions of x and y on each column of G (n rows), in the core. */
function regressions(
  core: Core,
  g: Float64Array,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  L: number,
): Float64Array {
  return core.scoped(() => {
    const pg = core.put(g);
    const xc = core.put(x);
    const yc = core.put(y);
    const means = core.alloc(2);
    const w = core.wasm;
    w.center(n, 1, xc, n, means);
    w.center(n, 1, yc, n, means + 8);
    const out = core.alloc(4 * L);
    w.snp_stats(n, L, pg, n, xc, yc, w.dot(n, xc, xc), w.dot(n, yc, yc), out, out + 8 * L, out + 16 * L, out + 24 * L);
    return core.read(out, 4 * L);
  });
}

/**
 * Summary statistics from individual-level data: for each instrument, the simple regressions of X
 * on G_j and of Y on G_j with an intercept (slope and its SE on n - 2 df), in one WASM pass over G.
 * Two-sample data (a `sample` column of 1s and 2s) take the X associations from sample 1 and the
 * Y associations from sample 2, independent samples of the same population.
 */
export function perSnpStats(core: Core, d: IndividualData): SummaryData {
  const L = d.instruments.cols;
  const sample = d.columns.get("sample");
  const pick = (which: number) => {
    const keep = Array.from(sample ?? [], (v, i) => (v === which ? i : -1)).filter((i) => i >= 0);
    return {
      g: rowsOf(d.instruments.data, d.n, L, keep),
      x: keep.map((i) => d.exposure[i] as number),
      y: keep.map((i) => d.outcome[i] as number),
      n: keep.length,
    };
  };
  const [first, second] = sample ? [pick(1), pick(2)] : [null, null];
  const a = first
    ? regressions(core, first.g, first.x, first.y, first.n, L)
    : regressions(core, d.instruments.data, d.exposure, d.outcome, d.n, L);
  const b = second ? regressions(core, second.g, second.x, second.y, second.n, L) : a;
  return {
    names: d.instrumentNames,
    bx: a.slice(0, L),
    sx: a.slice(L, 2 * L),
    by: b.slice(2 * L, 3 * L),
    sy: b.slice(3 * L),
  };
}
