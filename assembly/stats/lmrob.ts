// MM-regression as robustbase::lmrob(y ~ X, weights = w) computes it with its default control:
// rows scaled by sqrt(w); an S-estimate (bisquare chi, tuning.chi 1.54764, b = 0.5: 50%
// breakdown) by fast-S from caller-drawn subsamples (lmrob-s.ts); IRWLS from it with the bisquare
// psi (tuning.psi 4.685061: 95% efficiency) at the fixed S-scale until the L1 change of the
// coefficients is within rel.tol of their L1 norm (max.it - 1 steps at most); the covariance
// .vcov.avar1 (lmrob-cov.ts). Scalar code; p is small.
// see: robustbase 0.95-0 R/lmrob.R lmrob, lmrob.fit; R/lmrob.MM.R lmrob.S, lmrob..M..fit;
//      src/lmrob.c rwls (re-implemented, not copied).

import { avar1, avar1WorkSize } from "./lmrob-cov";
import { equilibrate, residuals, weightedLeastSquares } from "./lmrob-ls";
import { bisquareWeights, wgtBisquare } from "./lmrob-psi";
import { fastS, fastSWorkSize, sConverged, setupS, sIterations, sScale, sWorkSize } from "./lmrob-s";

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

function at(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/** Statuses of lmrob_mm. */
const OK = 0;
const NOT_CONVERGED = 1;
const SINGULAR = 2;
const EXACT_FIT = 3;

/** Slots of the statistics block in `out` (after coef and cov). */
const STATS = 8;

/** Doubles lmrob_mm's work space must hold. */
export function lmrob_work_size(n: i32, p: i32, bestR: i32): i32 {
  return n * p + 4 * n + p + mStepWorkSize(n, p) + sWorkSize(n, p) + fastSWorkSize(p, bestR) + avar1WorkSize(p);
}

function mStepWorkSize(n: i32, p: i32): i32 {
  return n * p + 2 * n + p;
}

/** Doubles lmrob_mm's `out` must hold: coef p, cov p^2, STATS, S coef p, residuals n, weights n. */
export function lmrob_out_size(n: i32, p: i32): i32 {
  return p + p * p + STATS + p + 2 * n;
}

/**
 * The outputs every ending shares: resid = y - X coef (unweighted) and the robustness weights
 * wgt(sq_i resid_i / scale) with constant c; for scale 0, 1 where |resid| is below 16 eps of the
 * largest |resid| (robustbase's lmrob.rweights).
 */
function finish(
  n: i32,
  p: i32,
  x: usize,
  y: usize,
  sq: usize,
  coef: usize,
  scale: f64,
  c: f64,
  resid: usize,
  rw: usize,
): void {
  residuals(n, p, x, y, coef, resid);
  let big = 0.0;
  for (let i = 0; i < n; i++) {
    const ri = load<f64>(f64At(sq, i)) * load<f64>(f64At(resid, i));
    big = Math.max(big, Math.abs(ri));
    if (scale > 0.0) store<f64>(f64At(rw, i), wgtBisquare(ri / scale, c));
  }
  if (scale > 0.0) return;
  for (let i = 0; i < n; i++) {
    const ri = Math.abs(load<f64>(f64At(sq, i)) * load<f64>(f64At(resid, i)));
    store<f64>(f64At(rw, i), big > 0.0 && ri < 16.0 * 2.220446049250313e-16 * big ? 1.0 : 0.0);
  }
}

/**
 * IRWLS for the M-estimate at fixed scale from beta (overwritten with the last iterate); r gets
 * its residuals; work: mStepWorkSize(n, p) doubles. Returns the number of iterations as robustbase
 * counts them (< maxIt), negated and less one if a weighted design was rank deficient; conv[0]
 * (f64) 1 if converged.
 */
function mStep(
  n: i32,
  p: i32,
  x: usize,
  y: usize,
  beta: usize,
  scale: f64,
  cPsi: f64,
  relTol: f64,
  maxIt: i32,
  r: usize,
  work: usize,
  conv: usize,
): i32 {
  const w = work;
  const qy = w + ((<usize>n) << 3);
  const est = qy + ((<usize>n) << 3);
  const qr = est + ((<usize>p) << 3);
  residuals(n, p, x, y, beta, r);
  let it = 0;
  let converged = false;
  while (!converged && ++it < maxIt) {
    bisquareWeights(n, r, scale, cPsi, w);
    if (weightedLeastSquares(n, p, x, y, w, qr, qy, est) != 0) return -it - 1;
    residuals(n, p, x, y, est, r);
    let d = 0.0;
    let norm = 0.0;
    for (let j = 0; j < p; j++) {
      const e = load<f64>(f64At(est, j));
      d += Math.abs(load<f64>(f64At(beta, j)) - e);
      norm += Math.abs(e);
      store<f64>(f64At(beta, j), e);
    }
    converged = d <= relTol * Math.max(relTol, norm);
  }
  store<f64>(conv, converged ? 1.0 : 0.0);
  return it;
}

/**
 * MM-regression of y (n) on X (n x p, column-major) with prior weights w (n, positive; 0 for
 * none). sub: `count` subsamples, each `m` i32 row indices in random order (the rows of a random
 * permutation's prefix; lmrob's nonsingular subsampling walks them until p independent rows are
 * found). ctrl (f64): tuning.chi, bb, tuning.psi, best.r.s, k.fast.s, k.max, maxit.scale,
 * refine.tol, rel.tol, scale.tol, solve.tol, max.it. work: lmrob_work_size(n, p, best.r.s)
 * doubles. out: lmrob_out_size(n, p) doubles: coefficients (p), covariance (p x p; NaN unless
 * converged, zero for an exact fit), then scale, S-refinement steps, M iterations, S converged,
 * M converged, subsamples skipped, negative eigenvalues zeroed in the covariance, and a spare;
 * then the S coefficients (p), residuals y - X beta (n, unweighted) and robustness weights (n).
 * Returns 0 ok, 1 not converged (S or M), 2 singular (no subsample of p independent rows, a rank
 * deficient weighted design, or a singular X'WX in the covariance), 3 exact fit (S-scale 0).
 */
export function lmrob_mm(
  n: i32,
  p: i32,
  x: usize,
  y: usize,
  w: usize,
  sub: usize,
  m: i32,
  count: i32,
  ctrl: usize,
  work: usize,
  out: usize,
): i32 {
  const cChi = setting(ctrl, 0);
  const cPsi = setting(ctrl, 2);
  const bestR = <i32>setting(ctrl, 3);
  const np = (<usize>(n * p)) << 3;
  const nb = (<usize>n) << 3;
  const xw = work;
  const yw = xw + np;
  const sq = yw + nb;
  const dr = sq + nb;
  const mr = dr + nb;
  const dc = mr + nb;
  const mWork = dc + ((<usize>p) << 3);
  const sWork = mWork + ((<usize>mStepWorkSize(n, p)) << 3);
  const fWork = sWork + ((<usize>sWorkSize(n, p)) << 3);
  const cWork = fWork + ((<usize>fastSWorkSize(p, bestR)) << 3);
  const cov = out + ((<usize>p) << 3);
  const stats = cov + ((<usize>(p * p)) << 3);
  const sCoef = stats + ((<usize>STATS) << 3);
  const resid = sCoef + ((<usize>p) << 3);
  const rw = resid + nb;
  for (let k = 0; k < lmrob_out_size(n, p); k++) store<f64>(f64At(out, k), NaN);
  for (let k = 0; k < STATS; k++) store<f64>(f64At(stats, k), 0.0);
  weigh(n, p, x, y, w, sq, xw, yw);
  if (equilibrate(n, p, xw, dr, dc) != 0) return SINGULAR;
  const r0 = setupS(n, p, xw, yw, cChi, setting(ctrl, 1), <i32>setting(ctrl, 5), setting(ctrl, 7), sWork);
  const kFast = <i32>setting(ctrl, 4);
  const maxitScale = <i32>setting(ctrl, 6);
  const tols = ctrl + (9 << 3);
  const sStatus = fastS(sub, m, count, kFast, bestR, maxitScale, tols, dr, dc, fWork, sCoef, f64At(stats, 5));
  if (sStatus == 1 || sStatus == 2) return SINGULAR;
  // A refinement can also end in an exact fit; the M-step cannot divide by a zero scale.
  const exact = sStatus == 3 || sScale == 0.0;
  const scale = exact ? 0.0 : sScale;
  store<f64>(f64At(stats, 0), scale);
  store<f64>(f64At(stats, 1), <f64>sIterations);
  store<f64>(f64At(stats, 3), sStatus == 0 && sConverged ? 1.0 : 0.0);
  memory.copy(out, sCoef, (<usize>p) << 3);
  if (exact) {
    // robustbase skips the M-step after an exact fit and reports a zero covariance.
    for (let k = 0; k < p * p; k++) store<f64>(f64At(cov, k), 0.0);
    finish(n, p, x, y, sq, out, 0.0, cChi, resid, rw);
    return EXACT_FIT;
  }
  if (!sConverged) {
    // lmrob.fit runs the M-step only from a converged S-estimate and then reports no covariance.
    finish(n, p, x, y, sq, out, scale, cChi, resid, rw);
    return NOT_CONVERGED;
  }
  const it = mStep(
    n,
    p,
    xw,
    yw,
    out,
    scale,
    cPsi,
    setting(ctrl, 8),
    <i32>setting(ctrl, 11),
    mr,
    mWork,
    f64At(stats, 4),
  );
  if (it < 0) {
    for (let j = 0; j < p; j++) store<f64>(f64At(out, j), NaN);
    return SINGULAR;
  }
  store<f64>(f64At(stats, 2), <f64>it);
  finish(n, p, x, y, sq, out, scale, cPsi, resid, rw);
  if (load<f64>(f64At(stats, 4)) == 0.0) return NOT_CONVERGED;
  const c = avar1(n, p, xw, mr, r0, scale, cPsi, cChi, setting(ctrl, 1), cWork, cov);
  if (c == 1) return SINGULAR;
  if (c >= 2) store<f64>(f64At(stats, 6), <f64>(c - 2));
  return OK;
}

function setting(ctrl: usize, k: i32): f64 {
  return load<f64>(f64At(ctrl, k));
}

/** sq = sqrt(w) (1 when w is 0), xw = diag(sq) X, yw = diag(sq) y: lmrob's handling of weights. */
function weigh(n: i32, p: i32, x: usize, y: usize, w: usize, sq: usize, xw: usize, yw: usize): void {
  for (let i = 0; i < n; i++) {
    const s = w == 0 ? 1.0 : Math.sqrt(load<f64>(f64At(w, i)));
    store<f64>(f64At(sq, i), s);
    store<f64>(f64At(yw, i), s * load<f64>(f64At(y, i)));
    for (let j = 0; j < p; j++) store<f64>(at(xw, n, i, j), s * load<f64>(at(x, n, i, j)));
  }
}

/** Doubles of work space lmrob_avar1 needs. */
export function lmrob_avar1_work_size(p: i32): i32 {
  return avar1WorkSize(p);
}

/**
 * The `.vcov.avar1` covariance alone (for tests against robustbase on its own residuals): x the
 * sqrt(w)-scaled design, r the final and r0 the S residuals of its rows, s the scale. Returns 0,
 * 1 when X' diag(psi') X is singular, or 2 + the number of negative eigenvalues set to zero.
 */
export function lmrob_avar1(
  n: i32,
  p: i32,
  x: usize,
  r: usize,
  r0: usize,
  s: f64,
  cPsi: f64,
  cChi: f64,
  bb: f64,
  work: usize,
  cov: usize,
): i32 {
  return avar1(n, p, x, r, r0, s, cPsi, cChi, bb, work, cov);
}
