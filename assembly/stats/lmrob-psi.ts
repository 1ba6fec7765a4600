// Tukey's bisquare family and the M-scale, as robustbase's lmrob.c defines them: rho is the
// normalised loss ("chi", rho(inf) = 1), psi = rho' up to the factor 6/c^2 (psi'(0) = 1), psip its
// derivative, wgt = psi(x)/x. The M-scale solves mean_{n-p} rho(r_i/s) = b by the fixed-point
// iteration s <- s sqrt(mean rho/b). Scalar code: these loops run over n <= a few hundred residuals.
// see: robustbase 0.95-0 src/lmrob.c rho_biwgt, psi_biwgt, psip_biwgt, wgt_biwgt, sum_rho_sc,
//      find_scale, MAD, kthplace (re-implemented, not copied).

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

/** rho(x) = 1 - (1 - (x/c)^2)^3 for |x| <= c, else 1. */
export function rhoBisquare(x: f64, c: f64): f64 {
  if (Math.abs(x) > c) return 1.0;
  const t = (x / c) * (x / c);
  return t * (3.0 + t * (-3.0 + t));
}

/** psi(x) = x (1 - (x/c)^2)^2 for |x| <= c, else 0. */
export function psiBisquare(x: f64, c: f64): f64 {
  if (Math.abs(x) > c) return 0.0;
  const a = x / c;
  const u = 1.0 - a * a;
  return x * u * u;
}

/** psi'(x) = (1 - (x/c)^2)(1 - 5 (x/c)^2) for |x| <= c, else 0. */
export function psipBisquare(x: f64, c: f64): f64 {
  if (Math.abs(x) > c) return 0.0;
  const a = (x / c) * (x / c);
  return (1.0 - a) * (1.0 - 5.0 * a);
}

/** wgt(x) = psi(x)/x = (1 - (x/c)^2)^2 for |x| <= c, else 0. */
export function wgtBisquare(x: f64, c: f64): f64 {
  if (Math.abs(x) > c) return 0.0;
  const a = x / c;
  const u = (1.0 - a) * (1.0 + a);
  return u * u;
}

/** sum_i rho(r_i / s) / (n - p), the left side of the S-estimator's scale equation. */
export function meanRho(n: i32, p: i32, r: usize, s: f64, c: f64): f64 {
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += rhoBisquare(load<f64>(f64At(r, i)) / s, c);
  return sum / (<f64>n - <f64>p);
}

/** Writes wgt(r_i / s) to w[i]: the IRWLS weights. */
export function bisquareWeights(n: i32, r: usize, s: f64, c: f64, w: usize): void {
  for (let i = 0; i < n; i++) store<f64>(f64At(w, i), wgtBisquare(load<f64>(f64At(r, i)) / s, c));
}

/**
 * The M-scale of the residuals r: iterates s <- s sqrt(meanRho(s)/b) from s0 until the relative
 * change is at most tol, or maxIt times (robustbase then warns and keeps the last value). s0 <= 0
 * gives 0.
 */
export function findScale(n: i32, p: i32, r: usize, b: f64, c: f64, s0: f64, maxIt: i32, tol: f64): f64 {
  if (s0 <= 0.0) return 0.0;
  let prev = s0;
  let s = s0;
  for (let it = 0; it < maxIt; it++) {
    s = prev * Math.sqrt(meanRho(n, p, r, prev, c) / b);
    if (Math.abs(s - prev) <= tol * prev) return s;
    prev = s;
  }
  return s;
}

/** The k-th smallest (0-based) of a[0..n) by Hoare's selection; reorders a. */
function select(a: usize, n: i32, k: i32): f64 {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = load<f64>(f64At(a, k));
    let i = lo;
    let j = hi;
    do {
      while (load<f64>(f64At(a, i)) < pivot) i++;
      while (pivot < load<f64>(f64At(a, j))) j--;
      if (i <= j) {
        const t = load<f64>(f64At(a, i));
        store<f64>(f64At(a, i), load<f64>(f64At(a, j)));
        store<f64>(f64At(a, j), t);
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return load<f64>(f64At(a, k));
}

/** 1.4826 * median |r_i| (uncentred MAD, the starting scale of each subsample), using tmp[0..n). */
export function madZero(n: i32, r: usize, tmp: usize): f64 {
  for (let i = 0; i < n; i++) store<f64>(f64At(tmp, i), Math.abs(load<f64>(f64At(r, i))));
  const half = n >> 1;
  const med = (n & 1) == 1 ? select(tmp, n, half) : 0.5 * (select(tmp, n, half - 1) + select(tmp, n, half));
  return med * 1.4826;
}
