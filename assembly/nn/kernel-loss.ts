// Kernel two-sample and independence losses between batches, with gradients to both batches:
//   MMD²(X, Y) = sum_ij Wxx k(x_i, x_j) + sum_ij Wyy k(y_i, y_j) - 2/(n m) sum_ij k(x_i, y_j)
//     estimator 0 (biased V-statistic): Wxx = 1/n², Wyy = 1/m², diagonals included;
//     estimator 1 (unbiased U-statistic): within-sample diagonals dropped, Wxx = 1/(n(n-1)),
//     Wyy = 1/(m(m-1)).
//   HSIC(X, Y) = sum_s tr(K_s H L_s H) / D², D = n - 1 (divisor 0) or n (divisor 1, invariance MR's
//     polynomial-kernel HSIC); biased; H = I - 11ᵀ/n; rows of X and Y paired. Computed as
//     sum_ij K_ij (HLH)_ij, so dHSIC/dK = HLH / D² and dHSIC/dL = HKH / D².
// Kernels: polynomial k(a, b) = (aᵀb + c)^degree; multi-scale RBF
//   k(a, b) = sum_s exp(-|a - b|² / (2 sigma² s² + eps)),
//   sigma² = the lower median (torch.median) of the squared distances |z_i - z_j|², i < j, over the
//   pooled rows of X and Y for MMD and over each argument's own rows for HSIC (so sigma is the median
//   pairwise distance); sigma = 1 when sigma < floor. The median is a constant: no gradient flows
//   through it (torch: .detach()). With desc[8] = 1, sigma² is given instead (one global sigma per
//   epoch, say): hyper[3 + S] (MMD; HSIC: hyper[3 + S] for X, hyper[4 + S] for Y), floor not applied.
//   HSIC sums per-scale HSICs, K_s with L_s (invariance MR, §3.4); for MMD the sum of kernels and
//   the sum of per-scale MMDs are equal.
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] n, [2] m (MMD: rows of Y) or dx (HSIC: columns of
// X), [3] d (MMD: columns of X and Y) or dy (HSIC), [4] kernel (0 polynomial, 1 RBF), [5] degree,
// [6] S (number of RBF scales), [7] MMD: estimator (0 V, 1 U), HSIC: divisor (0 n - 1, 1 n),
// [8] sigma (0 the batch median, 1 given).
// Hyper (f64): [0] c, [1] eps, [2] floor, [3 ... 3 + S) the scales s, then any given sigma².
// Work (f64, sizes in bytes from nn_mmd2_work_size / nn_hsic_work_size): the pairwise squared
// distances for the median, Gram matrices (HSIC), one gradient row.
// Each returns the loss and, unless gx or gy is 0, ADDS dloss * its gradient there.
// see: Gretton et al. 2012 (JMLR 13, MMD), Gretton et al. 2005 (HSIC), invariance-mr §3.4

import { medianSq } from "./median";

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

function field(desc: usize, i: i32): i32 {
  return load<i32>(desc + ((<usize>i) << 2));
}

// The kernel of the current call: set by `setKernel`, read by `kval` (the core runs one call at a
// time per instance, and kernels may not allocate a parameter block).
let kind: i32 = 0;
let degree: i32 = 2;
let offset: f64 = 1;
let eps: f64 = 0;
let sigma2: f64 = 1;
let scales: usize = 0;
let s0: i32 = 0;
let s1: i32 = 0;

function setKernel(desc: usize, hyper: usize): void {
  kind = field(desc, 4);
  degree = field(desc, 5);
  offset = load<f64>(hyper);
  eps = load<f64>(hyper, 8);
  scales = hyper + 24;
  s0 = 0;
  s1 = field(desc, 6);
}

/** k(a, b) for rows a, b of d T values; adds w * dk/da to the f64 row `g` when w is not 0. */
function kval<T>(a: usize, b: usize, d: i32, g: usize, w: f64): f64 {
  if (kind == 0) {
    let dotab: f64 = 0;
    for (let j = 0; j < d; j++) dotab += <f64>load<T>(a + at<T>(j)) * <f64>load<T>(b + at<T>(j));
    const base = dotab + offset;
    const k = base ** degree;
    if (w != 0) {
      const coef = w * <f64>degree * base ** (degree - 1);
      for (let j = 0; j < d; j++) store<f64>(f64At(g, j), load<f64>(f64At(g, j)) + coef * <f64>load<T>(b + at<T>(j)));
    }
    return k;
  }
  let d2: f64 = 0;
  for (let j = 0; j < d; j++) {
    const t = <f64>load<T>(a + at<T>(j)) - <f64>load<T>(b + at<T>(j));
    d2 += t * t;
  }
  let k: f64 = 0;
  let coef: f64 = 0;
  for (let s = s0; s < s1; s++) {
    const sc = load<f64>(f64At(scales, s));
    const den = 2 * sigma2 * sc * sc + eps;
    const e = Math.exp(-d2 / den);
    k += e;
    coef -= (2 * e) / den;
  }
  if (w != 0) {
    coef *= w;
    for (let j = 0; j < d; j++) {
      const t = <f64>load<T>(a + at<T>(j)) - <f64>load<T>(b + at<T>(j));
      store<f64>(f64At(g, j), load<f64>(f64At(g, j)) + coef * t);
    }
  }
  return k;
}

/** sigma² of argument `which` (0, 1): given in hyper when desc[8] is 1, else `medianSq` of the rows. */
function sigmaSq<T>(
  desc: usize,
  hyper: usize,
  which: i32,
  a: usize,
  na: i32,
  b: usize,
  nb: i32,
  d: i32,
  pairs: usize,
): f64 {
  if (kind != 1) return 1;
  if (field(desc, 8) == 1) return load<f64>(f64At(hyper, 3 + field(desc, 6) + which));
  return medianSq<T>(a, na, b, nb, d, load<f64>(hyper, 16), pairs);
}

/** Adds the f64 row g (d values) to the T row `dst`, then zeroes g. */
function flush<T>(g: usize, dst: usize, d: i32): void {
  for (let j = 0; j < d; j++) {
    const p = dst + at<T>(j);
    store<T>(p, load<T>(p) + <T>load<f64>(f64At(g, j)));
    store<f64>(f64At(g, j), 0);
  }
}

/** Bytes of MMD work: 8 (d + N (N - 1) / 2), N = n + m. */
export function nn_mmd2_work_size(desc: usize): i32 {
  const total = field(desc, 1) + field(desc, 2);
  return 8 * (field(desc, 3) + (total * (total - 1)) / 2);
}

/** Bytes of HSIC work: 8 (2 n² + 2 n + max(dx, dy) + n (n - 1) / 2). */
export function nn_hsic_work_size(desc: usize): i32 {
  const n = field(desc, 1);
  return 8 * (2 * n * n + 2 * n + max(field(desc, 2), field(desc, 3)) + (n * (n - 1)) / 2);
}

function mmd<T>(desc: usize, hyper: usize, x: usize, y: usize, gx: usize, gy: usize, work: usize, dloss: f64): f64 {
  const n = field(desc, 1);
  const m = field(desc, 2);
  const d = field(desc, 3);
  const unbiased = field(desc, 7) == 1;
  setKernel(desc, hyper);
  const g = work;
  memory.fill(g, 0, (<usize>d) << 3);
  sigma2 = sigmaSq<T>(desc, hyper, 0, x, n, y, m, d, f64At(work, d));
  const wxx: f64 = unbiased ? 1.0 / (<f64>n * <f64>(n - 1)) : 1.0 / (<f64>n * <f64>n);
  const wyy: f64 = unbiased ? 1.0 / (<f64>m * <f64>(m - 1)) : 1.0 / (<f64>m * <f64>m);
  const wxy: f64 = -2.0 / (<f64>n * <f64>m);
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = x + at<T>(i * d);
    for (let j = 0; j < n; j++) {
      if (unbiased && i == j) continue;
      loss += wxx * kval<T>(xi, x + at<T>(j * d), d, g, gx != 0 ? 2 * wxx * dloss : 0);
    }
    for (let j = 0; j < m; j++) loss += wxy * kval<T>(xi, y + at<T>(j * d), d, g, gx != 0 ? wxy * dloss : 0);
    if (gx != 0) flush<T>(g, gx + at<T>(i * d), d);
  }
  for (let i = 0; i < m; i++) {
    const yi = y + at<T>(i * d);
    for (let j = 0; j < m; j++) {
      if (unbiased && i == j) continue;
      loss += wyy * kval<T>(yi, y + at<T>(j * d), d, g, gy != 0 ? 2 * wyy * dloss : 0);
    }
    if (gy == 0) continue;
    for (let j = 0; j < n; j++) kval<T>(yi, x + at<T>(j * d), d, g, wxy * dloss);
    flush<T>(g, gy + at<T>(i * d), d);
  }
  return loss;
}

/** Fills the n x n Gram matrix of the rows of a (n x d) at `gram` and its row means at `rows`; returns the grand mean. */
function gram<T>(a: usize, n: i32, d: i32, g: usize, gramAt: usize, rows: usize): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const k = kval<T>(a + at<T>(i * d), a + at<T>(j * d), d, g, 0);
      store<f64>(f64At(gramAt, i * n + j), k);
      store<f64>(f64At(gramAt, j * n + i), k);
    }
  }
  for (let i = 0; i < n; i++) {
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += load<f64>(f64At(gramAt, i * n + j));
    store<f64>(f64At(rows, i), s / n);
    total += s;
  }
  return total / (<f64>n * <f64>n);
}

/** (HMH)_ij for a symmetric M with row means `rows` and grand mean `mean`. */
function centred(mat: usize, rows: usize, mean: f64, n: i32, i: i32, j: i32): f64 {
  return load<f64>(f64At(mat, i * n + j)) - load<f64>(f64At(rows, i)) - load<f64>(f64At(rows, j)) + mean;
}

/** Adds w_ij = scale (HMH)_ij times d k(a_i, a_j) / d a_i, summed over j, to row i of grad (gradient of sum_ij K_ij (HMH)_ij / ...). */
function gramGrad<T>(
  a: usize,
  n: i32,
  d: i32,
  g: usize,
  mat: usize,
  rows: usize,
  mean: f64,
  scale: f64,
  grad: usize,
): void {
  for (let i = 0; i < n; i++) {
    const ai = a + at<T>(i * d);
    for (let j = 0; j < n; j++) kval<T>(ai, a + at<T>(j * d), d, g, scale * centred(mat, rows, mean, n, i, j));
    flush<T>(g, grad + at<T>(i * d), d);
  }
}

function hsic<T>(desc: usize, hyper: usize, x: usize, y: usize, gx: usize, gy: usize, work: usize, dloss: f64): f64 {
  const n = field(desc, 1);
  const dx = field(desc, 2);
  const dy = field(desc, 3);
  setKernel(desc, hyper);
  const kx = work;
  const ly = f64At(kx, n * n);
  const rk = f64At(ly, n * n);
  const rl = f64At(rk, n);
  const g = f64At(rl, n);
  const pairs = f64At(g, max(dx, dy));
  memory.fill(g, 0, (<usize>max(dx, dy)) << 3);
  const sx2 = sigmaSq<T>(desc, hyper, 0, x, n, 0, 0, dx, pairs);
  const sy2 = sigmaSq<T>(desc, hyper, 1, y, n, 0, 0, dy, pairs);
  const terms = kind == 1 ? field(desc, 6) : 1;
  const div: f64 = field(desc, 7) == 1 ? <f64>n : <f64>(n - 1);
  const scale = 1.0 / (div * div);
  let loss: f64 = 0;
  for (let s = 0; s < terms; s++) {
    s0 = s;
    s1 = s + 1;
    sigma2 = sx2;
    const mk = gram<T>(x, n, dx, g, kx, rk);
    sigma2 = sy2;
    const ml = gram<T>(y, n, dy, g, ly, rl);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) loss += load<f64>(f64At(kx, i * n + j)) * centred(ly, rl, ml, n, i, j) * scale;
    }
    sigma2 = sx2;
    if (gx != 0) gramGrad<T>(x, n, dx, g, ly, rl, ml, 2 * scale * dloss, gx);
    sigma2 = sy2;
    if (gy != 0) gramGrad<T>(y, n, dy, g, kx, rk, mk, 2 * scale * dloss, gy);
  }
  return loss;
}

/** MMD²(X, Y) (X n x d, Y m x d); ADDS dloss * dMMD²/dX to gx and dloss * dMMD²/dY to gy (each skipped when 0). */
export function nn_mmd2_loss(
  desc: usize,
  hyper: usize,
  x: usize,
  y: usize,
  gx: usize,
  gy: usize,
  work: usize,
  dloss: f64,
): f64 {
  return load<i32>(desc) == 1
    ? mmd<f32>(desc, hyper, x, y, gx, gy, work, dloss)
    : mmd<f64>(desc, hyper, x, y, gx, gy, work, dloss);
}

/** HSIC(X, Y) (X n x dx, Y n x dy, rows paired); ADDS dloss * its gradients to gx and gy (each skipped when 0). */
export function nn_hsic_loss(
  desc: usize,
  hyper: usize,
  x: usize,
  y: usize,
  gx: usize,
  gy: usize,
  work: usize,
  dloss: f64,
): f64 {
  return load<i32>(desc) == 1
    ? hsic<f32>(desc, hyper, x, y, gx, gy, work, dloss)
    : hsic<f64>(desc, hyper, x, y, gx, gy, work, dloss);
}
