import type { Core } from "../core/memory.js";
import { factorDesign, type LsqFactor, type LsqFailure, putCentred, solveFactored } from "../estimators/lsq.js";
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

/** One sample's data for the per-SNP regressions. */
interface Sample {
  g: Float64Array;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  n: number;
  covariates: readonly Float64Array[];
}

/** Replaces each of the p centred columns at `v` (n rows) by its residuals on the factored covariates. */
function residualise(core: Core, f: LsqFactor, v: number, n: number, p: number): void {
  for (let j = 0; j < p; j++) {
    const col = v + j * n * 8;
    core.copyTo(col, solveFactored(core, f, col).resid, n);
  }
}

/**
 * The four marginal regressions of x and y on each column of G, in the core. With covariates W,
 * by Frisch-Waugh-Lovell: x, y and every G_j are first replaced by their residuals on [1, W], so
 * the simple regressions give the slopes of lm(x ~ G_j + W) and their residual sums of squares;
 * the SEs are then put on that model's n - 2 - k degrees of freedom (the kernel divides by n - 2).
 */
function regressionsInCore(core: Core, s: Sample, L: number): Float64Array | LsqFailure {
  const { n } = s;
  const k = s.covariates.length;
  const w = core.wasm;
  // snp_stats reads G as it is (it sums g and g^2 itself): G is copied only to be residualised.
  const pg = k > 0 ? core.put(s.g) : core.at(s.g);
  const xc = core.put(s.x);
  const yc = core.put(s.y);
  w.center(n, 1, xc, n, core.alloc(1));
  w.center(n, 1, yc, n, core.alloc(1));
  if (k > 0) {
    const f = factorDesign(core, n, k, putCentred(core, s.covariates, n));
    if (!f.ok) return f;
    w.center(n, L, pg, n, core.alloc(L));
    residualise(core, f, xc, n, 1);
    residualise(core, f, yc, n, 1);
    residualise(core, f, pg, n, L);
  }
  const out = core.alloc(4 * L);
  w.snp_stats(n, L, pg, n, xc, yc, w.dot(n, xc, xc), w.dot(n, yc, yc), out, out + 8 * L, out + 16 * L, out + 24 * L);
  const stats = core.read(out, 4 * L);
  const dfScale = Math.sqrt((n - 2) / (n - 2 - k));
  for (let j = L; j < 2 * L; j++) stats[j] = (stats[j] as number) * dfScale;
  for (let j = 3 * L; j < 4 * L; j++) stats[j] = (stats[j] as number) * dfScale;
  return stats;
}

/** Why per-SNP statistics could not be made: too few rows for the model, or unusable covariates. */
export interface SnpStatsFailure {
  readonly ok: false;
  readonly reason: "too_few_rows" | "constant_column" | "collinear";
}

/**
 * Summary statistics from individual-level data: for each instrument, the regressions of X on G_j
 * and of Y on G_j with an intercept and the `covariates` (slope and its SE on n - 2 - k df), in
 * one WASM pass over G. Two-sample data (a sample role of 1s and 2s) take the X associations
 * from sample 1 and the Y associations from sample 2, independent samples of the same population.
 */
export function perSnpStats(
  core: Core,
  d: IndividualData,
  covariates: readonly Float64Array[] = [],
): SummaryData | SnpStatsFailure {
  const L = d.instruments.cols;
  const { sample } = d;
  const pick = (which: number): Sample => {
    const keep = Array.from(sample ?? [], (v, i) => (v === which ? i : -1)).filter((i) => i >= 0);
    return {
      g: rowsOf(d.instruments.data, d.n, L, keep),
      x: keep.map((i) => d.exposure[i] as number),
      y: keep.map((i) => d.outcome[i] as number),
      n: keep.length,
      covariates: covariates.map((c) => Float64Array.from(keep, (i) => c[i] as number)),
    };
  };
  const samples = sample
    ? [pick(1), pick(2)]
    : [{ g: d.instruments.data, x: d.exposure, y: d.outcome, n: d.n, covariates }];
  const stats: Float64Array[] = [];
  for (const s of samples) {
    if (s.n - 2 - covariates.length < 1) return { ok: false, reason: "too_few_rows" };
    const r = core.scoped(regressionsInCore, core, s, L);
    if (!(r instanceof Float64Array)) return { ok: false, reason: r.reason };
    stats.push(r);
  }
  const a = stats[0] as Float64Array;
  const b = stats[1] ?? a;
  return {
    names: d.instrumentNames,
    bx: a.slice(0, L),
    sx: a.slice(L, 2 * L),
    by: b.slice(2 * L, 3 * L),
    sy: b.slice(3 * L),
  };
}

/** The variants of `d` at the indices `keep`, in that order. */
export function selectVariants(d: SummaryData, keep: readonly number[]): SummaryData {
  const take = (a: Float64Array) => Float64Array.from(keep, (i) => a[i] as number);
  return {
    names: keep.map((i) => d.names[i] as string),
    bx: take(d.bx),
    sx: take(d.sx),
    by: take(d.by),
    sy: take(d.sy),
  };
}
