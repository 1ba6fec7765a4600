import { errors } from "../errors.js";

/**
 * Variant effects from saturation in-silico mutagenesis (ISM) of one reference sequence
 * (Deep MR specification, section 2 steps 2 and 4).
 *
 * The ISM batch has 4L rows: row 4l + b holds base b (0..3 = A, C, G, T) at position l and the
 * reference elsewhere, so row 4l + ref_l is a wild-type (WT) copy and the other 3L rows are the
 * mutants. Predictive draws (ensemble members or MC-dropout passes) come as one flat array laid
 * out [draw][row][output]: the value of output o for row r under draw n is at
 * `(n * 4L + r) * outputs + o`.
 */

/** Per-mutant effects of one sequence, laid out [mutant][output]; mutant j = 3l + a is position l, a-th alternative base. */
export interface IsmEffects {
  /** Number of mutants, 3L. */
  readonly mutants: number;
  readonly outputs: number;
  /** Mean over draws of the paired difference f(mutant) - f(WT). */
  readonly beta: Float64Array;
  /** Population SD (divisor N) of the paired differences: not divided by sqrt(N). */
  readonly se: Float64Array;
  /** Position l of each mutant. */
  readonly position: Int32Array;
  /** Alternative base code (0..3) of each mutant, in increasing order within a position. */
  readonly base: Uint8Array;
}

const WHERE = "deep MR effects";

/** Checks that `bases` are codes 0..3 and `draws` has N x 4L x outputs values. */
export function checkIsmInput(draws: Float64Array, bases: Uint8Array, n: number, outputs: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw errors.invalid(WHERE, "the number of draws", "an integer >= 1", n);
  if (!(Number.isInteger(outputs) && outputs >= 1))
    throw errors.invalid(WHERE, "the number of outputs", "an integer >= 1", outputs);
  if (bases.length < 1) throw errors.invalid(WHERE, "the sequence length", "at least 1", 0);
  const bad = bases.findIndex((b) => b > 3);
  if (bad >= 0) throw errors.invalid(WHERE, `base ${bad + 1}`, "a code 0..3 (A, C, G, T)", bases[bad]);
  const want = n * 4 * bases.length * outputs;
  if (draws.length !== want)
    throw errors.invalid(WHERE, "the number of predictions", `${want} (draws x 4L rows x outputs)`, draws.length);
}

/**
 * beta and se of every mutant and output: d_n = f(mutant; draw n) - f(WT; draw n), beta = mean_n d_n,
 * se = sqrt(mean_n (d_n - beta)^2). Each mutant is paired with the WT copy at its own position
 * (row 4l + ref_l); all WT copies are the same input in one batch, so any copy would do in exact
 * arithmetic, and the same-position copy keeps the pairing local.
 * `draws` is [draw][row][output] (see the module comment); `bases` the reference's base codes.
 */
export function ismEffects(draws: Float64Array, bases: Uint8Array, n: number, outputs: number): IsmEffects {
  checkIsmInput(draws, bases, n, outputs);
  const L = bases.length;
  const rows = 4 * L;
  const mutants = 3 * L;
  const beta = new Float64Array(mutants * outputs);
  const se = new Float64Array(mutants * outputs);
  const position = new Int32Array(mutants);
  const base = new Uint8Array(mutants);
  const d = new Float64Array(n);
  let j = 0;
  for (let l = 0; l < L; l++) {
    const ref = bases[l] as number;
    for (let b = 0; b < 4; b++) {
      if (b === ref) continue;
      position[j] = l;
      base[j] = b;
      for (let o = 0; o < outputs; o++) {
        let mean = 0;
        for (let t = 0; t < n; t++) {
          const at = t * rows;
          d[t] =
            (draws[(at + 4 * l + b) * outputs + o] as number) - (draws[(at + 4 * l + ref) * outputs + o] as number);
          mean += d[t] as number;
        }
        mean /= n;
        let ss = 0;
        for (let t = 0; t < n; t++) ss += ((d[t] as number) - mean) ** 2;
        beta[j * outputs + o] = mean;
        se[j * outputs + o] = Math.sqrt(ss / n);
      }
      j++;
    }
  }
  return { mutants, outputs, beta, se, position, base };
}

/** Output `o` of every mutant, as one array (e.g. the exposure's beta for the filter). */
export function outputColumn(values: Float64Array, outputs: number, o: number): Float64Array {
  const m = values.length / outputs;
  return Float64Array.from({ length: m }, (_, j) => values[j * outputs + o] as number);
}
