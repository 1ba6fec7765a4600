import type { Core } from "../core/memory.js";
import { anscombe } from "./deep-mr-counts.js";
import { occupancy } from "./deep-mr-pwm.js";
import { EXPOSURE_LENGTH, type Labels } from "./deep-mr-sequences.js";

/** Rows per both-motif sequence: the wild type, then 3 alternatives at each exposure-motif position. */
const BATCH = 1 + 3 * EXPOSURE_LENGTH;

/** The true local causal effects of a round (spec §6), one entry per both-motif test sequence. */
export interface LocalTruths {
  /** Each sequence's index among the test rows (its frame row is the first test row plus this). */
  readonly test_index: number[];
  /** Its local CE: Σ Δ_exp Δ_out / Σ Δ_exp² over the exposure-span mutants. */
  readonly local_ce: number[];
  /** The wild type's occupancies under the truth's pseudocount. */
  readonly q_exp: number[];
  readonly q_out: number[];
}

/** What the truth needs: the round's α and β and the log-odds under the truth's pseudocount. */
export interface TruthSettings {
  readonly L: number;
  readonly alpha: number;
  readonly beta: number;
  readonly exposureLlr: Float64Array;
  readonly outcomeLlr: Float64Array;
}

/**
 * The local CE of every test sequence (rows first .. first + count - 1) carrying both motifs
 * (spec §6): the wild type and its 30 exposure-span mutants (position by position, alternatives in
 * the order A, C, G, T) are scored with the truth's matrices; noise-free counts without confounding,
 * c_exp = 1 + α q_exp and c_out = 1 + β q_exp q_out; Δ = A(c_mutant) - A(c_WT) per output; the
 * local CE is the OLS slope through the origin of Δ_out on Δ_exp.
 */
export function localTruths(
  core: Core,
  codes: Uint8Array,
  labels: Labels,
  first: number,
  count: number,
  s: TruthSettings,
): LocalTruths {
  const rows: number[] = [];
  for (let i = 0; i < count; i++) if (labels.hasBoth[first + i] === 1) rows.push(first + i);
  const batch = mutantBatch(codes, labels, rows, s.L);
  const qe = occupancy(core, batch, rows.length * BATCH, s.L, s.exposureLlr);
  const qo = occupancy(core, batch, rows.length * BATCH, s.L, s.outcomeLlr);
  const out: LocalTruths = { test_index: [], local_ce: [], q_exp: [], q_out: [] };
  for (let r = 0; r < rows.length; r++) {
    out.test_index.push((rows[r] as number) - first);
    out.local_ce.push(slope(qe, qo, r * BATCH, s));
    out.q_exp.push(qe[r * BATCH] as number);
    out.q_out.push(qo[r * BATCH] as number);
  }
  return out;
}

/** The wild type and its exposure-span mutants, BATCH rows per sequence. */
function mutantBatch(codes: Uint8Array, labels: Labels, rows: readonly number[], L: number): Uint8Array {
  const batch = new Uint8Array(rows.length * BATCH * L);
  rows.forEach((row, r) => {
    const wt = codes.subarray(row * L, (row + 1) * L);
    const es = labels.exposureStart[row] as number;
    let at = r * BATCH * L;
    batch.set(wt, at);
    for (let p = es; p < es + EXPOSURE_LENGTH; p++) {
      for (let b = 0; b < 4; b++) {
        if (b === wt[p]) continue;
        at += L;
        batch.set(wt, at);
        batch[at + p] = b;
      }
    }
  });
  return batch;
}

/** Σ Δ_exp Δ_out / Σ Δ_exp² for the batch at `at` (its wild type first). */
function slope(qe: Float64Array, qo: Float64Array, at: number, s: TruthSettings): number {
  const aExp = (k: number) => anscombe(1 + s.alpha * (qe[k] as number));
  const aOut = (k: number) => anscombe(1 + s.beta * (qe[k] as number) * (qo[k] as number));
  const e0 = aExp(at);
  const o0 = aOut(at);
  let sxy = 0;
  let sxx = 0;
  for (let m = 1; m < BATCH; m++) {
    const dx = aExp(at + m) - e0;
    sxy += dx * (aOut(at + m) - o0);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

/** The round's true global CE: the mean local CE (NaN without any both-motif test sequence). */
export function globalTruth(t: LocalTruths): number {
  if (t.local_ce.length === 0) return Number.NaN;
  let s = 0;
  for (const v of t.local_ce) s += v;
  return s / t.local_ce.length;
}
