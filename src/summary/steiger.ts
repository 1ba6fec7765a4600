import { normalSf } from "../stats/normal.js";
import type { SummaryData } from "./data.js";

/**
 * MR-Steiger directionality (Hemani, Tilling & Davey Smith 2017; TwoSampleMR's directionality_test
 * and steiger_filtering for continuous traits). The variance a variant explains in a trait is
 * r^2 = t^2 / (t^2 + n - 2) with t = b / se: the identity between a simple regression's t (F = t^2)
 * and its R^2 on n - 2 residual df, which TwoSampleMR's get_r_from_pn reaches by inverting the
 * file's p-value. We take t from b / se directly: GWAS p-values underflow (TwoSampleMR caps them at
 * 1e-300), b / se does not. The test compares the two independent correlations sqrt(sum r^2) by
 * Fisher's z, (atanh r_x - atanh r_y) / sqrt(1/(n_x - 3) + 1/(n_y - 3)) with the mean sample
 * sizes (psych::r.test for independent samples), two-sided normal p.
 */

/** Variance explained by one variant from its estimate, SE and sample size (continuous trait). */
export function r2FromT(b: number, se: number, n: number): number {
  const t2 = (b / se) ** 2;
  return t2 / (t2 + n - 2);
}

/** Steiger's test of two independent correlations given as r^2: z and its two-sided p. */
export function steigerZ(r2x: number, nx: number, r2y: number, ny: number): { z: number; p: number } {
  const z = (Math.atanh(Math.sqrt(r2x)) - Math.atanh(Math.sqrt(r2y))) / Math.sqrt(1 / (nx - 3) + 1 / (ny - 3));
  return { z, p: 2 * normalSf(Math.abs(z)) };
}

/** The directionality test of one exposure-outcome pair, with its per-variant parts. */
export interface Steiger {
  readonly r2_exposure: number;
  readonly r2_outcome: number;
  readonly n_exposure: number;
  readonly n_outcome: number;
  /** Whether the variants explain more variance in the exposure than in the outcome. */
  readonly correct_causal_direction: boolean;
  readonly z: number;
  readonly p_value: number;
  /** Per variant: r^2 in exposure and outcome and the Steiger p of that variant alone (steiger_filtering). */
  readonly variants: ReadonlyArray<{ r2_exposure: number; r2_outcome: number; p_value: number }>;
}

const mean = (v: ArrayLike<number>): number => Array.from(v).reduce((s, x) => s + x, 0) / v.length;

/**
 * MR-Steiger on summary statistics with per-variant sample sizes of the exposure and outcome GWAS.
 * `rsq` gives the variances explained where the file has them (rsq.exposure / rsq.outcome, as
 * TwoSampleMR's add_rsq writes them); a side without them takes r2FromT.
 */
export function steiger(
  d: SummaryData,
  nExposure: Float64Array,
  nOutcome: Float64Array,
  rsq: { exposure: Float64Array | null; outcome: Float64Array | null } = { exposure: null, outcome: null },
): Steiger {
  const variants = d.names.map((_, j) => {
    const nx = nExposure[j] as number;
    const ny = nOutcome[j] as number;
    const r2x = rsq.exposure?.[j] ?? r2FromT(d.bx[j] as number, d.sx[j] as number, nx);
    const r2y = rsq.outcome?.[j] ?? r2FromT(d.by[j] as number, d.sy[j] as number, ny);
    return { r2_exposure: r2x, r2_outcome: r2y, p_value: steigerZ(r2x, nx, r2y, ny).p };
  });
  const r2x = variants.reduce((s, v) => s + v.r2_exposure, 0);
  const r2y = variants.reduce((s, v) => s + v.r2_outcome, 0);
  const nx = mean(nExposure);
  const ny = mean(nOutcome);
  const { z, p } = steigerZ(r2x, nx, r2y, ny);
  return {
    r2_exposure: r2x,
    r2_outcome: r2y,
    n_exposure: nx,
    n_outcome: ny,
    correct_causal_direction: r2x > r2y,
    z,
    p_value: p,
    variants,
  };
}
