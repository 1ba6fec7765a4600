import type { Draws } from "./deep-mr-draws.js";
import { copyLabels, type Labels, spansOf } from "./deep-mr-sequences.js";

/**
 * Whose motif spans a copy's mutations use (spec §3.4, quirk Q4): "authors" — copy j is mutated in
 * the spans of original j (the first originals, paired by position, whatever was resampled);
 * "own" — in the spans of the sequence it copies.
 */
export type VariantSpans = "authors" | "own";

/** Where the copies go and what they copy. */
export interface AugmentPlan {
  readonly L: number;
  /** Originals: rows 0 .. nTrain - 1. */
  readonly nTrain: number;
  /** Copies: rows nTrain .. nTrain + nCopies - 1 (at most nTrain with "authors" spans). */
  readonly nCopies: number;
  readonly spans: VariantSpans;
}

/**
 * Variant augmentation (spec §3.4): draws nCopies source indices among the originals with
 * replacement, copies each source's bases and labels to its row, then in each motif span (of the
 * copy's own source, or of original j for "authors") sets one uniformly chosen position to
 * (b + U{1, 2, 3}) mod 4; a copy with no span gets one such change at a uniform position.
 * `source` gets each copy's original row.
 */
export function augment(d: Draws, codes: Uint8Array, labels: Labels, source: Float64Array, p: AugmentPlan): void {
  const { L, nTrain, nCopies } = p;
  for (let j = 0; j < nCopies; j++) source[nTrain + j] = d.int(0, nTrain - 1);
  for (let j = 0; j < nCopies; j++) {
    const row = nTrain + j;
    const from = source[row] as number;
    codes.copyWithin(row * L, from * L, (from + 1) * L);
    copyLabels(labels, from, row);
    const spans = spansOf(labels, p.spans === "authors" ? j : from);
    if (spans.length === 0) mutate(d, codes, row * L, d.int(0, L - 1));
    for (const [start, length] of spans) mutate(d, codes, row * L, d.int(start, start + length - 1));
  }
}

/** Replaces the base at `at + pos` by another, uniformly among the three. */
function mutate(d: Draws, codes: Uint8Array, at: number, pos: number): void {
  codes[at + pos] = ((codes[at + pos] as number) + d.int(1, 3)) % 4;
}
