// Least-squares pieces of lmrob: the weighted least-squares step of IRWLS (Householder QR, as
// LAPACK's dgels does it), residuals, and the exact fit through a "nonsingular" subsample
// (Koller 2012): rows are taken in a given random order, and a row that would make the subsample
// singular is dropped in favour of the next one. Scalar code: p is small (2 for MR-Egger).
// see: robustbase 0.95-0 src/lmrob.c FIT_WLS, subsample, SETUP_EQUILIBRATION (LAPACK dgeequ and
//      dlaqge); re-implemented, not copied.

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

function colAt(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/** r = y - X beta (X n x p column-major). */
export function residuals(n: i32, p: i32, x: usize, y: usize, beta: usize, r: usize): void {
  for (let i = 0; i < n; i++) store<f64>(f64At(r, i), load<f64>(f64At(y, i)));
  for (let j = 0; j < p; j++) {
    const b = load<f64>(f64At(beta, j));
    for (let i = 0; i < n; i++) store<f64>(f64At(r, i), load<f64>(f64At(r, i)) - b * load<f64>(colAt(x, n, i, j)));
  }
}

/**
 * beta = argmin sum_i w_i (y_i - x_i beta)^2 by Householder QR of diag(sqrt w) X, which is
 * overwritten into wx (n x p) with diag(sqrt w) y in wy. Returns 0, or 1 when a diagonal entry
 * of R is zero or below 1e-13 of its column's norm (the weighted design is rank deficient, where
 * robustbase stops with a DGELS error).
 */
export function weightedLeastSquares(
  n: i32,
  p: i32,
  x: usize,
  y: usize,
  w: usize,
  wx: usize,
  wy: usize,
  beta: usize,
): i32 {
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(load<f64>(f64At(w, i)));
    store<f64>(f64At(wy, i), s * load<f64>(f64At(y, i)));
    for (let j = 0; j < p; j++) store<f64>(colAt(wx, n, i, j), s * load<f64>(colAt(x, n, i, j)));
  }
  for (let j = 0; j < p; j++) {
    let norm2 = 0.0;
    let full2 = 0.0;
    for (let i = 0; i < n; i++) {
      const v = load<f64>(colAt(wx, n, i, j));
      full2 += v * v;
      if (i >= j) norm2 += v * v;
    }
    const norm = Math.sqrt(norm2);
    if (norm == 0.0 || norm <= 1e-13 * Math.sqrt(full2)) return 1;
    const xjj = load<f64>(colAt(wx, n, j, j));
    const alpha = xjj > 0 ? -norm : norm;
    // Reflector H = I - tau v v^T with v = x[j:, j] - alpha e_1 (kept in place), alpha of the sign
    // opposite to x_jj (no cancellation), and tau = 2 / v^T v = 1 / (norm^2 - alpha x_jj).
    const v0 = xjj - alpha;
    const tau = 1.0 / (norm2 - alpha * xjj);
    store<f64>(colAt(wx, n, j, j), v0);
    for (let k = j + 1; k < p; k++) {
      let d = 0.0;
      for (let i = j; i < n; i++) d += load<f64>(colAt(wx, n, i, j)) * load<f64>(colAt(wx, n, i, k));
      d *= tau;
      for (let i = j; i < n; i++) {
        store<f64>(colAt(wx, n, i, k), load<f64>(colAt(wx, n, i, k)) - d * load<f64>(colAt(wx, n, i, j)));
      }
    }
    let d = 0.0;
    for (let i = j; i < n; i++) d += load<f64>(colAt(wx, n, i, j)) * load<f64>(f64At(wy, i));
    d *= tau;
    for (let i = j; i < n; i++) store<f64>(f64At(wy, i), load<f64>(f64At(wy, i)) - d * load<f64>(colAt(wx, n, i, j)));
    store<f64>(colAt(wx, n, j, j), alpha);
  }
  for (let j = p - 1; j >= 0; j--) {
    let s = load<f64>(f64At(wy, j));
    for (let k = j + 1; k < p; k++) s -= load<f64>(colAt(wx, n, j, k)) * load<f64>(f64At(beta, k));
    store<f64>(f64At(beta, j), s / load<f64>(colAt(wx, n, j, j)));
  }
  return 0;
}

/**
 * Row and column scalings of X as LAPACK's dgeequ + dlaqge choose them (rows or columns are scaled
 * only when their max/min ratio is below 0.1): dr[i] and dc[j], 1 where not scaled. Returns 0, or
 * 1 when a column of X is exactly zero (robustbase stops there).
 */
export function equilibrate(n: i32, p: i32, x: usize, dr: usize, dc: usize): i32 {
  const small = 2.2250738585072014e-308 / 1.1102230246251565e-16;
  const big = 1.0 / small;
  let rmin = Infinity;
  let rmax = 0.0;
  let amax = 0.0;
  for (let i = 0; i < n; i++) {
    let m = 0.0;
    for (let j = 0; j < p; j++) m = Math.max(m, Math.abs(load<f64>(colAt(x, n, i, j))));
    store<f64>(f64At(dr, i), m);
    rmin = Math.min(rmin, m);
    rmax = Math.max(rmax, m);
    amax = Math.max(amax, m);
  }
  // A zero row: dgeequ reports it and robustbase skips equilibration altogether.
  const skip = rmin == 0.0;
  const smlnum = 2.2250738585072014e-308;
  for (let i = 0; i < n; i++) {
    store<f64>(f64At(dr, i), skip ? 1.0 : 1.0 / Math.min(Math.max(load<f64>(f64At(dr, i)), smlnum), 1.0 / smlnum));
  }
  const rowcnd = Math.max(rmin, smlnum) / Math.min(rmax, 1.0 / smlnum);
  let cmin = Infinity;
  let cmax = 0.0;
  for (let j = 0; j < p; j++) {
    let m = 0.0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(load<f64>(colAt(x, n, i, j))) * load<f64>(f64At(dr, i)));
    if (m == 0.0) return 1;
    store<f64>(f64At(dc, j), 1.0 / Math.min(Math.max(m, smlnum), 1.0 / smlnum));
    cmin = Math.min(cmin, m);
    cmax = Math.max(cmax, m);
  }
  const colcnd = Math.max(cmin, smlnum) / Math.min(cmax, 1.0 / smlnum);
  const scaleRows = !skip && !(rowcnd >= 0.1 && amax >= small && amax <= big);
  const scaleCols = !skip && colcnd < 0.1;
  if (!scaleRows) for (let i = 0; i < n; i++) store<f64>(f64At(dr, i), 1.0);
  if (!scaleCols) for (let j = 0; j < p; j++) store<f64>(f64At(dc, j), 1.0);
  return 0;
}

/**
 * The exact fit through the first p rows of idx[0..m) (i32 row indices) that are linearly
 * independent: rows of the equilibrated X are eliminated in turn against those already taken,
 * pivoting on their largest remaining entry; a row whose largest remaining entry is below tol is
 * dropped. u (p x p) and uy (p), piv (p, i32) are work space. Writes beta and returns 0, or 1
 * when fewer than p independent rows are found among the m.
 */
export function subsampleFit(
  n: i32,
  p: i32,
  x: usize,
  y: usize,
  dr: usize,
  dc: usize,
  idx: usize,
  m: i32,
  tol: f64,
  u: usize,
  uy: usize,
  piv: usize,
  beta: usize,
): i32 {
  let taken = 0;
  for (let t = 0; t < m && taken < p; t++) {
    const row = load<i32>(idx + ((<usize>t) << 2));
    const s = load<f64>(f64At(dr, row));
    for (let j = 0; j < p; j++) {
      store<f64>(colAt(u, p, taken, j), s * load<f64>(colAt(x, n, row, j)) * load<f64>(f64At(dc, j)));
    }
    let ry = s * load<f64>(f64At(y, row));
    for (let k = 0; k < taken; k++) {
      const c = load<i32>(piv + ((<usize>k) << 2));
      const f = load<f64>(colAt(u, p, taken, c)) / load<f64>(colAt(u, p, k, c));
      for (let j = 0; j < p; j++) {
        store<f64>(colAt(u, p, taken, j), load<f64>(colAt(u, p, taken, j)) - f * load<f64>(colAt(u, p, k, j)));
      }
      store<f64>(colAt(u, p, taken, c), 0.0);
      ry -= f * load<f64>(f64At(uy, k));
    }
    let best = -1;
    let big = 0.0;
    for (let j = 0; j < p; j++) {
      if (isPivot(piv, taken, j)) continue;
      const a = Math.abs(load<f64>(colAt(u, p, taken, j)));
      if (best < 0 || a > big) {
        best = j;
        big = a;
      }
    }
    if (big < tol) continue;
    store<i32>(piv + ((<usize>taken) << 2), best);
    store<f64>(f64At(uy, taken), ry);
    taken++;
  }
  if (taken < p) return 1;
  // Row k has zeros in the pivot columns of rows before it: solve from the last row back.
  for (let k = p - 1; k >= 0; k--) {
    const c = load<i32>(piv + ((<usize>k) << 2));
    let s = load<f64>(f64At(uy, k));
    for (let l = k + 1; l < p; l++) {
      const cl = load<i32>(piv + ((<usize>l) << 2));
      s -= load<f64>(colAt(u, p, k, cl)) * load<f64>(f64At(beta, cl));
    }
    store<f64>(f64At(beta, c), s / load<f64>(colAt(u, p, k, c)));
  }
  for (let j = 0; j < p; j++) store<f64>(f64At(beta, j), load<f64>(f64At(beta, j)) * load<f64>(f64At(dc, j)));
  return 0;
}

function isPivot(piv: usize, taken: i32, j: i32): bool {
  for (let k = 0; k < taken; k++) if (load<i32>(piv + ((<usize>k) << 2)) == j) return true;
  return false;
}
