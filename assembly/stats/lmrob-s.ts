// The fast-S algorithm of Salibian-Barrera and Yohai (2006) as robustbase's lmrob.S runs it for
// n up to 2000: each random subsample's exact fit gets k.fast.s IRWLS steps (each after one
// fixed-point step of the scale, from the MAD of its residuals); a candidate whose residuals could
// beat the worst of the best.r.s kept scales gets its full M-scale; the kept candidates are then
// refined to convergence (k.max steps, refine.tol) and the smallest scale wins. The subsamples are
// drawn by the caller (row orders), so randomness stays in TypeScript.
// see: robustbase 0.95-0 src/lmrob.c fast_s, refine_fast_s (re-implemented, not copied).

import { residuals, subsampleFit, weightedLeastSquares } from "./lmrob-ls";
import { bisquareWeights, findScale, madZero, meanRho } from "./lmrob-psi";

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

function copy(to: usize, from: usize, len: i32): void {
  memory.copy(to, from, (<usize>len) << 3);
}

/** Residuals this small count as zero in the exact-fit check. */
const EPS_SCALE: f64 = 1e-10;

// The state of one fit, set by `setupS` at the start of each lmrob_mm call (the core runs one call
// at a time): the weighted design, the constants, and n- and p-sized work arrays. Module-level so
// that the helpers below need not pass twenty arguments; nothing survives from one call to the next.
let n: i32 = 0;
let p: i32 = 0;
let xw: usize = 0;
let yw: usize = 0;
let cChi: f64 = 0;
let bb: f64 = 0;
let kMax: i32 = 0;
let refineTol: f64 = 0;
let qr: usize = 0;
let qy: usize = 0;
let res: usize = 0;
let wts: usize = 0;
let tmp: usize = 0;
/** Outputs of `refine` and `fastS`: the scale, the number of steps, whether it converged. */
export let sScale: f64 = 0;
export let sIterations: i32 = 0;
export let sConverged: bool = false;

/**
 * Sets the fit's design x (n x p) and y (already multiplied by sqrt of the prior weights), chi's
 * constant, b, k.max and refine.tol, and its work space: sWorkSize(n, p) doubles at `work`.
 * Returns the residual buffer (n doubles; `fastS` leaves the S residuals there).
 */
export function setupS(n_: i32, p_: i32, x: usize, y: usize, c: f64, b: f64, kMax_: i32, tol: f64, work: usize): usize {
  n = n_;
  p = p_;
  xw = x;
  yw = y;
  cChi = c;
  bb = b;
  kMax = kMax_;
  refineTol = tol;
  qr = work;
  qy = qr + ((<usize>(n * p)) << 3);
  res = qy + ((<usize>n) << 3);
  wts = res + ((<usize>n) << 3);
  tmp = wts + ((<usize>n) << 3);
  return res;
}

/** Doubles of work space `setupS` takes. */
export function sWorkSize(n_: i32, p_: i32): i32 {
  return n_ * p_ + 4 * n_;
}

/**
 * Refines `cand` (p, overwritten with the last iterate) by IRWLS with bisquare weights at the
 * current scale, writing the result to `ref`. `steps` > 0: that many steps; `steps` == 0: until
 * ||cand - ref||_2 <= refineTol max(refineTol, ||cand||_2) or kMax steps. s0 < 0 starts from the
 * MAD. Sets sScale (0 for an exact fit through more than (n + p)/2 rows), sIterations and
 * sConverged; the residual buffer holds the residuals of the last `cand`. Returns 0, or 1 if a weighted
 * design was rank deficient.
 */
export function refine(cand: usize, ref: usize, steps: i32, s0: f64): i32 {
  residuals(n, p, xw, yw, cand, res);
  let zeroes = 0;
  for (let i = 0; i < n; i++) if (Math.abs(load<f64>(f64At(res, i))) < EPS_SCALE) zeroes++;
  sIterations = 0;
  sConverged = steps == 0;
  if (<f64>zeroes > (<f64>n + <f64>p) / 2.0) {
    copy(ref, cand, p);
    sScale = 0.0;
    return 0;
  }
  let s = s0 < 0.0 ? madZero(n, res, tmp) : s0;
  const toConvergence = steps == 0;
  const kk = toConvergence ? kMax : steps;
  let done = false;
  let i = 0;
  for (; i < kk; i++) {
    s = s * Math.sqrt(meanRho(n, p, res, s, cChi) / bb);
    bisquareWeights(n, res, s, cChi, wts);
    if (weightedLeastSquares(n, p, xw, yw, wts, qr, qy, ref) != 0) return 1;
    if (toConvergence) {
      let del = 0.0;
      let nrm = 0.0;
      for (let j = 0; j < p; j++) {
        const c = load<f64>(f64At(cand, j));
        const d = c - load<f64>(f64At(ref, j));
        del += d * d;
        nrm += c * c;
      }
      done = Math.sqrt(del) <= refineTol * Math.max(refineTol, Math.sqrt(nrm));
      if (done) break;
    }
    residuals(n, p, xw, yw, ref, res);
    copy(cand, ref, p);
  }
  if (toConvergence) sConverged = done;
  sScale = s;
  sIterations = i;
  return 0;
}

/** Index of the first largest of a[0..len). */
function whichMax(a: usize, len: i32): i32 {
  let k = 0;
  for (let i = 1; i < len; i++) if (load<f64>(f64At(a, i)) > load<f64>(f64At(a, k))) k = i;
  return k;
}

/** Doubles of work space `fastS` takes (besides `setupS`'s). */
export function fastSWorkSize(p_: i32, bestR: i32): i32 {
  return p_ * p_ + 4 * p_ + bestR * (p_ + 1);
}

/**
 * The S-estimate into `beta` (p). idx0: `count` row orders of `m` i32 indices each; kFast,
 * bestR, maxitScale and tols = (scale.tol, solve.tol) as in lmrob.control; dr, dc: the design's
 * equilibration; work: fastSWorkSize(p, bestR) doubles. Sets sScale, sIterations (the most steps of any refinement to
 * convergence) and sConverged. Returns 0 done, 1 a weighted design was rank deficient, 2 no
 * subsample had p independent rows among its m, 3 an exact fit (scale 0; the subsample's fit is
 * in `beta`). The number of subsamples skipped for want of p independent rows goes to skipped[0]
 * (f64).
 */
export function fastS(
  idx0: usize,
  m: i32,
  count: i32,
  kFast: i32,
  bestR: i32,
  maxitScale: i32,
  tols: usize,
  dr: usize,
  dc: usize,
  work: usize,
  beta: usize,
  skipped: usize,
): i32 {
  const scaleTol = load<f64>(tols);
  const solveTol = load<f64>(tols + 8);
  const u = work;
  const uy = u + ((<usize>(p * p)) << 3);
  const piv = uy + ((<usize>p) << 3);
  const cand = piv + ((<usize>p) << 3);
  const ref = cand + ((<usize>p) << 3);
  const scales = ref + ((<usize>p) << 3);
  const betas = scales + ((<usize>bestR) << 3);
  for (let k = 0; k < bestR; k++) store<f64>(f64At(scales, k), 1e20);
  for (let k = 0; k < bestR * p; k++) store<f64>(f64At(betas, k), 0.0);
  let worst = 1e20;
  let posWorst = 0;
  let found = 0;
  let skip = 0;
  for (let t = 0; t < count; t++) {
    const idx = idx0 + ((<usize>t * <usize>m) << 2);
    if (subsampleFit(n, p, xw, yw, dr, dc, idx, m, solveTol, u, uy, piv, cand) != 0) {
      skip++;
      continue;
    }
    found++;
    if (refine(cand, ref, kFast, -1.0) != 0) return 1;
    if (sScale == 0.0) {
      copy(beta, cand, p);
      store<f64>(skipped, <f64>skip);
      return 3;
    }
    // Only a candidate whose residuals beat the worst kept scale gets its full M-scale.
    if (meanRho(n, p, res, worst, cChi) < bb) {
      const sc = findScale(n, p, res, bb, cChi, sScale, maxitScale, scaleTol);
      store<f64>(f64At(scales, posWorst), sc);
      copy(betas + ((<usize>(posWorst * p)) << 3), ref, p);
      posWorst = whichMax(scales, bestR);
      worst = load<f64>(f64At(scales, posWorst));
    }
  }
  store<f64>(skipped, <f64>skip);
  if (found == 0) return 2;
  let best = 1e20;
  let converged = true;
  let iterations = 0;
  for (let k = 0; k < bestR; k++) {
    const bk = betas + ((<usize>(k * p)) << 3);
    if (refine(bk, ref, 0, load<f64>(f64At(scales, k))) != 0) return 1;
    if (sScale < best) {
      best = sScale;
      copy(beta, ref, p);
    }
    if (!sConverged) converged = false;
    if (sIterations > iterations) iterations = sIterations;
  }
  sScale = best;
  sIterations = iterations;
  sConverged = converged;
  return 0;
}
