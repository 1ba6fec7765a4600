import type { Draws } from "./deep-mr-draws.js";
import { BACKGROUND } from "./deep-mr-pwm.js";

/** Length of the exposure motif (GATA_disc1). */
export const EXPOSURE_LENGTH = 10;
/** Length of the outcome motif (TAL1_known1, or the synthetic one). */
export const OUTCOME_LENGTH = 16;
/** Length of the confounder motif (SOX2_1). */
export const CONFOUNDER_LENGTH = 15;
/** The smallest gap between the pair's exposure and outcome motifs. */
export const MIN_GAP = 16;

/** The smoothed matrices instances are drawn from (K x 4, row-major; spec §3.1 step 4). */
export interface InstanceMatrices {
  readonly exposure: Float64Array;
  readonly outcome: Float64Array;
  /** Null when no confounder motif is configured. */
  readonly confounder: Float64Array | null;
  /** Probability that a sequence carries the confounder motif (spec §3.1 step 3, Q15). */
  readonly confounderProb: number;
}

/**
 * Every row's labels (spec §3.1 step 5): 0/1 flags and motif starts, -1 where a motif is absent.
 * The pair sets has_exposure, has_outcome and has_both and both starts.
 */
export interface Labels {
  readonly hasExposure: Float64Array;
  readonly hasOutcome: Float64Array;
  readonly hasBoth: Float64Array;
  readonly hasConfounder: Float64Array;
  readonly exposureStart: Float64Array;
  readonly outcomeStart: Float64Array;
  readonly confounderStart: Float64Array;
}

/** The labels' columns in the frame's order, with their column names. */
export function labelColumns(l: Labels): Array<readonly [string, Float64Array]> {
  return [
    ["has_exposure", l.hasExposure],
    ["has_outcome", l.hasOutcome],
    ["has_both", l.hasBoth],
    ["has_confounder", l.hasConfounder],
    ["exp_start", l.exposureStart],
    ["out_start", l.outcomeStart],
    ["conf_start", l.confounderStart],
  ];
}

/**
 * The largest gap of the pair: L minus the motif lengths, the confounder's included whenever a
 * confounder motif is configured (spec §3.1 step 2c, quirk Q3): [16, 74] or [16, 59] at L = 100.
 */
export function maxGap(L: number, confounder: boolean): number {
  return L - EXPOSURE_LENGTH - OUTCOME_LENGTH - (confounder ? CONFOUNDER_LENGTH : 0);
}

/** The shortest L the gap rule allows. */
export function minLength(confounder: boolean): number {
  return EXPOSURE_LENGTH + OUTCOME_LENGTH + MIN_GAP + (confounder ? CONFOUNDER_LENGTH : 0);
}

/** Writes K bases of an instance of `m` (K x 4 smoothed) from `start` of the row at `at`. */
function embed(d: Draws, codes: Uint8Array, at: number, start: number, m: Float64Array): void {
  const K = m.length / 4;
  for (let k = 0; k < K; k++) codes[at + start + k] = d.base(m, 4 * k);
}

/** Whether [a, a + ka) and [b, b + kb) overlap. */
function overlaps(a: number, ka: number, b: number, kb: number): boolean {
  return a < b + kb && b < a + ka;
}

/**
 * Draws sequence `row` (spec §3.1): iid background bases, then with probability 0.75 one of the
 * exposure motif, the outcome motif or the pair (exposure, gap, outcome) uniformly, then the
 * confounder motif (if configured) with its probability, its start redrawn until it misses the
 * occupied spans. Writes the row's codes and labels.
 */
export function drawSequence(
  d: Draws,
  codes: Uint8Array,
  row: number,
  L: number,
  m: InstanceMatrices,
  labels: Labels,
): void {
  const at = row * L;
  for (let t = 0; t < L; t++) codes[at + t] = d.base(BACKGROUND, 0);
  const u = d.next();
  const kind = u < 0.75 ? Math.floor(u / 0.25) : 3;
  let es = -1;
  let os = -1;
  if (kind === 0) es = d.int(0, L - EXPOSURE_LENGTH);
  else if (kind === 1) os = d.int(0, L - OUTCOME_LENGTH);
  else if (kind === 2) {
    const gap = d.int(MIN_GAP, maxGap(L, m.confounder !== null));
    es = d.int(0, L - EXPOSURE_LENGTH - OUTCOME_LENGTH - gap);
    os = es + EXPOSURE_LENGTH + gap;
  }
  if (es >= 0) embed(d, codes, at, es, m.exposure);
  if (os >= 0) embed(d, codes, at, os, m.outcome);
  let cs = -1;
  if (m.confounder !== null && d.chance(m.confounderProb)) {
    do cs = d.int(0, L - CONFOUNDER_LENGTH);
    while (
      (es >= 0 && overlaps(cs, CONFOUNDER_LENGTH, es, EXPOSURE_LENGTH)) ||
      (os >= 0 && overlaps(cs, CONFOUNDER_LENGTH, os, OUTCOME_LENGTH))
    );
    embed(d, codes, at, cs, m.confounder);
  }
  setLabels(labels, row, es, os, cs);
}

function setLabels(l: Labels, row: number, es: number, os: number, cs: number): void {
  l.hasExposure[row] = es >= 0 ? 1 : 0;
  l.hasOutcome[row] = os >= 0 ? 1 : 0;
  l.hasBoth[row] = es >= 0 && os >= 0 ? 1 : 0;
  l.hasConfounder[row] = cs >= 0 ? 1 : 0;
  l.exposureStart[row] = es;
  l.outcomeStart[row] = os;
  l.confounderStart[row] = cs;
}

/** Copies row `from`'s labels to row `to`. */
export function copyLabels(l: Labels, from: number, to: number): void {
  for (const [, c] of labelColumns(l)) c[to] = c[from] as number;
}

/** The motif spans [start, length] of row `row` that carry a motif (exposure, outcome, confounder). */
export function spansOf(l: Labels, row: number): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  const es = l.exposureStart[row] as number;
  const os = l.outcomeStart[row] as number;
  const cs = l.confounderStart[row] as number;
  if (es >= 0) out.push([es, EXPOSURE_LENGTH]);
  if (os >= 0) out.push([os, OUTCOME_LENGTH]);
  if (cs >= 0) out.push([cs, CONFOUNDER_LENGTH]);
  return out;
}
