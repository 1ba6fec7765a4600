// Cyclic coordinate descent for the lasso, min_w 1/2 ||y - X w||^2 + alpha ||w||_1, on centred
// data, with scikit-learn's stopping rule: after a sweep whose largest coefficient change is below
// tol relative to the largest coefficient (or on the last sweep), compute the duality gap and stop
// when it is below tol * ||y||^2. alpha here is the penalty already multiplied by the number of rows.
// see: sklearn/linear_model/_cd_fast.pyx enet_coordinate_descent and enet_coordinate_descent_gram (beta = 0)

import { axpy, axpy_scalar, dot, dot_scalar } from "./blas1";
import { gemv_n } from "./gemv";

function softThreshold(t: f64, alpha: f64, norm: f64): f64 {
  const m = abs(t) - alpha;
  return m > 0 ? (t > 0 ? m : -m) / norm : 0.0;
}

function asum(n: i32, x: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += abs(load<f64>(x + ((<usize>i) << 3)));
  return s;
}

function plain(
  n: i32,
  p: i32,
  x: usize,
  ldx: i32,
  y: usize,
  w: usize,
  alpha: f64,
  tol: f64,
  maxIter: i32,
  norms: usize,
  r: usize,
  out: usize,
  simd: bool,
): i32 {
  const col = (<usize>ldx) << 3;
  const yy = simd ? dot(n, y, y) : dot_scalar(n, y, y);
  const tolScaled = tol * yy;
  memory.copy(r, y, (<usize>n) << 3);
  for (let j = 0; j < p; j++) {
    const xj = x + <usize>j * col;
    store<f64>(norms + ((<usize>j) << 3), simd ? dot(n, xj, xj) : dot_scalar(n, xj, xj));
    const wj = load<f64>(w + ((<usize>j) << 3));
    if (wj != 0) {
      if (simd) axpy(n, -wj, xj, r);
      else axpy_scalar(n, -wj, xj, r);
    }
  }
  let gap = tolScaled + 1.0;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let wMax = 0.0;
    let dwMax = 0.0;
    for (let j = 0; j < p; j++) {
      const nj = load<f64>(norms + ((<usize>j) << 3));
      if (nj == 0) continue;
      const xj = x + <usize>j * col;
      const wp = w + ((<usize>j) << 3);
      const old = load<f64>(wp);
      if (old != 0) {
        if (simd) axpy(n, old, xj, r);
        else axpy_scalar(n, old, xj, r);
      }
      const t = simd ? dot(n, xj, r) : dot_scalar(n, xj, r);
      const neu = softThreshold(t, alpha, nj);
      store<f64>(wp, neu);
      if (neu != 0) {
        if (simd) axpy(n, -neu, xj, r);
        else axpy_scalar(n, -neu, xj, r);
      }
      dwMax = max(dwMax, abs(neu - old));
      wMax = max(wMax, abs(neu));
    }
    if (wMax == 0 || dwMax / wMax < tol || iter == maxIter - 1) {
      let dual = 0.0;
      for (let j = 0; j < p; j++) {
        const xj = x + <usize>j * col;
        dual = max(dual, abs(simd ? dot(n, xj, r) : dot_scalar(n, xj, r)));
      }
      const rr = simd ? dot(n, r, r) : dot_scalar(n, r, r);
      let c = 1.0;
      if (dual > alpha) {
        c = alpha / dual;
        gap = 0.5 * (rr + rr * (c * c));
      } else gap = rr;
      gap += alpha * asum(p, w) - c * (simd ? dot(n, r, y) : dot_scalar(n, r, y));
      if (gap < tolScaled) {
        iter++;
        break;
      }
    }
  }
  store<f64>(out, gap);
  store<f64>(out, tolScaled, 8);
  return iter;
}

/**
 * Lasso by coordinate descent on centred X (n x p, leading dimension ldx) and centred y, warm
 * started from w (updated in place). `alpha` is the penalty times n; `tol` as in scikit-learn
 * (1e-4). Work: norms (p), r (n; holds the final residual). Writes [gap, tol * ||y||^2] to out
 * and returns the number of sweeps (maxIter when it did not converge: then gap >= out[1]).
 */
export function lasso_cd(
  n: i32,
  p: i32,
  x: usize,
  ldx: i32,
  y: usize,
  w: usize,
  alpha: f64,
  tol: f64,
  maxIter: i32,
  norms: usize,
  r: usize,
  out: usize,
): i32 {
  return plain(n, p, x, ldx, y, w, alpha, tol, maxIter, norms, r, out, true);
}

/** Scalar twin of `lasso_cd`. */
export function lasso_cd_scalar(
  n: i32,
  p: i32,
  x: usize,
  ldx: i32,
  y: usize,
  w: usize,
  alpha: f64,
  tol: f64,
  maxIter: i32,
  norms: usize,
  r: usize,
  out: usize,
): i32 {
  return plain(n, p, x, ldx, y, w, alpha, tol, maxIter, norms, r, out, false);
}

function gram(
  p: i32,
  q: usize,
  xy: usize,
  yy: f64,
  w: usize,
  alpha: f64,
  tol: f64,
  maxIter: i32,
  h: usize,
  out: usize,
  simd: bool,
): i32 {
  const col = (<usize>p) << 3;
  const tolScaled = tol * yy;
  memory.fill(h, 0, (<usize>p) << 3);
  for (let j = 0; j < p; j++) {
    const wj = load<f64>(w + ((<usize>j) << 3));
    if (wj != 0) {
      if (simd) axpy(p, wj, q + <usize>j * col, h);
      else axpy_scalar(p, wj, q + <usize>j * col, h);
    }
  }
  let gap = tolScaled + 1.0;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let wMax = 0.0;
    let dwMax = 0.0;
    for (let j = 0; j < p; j++) {
      const qj = q + <usize>j * col;
      const qjj = load<f64>(qj + ((<usize>j) << 3));
      if (qjj == 0) continue;
      const wp = w + ((<usize>j) << 3);
      const old = load<f64>(wp);
      // h = Q w, so (Q w)_j without coordinate j's own term is h_j - Q_jj w_j.
      const t = load<f64>(xy + ((<usize>j) << 3)) - (load<f64>(h + ((<usize>j) << 3)) - qjj * old);
      const neu = softThreshold(t, alpha, qjj);
      store<f64>(wp, neu);
      if (neu != old) {
        if (simd) axpy(p, neu - old, qj, h);
        else axpy_scalar(p, neu - old, qj, h);
      }
      dwMax = max(dwMax, abs(neu - old));
      wMax = max(wMax, abs(neu));
    }
    if (wMax == 0 || dwMax / wMax < tol || iter == maxIter - 1) {
      const qw = simd ? dot(p, w, xy) : dot_scalar(p, w, xy);
      let dual = 0.0;
      let wh = 0.0;
      for (let j = 0; j < p; j++) {
        const hj = load<f64>(h + ((<usize>j) << 3));
        dual = max(dual, abs(load<f64>(xy + ((<usize>j) << 3)) - hj));
        wh += load<f64>(w + ((<usize>j) << 3)) * hj;
      }
      const rr = yy + wh - 2.0 * qw;
      let c = 1.0;
      if (dual > alpha) {
        c = alpha / dual;
        gap = 0.5 * (rr + rr * (c * c));
      } else gap = rr;
      gap += alpha * asum(p, w) - c * yy + c * qw;
      if (gap < tolScaled) {
        iter++;
        break;
      }
    }
  }
  store<f64>(out, gap);
  store<f64>(out, tolScaled, 8);
  return iter;
}

/**
 * The same coordinate descent on the Gram form: Q = X^T X (p x p), xy = X^T y, yy = y^T y, so a
 * sweep costs O(p^2) instead of O(n p). scikit-learn uses it inside LassoCV's folds (precompute
 * 'auto' with n > p). One fused update of h = Q w per changed coordinate (scikit-learn makes
 * two) changes the iterates only by rounding. Work: h (p). Writes [gap, tol * yy] to out; returns the number of sweeps.
 */
export function lasso_cd_gram(
  p: i32,
  q: usize,
  xy: usize,
  yy: f64,
  w: usize,
  alpha: f64,
  tol: f64,
  maxIter: i32,
  h: usize,
  out: usize,
): i32 {
  return gram(p, q, xy, yy, w, alpha, tol, maxIter, h, out, true);
}

/** Scalar twin of `lasso_cd_gram`. */
export function lasso_cd_gram_scalar(
  p: i32,
  q: usize,
  xy: usize,
  yy: f64,
  w: usize,
  alpha: f64,
  tol: f64,
  maxIter: i32,
  h: usize,
  out: usize,
): i32 {
  return gram(p, q, xy, yy, w, alpha, tol, maxIter, h, out, false);
}

/** Mean over i < n of ((a[i] - b[i]) + c)^2: the held-out MSE of predictions a + c for targets b. */
export function mse_shift(n: i32, a: usize, b: usize, c: f64): f64 {
  const vc = f64x2.splat(c);
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    const d = f64x2.add(f64x2.sub(v128.load(a + o), v128.load(b + o)), vc);
    s = f64x2.add(s, f64x2.mul(d, d));
  }
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (i < n) {
    const d = load<f64>(a + ((<usize>i) << 3)) - load<f64>(b + ((<usize>i) << 3)) + c;
    t += d * d;
  }
  return n > 0 ? t / <f64>n : NaN;
}

/** Scalar twin of `mse_shift`. */
export function mse_shift_scalar(n: i32, a: usize, b: usize, c: f64): f64 {
  let t = 0.0;
  for (let i = 0; i < n; i++) {
    const d = load<f64>(a + ((<usize>i) << 3)) - load<f64>(b + ((<usize>i) << 3)) + c;
    t += d * d;
  }
  return n > 0 ? t / <f64>n : NaN;
}

/**
 * One cross-validation fold's whole alpha path on its Gram form: for each alpha (descending,
 * times `scale` = training rows) a warm-started Gram descent from w, then the held-out MSE from
 * the test block's centred moments: (w^T T w - 2 w^T t + tyy) / mTest + (dx . w + dy)^2.
 * Writes nAlphas MSEs to `mse`; returns how many solves hit maxIter without converging.
 * Work: h and tmp (p each), out (2).
 */
export function lasso_fold_path(
  p: i32,
  q: usize,
  xy: usize,
  yy: f64,
  alphas: usize,
  nAlphas: i32,
  scale: f64,
  tol: f64,
  maxIter: i32,
  t: usize,
  txy: usize,
  tyy: f64,
  dx: usize,
  dy: f64,
  mTest: f64,
  w: usize,
  h: usize,
  tmp: usize,
  out: usize,
  mse: usize,
): i32 {
  let notConverged = 0;
  for (let k = 0; k < nAlphas; k++) {
    const alpha = load<f64>(alphas + ((<usize>k) << 3)) * scale;
    gram(p, q, xy, yy, w, alpha, tol, maxIter, h, out, true);
    if (!(load<f64>(out) < load<f64>(out, 8))) notConverged++;
    gemv_n(p, p, 1.0, t, p, w, 0.0, tmp);
    const ss = dot(p, w, tmp) - 2.0 * dot(p, w, txy) + tyy;
    const d = dot(p, dx, w) + dy;
    store<f64>(mse + ((<usize>k) << 3), ss / mTest + d * d);
  }
  return notConverged;
}
