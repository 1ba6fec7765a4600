import { errors } from "../errors.js";

/**
 * Increasing isotonic regression with scikit-learn's `IsotonicRegression(increasing=True,
 * out_of_bounds="clip")` semantics (sklearn 1.2, `isotonic.py` and `_isotonic.pyx`, described and
 * re-implemented here):
 * - points with zero weight are dropped; the rest are sorted by x, then y;
 * - x values closer than 1e-15 (float64 `finfo.resolution`) to the first x of a run are one x,
 *   with y the weighted mean of the run and the weights summed;
 * - pool adjacent violators (PAVA, pooling equal neighbours too) on the merged points;
 * - points inside a run of equal fitted values are dropped (they do not change the interpolant);
 * - prediction clips t to [min x, max x] and interpolates linearly (numpy's `interp`).
 */

const WHERE = "isotonic regression";
/** numpy's `np.finfo(np.float64).resolution`: sklearn's absolute tolerance for tied x. */
const X_RESOLUTION = 1e-15;

/** A fitted increasing step-linear function: knots `x` (increasing) with values `y` (non-decreasing). */
export interface IsotonicFit {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * PAVA in place (sklearn's `_inplace_contiguous_isotonic_regression`): the weighted least-squares
 * non-decreasing fit to `y` with weights `w`. Each decreasing (or flat) run is pooled into its
 * weighted mean, then the scan steps back one block so that the pooled value is checked against
 * its left neighbour; `w` is overwritten by block weights.
 */
export function pava(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  // target[i] = j and target[j] = i for an active block [i..j].
  const target = Int32Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = (target[i] as number) + 1;
    if (k === n) break;
    if ((y[i] as number) < (y[k] as number)) {
      i = k;
      continue;
    }
    let sumWy = (w[i] as number) * (y[i] as number);
    let sumW = w[i] as number;
    for (;;) {
      const prev = y[k] as number;
      sumWy += (w[k] as number) * prev;
      sumW += w[k] as number;
      k = (target[k] as number) + 1;
      if (k === n || prev < (y[k] as number)) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1] as number;
        break;
      }
    }
  }
  for (i = 0; i < n; ) {
    const k = (target[i] as number) + 1;
    y.fill(y[i] as number, i + 1, k);
    i = k;
  }
}

function checkInputs(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number> | undefined): void {
  if (y.length !== x.length) throw errors.invalid(WHERE, "the number of y values", `${x.length} (one per x)`, y.length);
  if (w && w.length !== x.length)
    throw errors.invalid(WHERE, "the number of weights", `${x.length} (one per x)`, w.length);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw errors.invalid(WHERE, `x ${i + 1}`, "a finite number", x[i]);
    if (!Number.isFinite(y[i])) throw errors.invalid(WHERE, `y ${i + 1}`, "a finite number", y[i]);
    if (w && !(Number.isFinite(w[i]) && (w[i] as number) >= 0))
      throw errors.invalid(WHERE, `weight ${i + 1}`, "finite and >= 0", w[i]);
  }
}

/** Merges tied x (sorted input): weighted mean of y, summed weights; a run is keyed by its first x. */
function mergeTies(xs: number[], ys: number[], ws: number[]) {
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let cx = xs[0] as number;
  let cwy = 0;
  let cw = 0;
  for (let j = 0; j < xs.length; j++) {
    const xj = xs[j] as number;
    if (xj - cx >= X_RESOLUTION) {
      ux.push(cx);
      uy.push(cwy / cw);
      uw.push(cw);
      cx = xj;
      cw = 0;
      cwy = 0;
    }
    cw += ws[j] as number;
    cwy += (ys[j] as number) * (ws[j] as number);
  }
  ux.push(cx);
  uy.push(cwy / cw);
  uw.push(cw);
  return { ux, uy: Float64Array.from(uy), uw: Float64Array.from(uw) };
}

/**
 * Fits the increasing isotonic regression of `y` on `x` (optional weights >= 0, at least one > 0).
 * Throws an input error for mismatched lengths, no positive weight, or non-finite values.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): IsotonicFit {
  checkInputs(x, y, weights);
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (weights === undefined || (weights[i] as number) > 0) idx.push(i);
  if (idx.length === 0) throw errors.invalid(WHERE, "the number of points with positive weight", "at least 1", 0);
  idx.sort((a, b) => (x[a] as number) - (x[b] as number) || (y[a] as number) - (y[b] as number));
  const { ux, uy, uw } = mergeTies(
    idx.map((i) => x[i] as number),
    idx.map((i) => y[i] as number),
    idx.map((i) => (weights ? (weights[i] as number) : 1)),
  );
  pava(uy, uw);
  const keep: number[] = [];
  for (let i = 0; i < uy.length; i++) {
    const interior = i > 0 && i < uy.length - 1;
    if (!interior || uy[i] !== uy[i - 1] || uy[i] !== uy[i + 1]) keep.push(i);
  }
  return { x: Float64Array.from(keep, (i) => ux[i] as number), y: Float64Array.from(keep, (i) => uy[i] as number) };
}

/** The fitted function at t: clipped to the knots' range, then linear between knots (NaN gives NaN). */
export function predictIsotonic(fit: IsotonicFit, t: number): number {
  const { x, y } = fit;
  const n = x.length;
  if (Number.isNaN(t)) return Number.NaN;
  if (n === 1 || t <= (x[0] as number)) return y[0] as number;
  if (t >= (x[n - 1] as number)) return y[n - 1] as number;
  // Largest j with x[j] <= t (binary search); then numpy's interp formula.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= t) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  if (x0 === t) return y[lo] as number;
  const slope = ((y[lo + 1] as number) - (y[lo] as number)) / ((x[lo + 1] as number) - x0);
  return slope * (t - x0) + (y[lo] as number);
}
