import { errors } from "../errors.js";
import { fitIsotonic, type IsotonicFit, predictIsotonic } from "../stats/isotonic.js";
import { normalCdf, normalQuantile } from "../stats/normal.js";

/**
 * Recalibration of an ensemble's predictions as Deep MR does it with uncertainty-toolbox (d66dadb)
 * (specification section 5.2), one output at a time.
 *
 * Fit, on a test set with member predictions P (members x sequences) and targets y: m and s are the
 * members' mean and SD (divisor = members); for p_k = numpy's linspace(0, 1, 100) the observed share
 * o_k of sequences with Phi^-1(0.5 - p_k/2) <= (m - y)/s <= Phi^-1(0.5 + p_k/2) (the toolbox's
 * get_proportion_lists_vectorized); then the increasing isotonic regression of p on o (for this grid
 * the toolbox's end trimming keeps all 100 points).
 * Apply, to any batch with m and s from that batch's members: u = Phi((P_c - m)/s), u' = iso(u),
 * P'_c = m + s Phi^-1(u'). Ours (the toolbox gives infinities there): P_c is kept where s = 0, and u'
 * is clamped to [1e-12, 1 - 1e-12].
 *
 * Layouts: a [member][row] matrix for one output is a flat array, value (c, i) at `c * rows + i`.
 */

/** A fitted recalibration map for one output. */
export interface Recalibration {
  /** Expected proportions p_k (the isotonic regression's targets). */
  readonly expected: Float64Array;
  /** Observed proportions o_k (its inputs). */
  readonly observed: Float64Array;
  readonly iso: IsotonicFit;
}

const WHERE = "deep MR recalibration";
const BINS = 100;
const U_MIN = 1e-12;

/** numpy's linspace(0, 1, 100): k * (1 / 99), with the last point set to 1. */
function proportionGrid(): Float64Array {
  const step = 1 / (BINS - 1);
  const p = Float64Array.from({ length: BINS }, (_, k) => k * step);
  p[BINS - 1] = 1;
  return p;
}

/** Phi^-1 with scipy's ends: -Infinity at 0 and Infinity at 1 (normalQuantile gives NaN there). */
function ppf(p: number): number {
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  return normalQuantile(p);
}

/** Mean and population SD (divisor = members) of each row's member predictions. */
export function memberMoments(predictions: Float64Array, members: number): { m: Float64Array; s: Float64Array } {
  if (!(Number.isInteger(members) && members >= 1))
    throw errors.invalid(WHERE, "the number of members", "an integer >= 1", members);
  if (predictions.length % members !== 0)
    throw errors.invalid(WHERE, "the number of predictions", `a multiple of ${members} (members)`, predictions.length);
  const rows = predictions.length / members;
  const m = new Float64Array(rows);
  const s = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let c = 0; c < members; c++) sum += predictions[c * rows + i] as number;
    const mean = sum / members;
    let ss = 0;
    for (let c = 0; c < members; c++) ss += ((predictions[c * rows + i] as number) - mean) ** 2;
    m[i] = mean;
    s[i] = Math.sqrt(ss / members);
  }
  return { m, s };
}

/**
 * Fits the recalibration of one output from test-set member predictions `predictions` ([member][sequence])
 * and targets `y` (one per sequence). Sequences with s = 0 enter as the toolbox has them: a residual of
 * +-Infinity counts only at p = 1, and 0/0 never.
 */
export function fitRecalibration(predictions: Float64Array, members: number, y: ArrayLike<number>): Recalibration {
  const { m, s } = memberMoments(predictions, members);
  const n = m.length;
  if (y.length !== n) throw errors.invalid(WHERE, "the number of targets", `${n} (one per sequence)`, y.length);
  if (n < 1) throw errors.invalid(WHERE, "the number of test sequences", "at least 1", 0);
  const r = Float64Array.from(m, (mi, i) => (mi - (y[i] as number)) / (s[i] as number));
  const expected = proportionGrid();
  const observed = expected.map((p) => {
    const lower = ppf(0.5 - p / 2);
    const upper = ppf(0.5 + p / 2);
    let inside = 0;
    for (const ri of r) if (ri >= lower && ri <= upper) inside++;
    return inside / n;
  });
  return { expected, observed, iso: fitIsotonic(observed, expected) };
}

/**
 * Recalibrates one output's member predictions `predictions` ([member][row]) of one batch, with m and s
 * from that batch: P'_c = m + s Phi^-1(clamp(iso(Phi((P_c - m)/s)))), P_c itself where s = 0.
 */
export function applyRecalibration(model: Recalibration, predictions: Float64Array, members: number): Float64Array {
  const { m, s } = memberMoments(predictions, members);
  const rows = m.length;
  const out = new Float64Array(predictions.length);
  for (let c = 0; c < members; c++) {
    for (let i = 0; i < rows; i++) {
      const p = predictions[c * rows + i] as number;
      const si = s[i] as number;
      if (si === 0) {
        out[c * rows + i] = p;
        continue;
      }
      const mi = m[i] as number;
      const u = predictIsotonic(model.iso, normalCdf((p - mi) / si));
      out[c * rows + i] = mi + si * normalQuantile(Math.min(1 - U_MIN, Math.max(U_MIN, u)));
    }
  }
  return out;
}

/** Output `o`'s [member][row] plane of an array laid out [member][row][output]. */
function plane(values: Float64Array, outputs: number, o: number): Float64Array {
  return Float64Array.from({ length: values.length / outputs }, (_, k) => values[k * outputs + o] as number);
}

/**
 * Fits one recalibration map per output from test-set predictions laid out [member][sequence][output]
 * and targets laid out [sequence][output] (the Anscombe-transformed counts).
 */
export function fitRecalibrations(
  predictions: Float64Array,
  members: number,
  outputs: number,
  y: Float64Array,
): Recalibration[] {
  if (!(Number.isInteger(outputs) && outputs >= 1))
    throw errors.invalid(WHERE, "the number of outputs", "an integer >= 1", outputs);
  if (y.length % outputs !== 0 || predictions.length !== members * y.length)
    throw errors.invalid(
      WHERE,
      "the number of predictions",
      `${members * y.length} (members x targets)`,
      predictions.length,
    );
  return Array.from({ length: outputs }, (_, o) =>
    fitRecalibration(plane(predictions, outputs, o), members, plane(y, outputs, o)),
  );
}

/**
 * Recalibrates a batch of draws laid out [member][row][output] (the ISM layout of effects.ts) with one
 * fitted map per output; returns a new array in the same layout.
 */
export function recalibrateDraws(models: readonly Recalibration[], draws: Float64Array, members: number): Float64Array {
  const outputs = models.length;
  if (outputs < 1) throw errors.invalid(WHERE, "the number of recalibration maps", "at least 1 (one per output)", 0);
  if (draws.length % (members * outputs) !== 0)
    throw errors.invalid(
      WHERE,
      "the number of draws",
      `a multiple of ${members * outputs} (members x outputs)`,
      draws.length,
    );
  const rows = draws.length / (members * outputs);
  const out = new Float64Array(draws.length);
  models.forEach((model, o) => {
    const fixed = applyRecalibration(model, plane(draws, outputs, o), members);
    for (let k = 0; k < members * rows; k++) out[k * outputs + o] = fixed[k] as number;
  });
  return out;
}
