import { errors } from "../errors.js";

/**
 * The instrument filter of Deep MR (specification section 2 step 5): the exposure effects of all
 * mutants of all sequences of a round are standardised together, z = (beta_X - mean) / sd with the
 * population SD (divisor N), and a mutant is kept when |z| >= threshold. It looks at beta_X only,
 * not at beta_X / se.
 */

/** The kept mutants of each sequence (indices into that sequence's mutants, increasing), and the pooled mean and SD. */
export interface FilterResult {
  readonly kept: readonly Int32Array[];
  readonly mean: number;
  readonly sd: number;
}

/**
 * Applies the z-filter to the exposure effects `betaX` of each sequence (one array per sequence).
 * When the pooled SD is 0 (or there are no mutants) z is undefined and nothing is kept, as numpy's
 * NaN comparisons give. Throws an input error for a negative or non-finite threshold.
 */
export function zFilter(betaX: readonly ArrayLike<number>[], threshold: number): FilterResult {
  if (!(Number.isFinite(threshold) && threshold >= 0))
    throw errors.invalid("deep MR filter", "z_threshold", "finite and >= 0", threshold);
  let count = 0;
  let sum = 0;
  for (const b of betaX) {
    for (let j = 0; j < b.length; j++) sum += b[j] as number;
    count += b.length;
  }
  const mean = sum / count;
  let ss = 0;
  for (const b of betaX) for (let j = 0; j < b.length; j++) ss += ((b[j] as number) - mean) ** 2;
  const sd = Math.sqrt(ss / count);
  const kept = betaX.map((b) => {
    const keep: number[] = [];
    if (!(sd > 0)) return Int32Array.from(keep);
    for (let j = 0; j < b.length; j++) if (Math.abs(((b[j] as number) - mean) / sd) >= threshold) keep.push(j);
    return Int32Array.from(keep);
  });
  return { kept, mean, sd };
}
