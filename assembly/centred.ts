// Kernels on an implicitly centred design D = X - 1 m^T (n x p): the columns of X stay where they
// lie, their byte addresses listed in `cols` (one u32 each, so they need not be evenly spaced),
// and m holds their means. The n x p centred copy is never formed: the cross-product centres a
// block of rows at a time into a small scratch buffer, the products with vectors subtract the mean
// element by element. Each centred value is x - m rounded once, as centring X first would give;
// X^T X - n m m^T is not used, since it cancels when a mean is large against its column's spread.

import { sum, sum_scalar } from "./blas1";
import { crossprod, crossprod_scalar } from "./crossprod";

/** Byte address of column j. */
function colAt(cols: usize, j: i32): usize {
  return <usize>load<u32>(cols + ((<usize>j) << 2));
}

/** Sum of x[i] - m in `sum`'s order: the centred column's sum, as `center` takes it. */
function sumMinus(n: i32, x: usize, m: f64): f64 {
  const vm = f64x2.splat(m);
  let a = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) a = f64x2.add(a, f64x2.sub(v128.load(x + ((<usize>i) << 3)), vm));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  if (i < n) s += load<f64>(x + ((<usize>i) << 3)) - m;
  return s;
}

/** Scalar twin of `sumMinus`. */
function sumMinusScalar(n: i32, x: usize, m: f64): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += load<f64>(x + ((<usize>i) << 3)) - m;
  return s;
}

/**
 * The p column means, as `center` computes them (the mean, then one refinement pass
 * mean += sum(x - mean) / n), without writing the columns.
 */
export function col_means(n: i32, p: i32, cols: usize, means: usize): void {
  for (let j = 0; j < p; j++) {
    const a = colAt(cols, j);
    const m = n > 0 ? sum(n, a) / <f64>n : 0.0;
    const r = n > 0 ? sumMinus(n, a, m) / <f64>n : 0.0;
    store<f64>(means + ((<usize>j) << 3), m + r);
  }
}

/** Scalar twin of `col_means`. */
export function col_means_scalar(n: i32, p: i32, cols: usize, means: usize): void {
  for (let j = 0; j < p; j++) {
    const a = colAt(cols, j);
    const m = n > 0 ? sum_scalar(n, a) / <f64>n : 0.0;
    const r = n > 0 ? sumMinusScalar(n, a, m) / <f64>n : 0.0;
    store<f64>(means + ((<usize>j) << 3), m + r);
  }
}

/** Writes x[i] - m, i < len, to out. */
function centreInto(len: i32, x: usize, m: f64, out: usize): void {
  const vm = f64x2.splat(m);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(out + o, f64x2.sub(v128.load(x + o), vm));
  }
  if (i < len) store<f64>(out + ((<usize>i) << 3), load<f64>(x + ((<usize>i) << 3)) - m);
}

/** c[k] += t[k], k < len. */
function addInto(len: i32, t: usize, c: usize): void {
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = (<usize>k) << 3;
    v128.store(c + o, f64x2.add(v128.load(c + o), v128.load(t + o)));
  }
  if (k < len) store<f64>(c + ((<usize>k) << 3), load<f64>(c + ((<usize>k) << 3)) + load<f64>(t + ((<usize>k) << 3)));
}

/**
 * C = D^T D (p x p, both triangles), `rows` rows at a time: each block is centred into `scratch`
 * (rows x p), its cross-product formed by `crossprod` in the p x p after it, and added to C.
 * `scratch` holds rows * p + p * p doubles.
 */
export function centred_crossprod(
  n: i32,
  p: i32,
  cols: usize,
  means: usize,
  rows: i32,
  scratch: usize,
  c: usize,
): void {
  const pp = p * p;
  const t = scratch + ((<usize>rows * <usize>p) << 3);
  memory.fill(c, 0, (<usize>pp) << 3);
  for (let i0 = 0; i0 < n; i0 += rows) {
    const b = min(rows, n - i0);
    const off = (<usize>i0) << 3;
    for (let j = 0; j < p; j++) {
      const m = load<f64>(means + ((<usize>j) << 3));
      centreInto(b, colAt(cols, j) + off, m, scratch + ((<usize>j * <usize>rows) << 3));
    }
    crossprod(b, p, scratch, rows, t);
    addInto(pp, t, c);
  }
}

/** Scalar twin of `centred_crossprod`. */
export function centred_crossprod_scalar(
  n: i32,
  p: i32,
  cols: usize,
  means: usize,
  rows: i32,
  scratch: usize,
  c: usize,
): void {
  const pp = p * p;
  const t = scratch + ((<usize>rows * <usize>p) << 3);
  for (let k = 0; k < pp; k++) store<f64>(c + ((<usize>k) << 3), 0.0);
  for (let i0 = 0; i0 < n; i0 += rows) {
    const b = min(rows, n - i0);
    for (let j = 0; j < p; j++) {
      const m = load<f64>(means + ((<usize>j) << 3));
      const x = colAt(cols, j) + ((<usize>i0) << 3);
      const out = scratch + ((<usize>j * <usize>rows) << 3);
      for (let i = 0; i < b; i++) store<f64>(out + ((<usize>i) << 3), load<f64>(x + ((<usize>i) << 3)) - m);
    }
    crossprod_scalar(b, p, scratch, rows, t);
    for (let k = 0; k < pp; k++) {
      const o = (<usize>k) << 3;
      store<f64>(c + o, load<f64>(c + o) + load<f64>(t + o));
    }
  }
}

/** Sum of (x[i] - m) * y[i], i < n. */
function dotCentred(n: i32, x: usize, m: f64, y: usize): f64 {
  const vm = f64x2.splat(m);
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    s = f64x2.add(s, f64x2.mul(f64x2.sub(v128.load(x + o), vm), v128.load(y + o)));
  }
  let d = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (i < n) d += (load<f64>(x + ((<usize>i) << 3)) - m) * load<f64>(y + ((<usize>i) << 3));
  return d;
}

/** out(p) = D^T y: two columns per pass, so each load of y serves both. */
export function centred_gemv_t(n: i32, p: i32, cols: usize, means: usize, y: usize, out: usize): void {
  let j = 0;
  for (; j + 2 <= p; j += 2) {
    const a0 = colAt(cols, j);
    const a1 = colAt(cols, j + 1);
    const m0 = load<f64>(means + ((<usize>j) << 3));
    const m1 = load<f64>(means + ((<usize>(j + 1)) << 3));
    const v0 = f64x2.splat(m0);
    const v1 = f64x2.splat(m1);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      const yv = v128.load(y + o);
      s0 = f64x2.add(s0, f64x2.mul(f64x2.sub(v128.load(a0 + o), v0), yv));
      s1 = f64x2.add(s1, f64x2.mul(f64x2.sub(v128.load(a1 + o), v1), yv));
    }
    let d0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let d1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    if (i < n) {
      const o = (<usize>i) << 3;
      const yi = load<f64>(y + o);
      d0 += (load<f64>(a0 + o) - m0) * yi;
      d1 += (load<f64>(a1 + o) - m1) * yi;
    }
    store<f64>(out + ((<usize>j) << 3), d0);
    store<f64>(out + ((<usize>(j + 1)) << 3), d1);
  }
  if (j < p)
    store<f64>(out + ((<usize>j) << 3), dotCentred(n, colAt(cols, j), load<f64>(means + ((<usize>j) << 3)), y));
}

/** Scalar twin of `centred_gemv_t`. */
export function centred_gemv_t_scalar(n: i32, p: i32, cols: usize, means: usize, y: usize, out: usize): void {
  for (let j = 0; j < p; j++) {
    const a = colAt(cols, j);
    const m = load<f64>(means + ((<usize>j) << 3));
    let d = 0.0;
    for (let i = 0; i < n; i++) d += (load<f64>(a + ((<usize>i) << 3)) - m) * load<f64>(y + ((<usize>i) << 3));
    store<f64>(out + ((<usize>j) << 3), d);
  }
}

/** y(n) += alpha * D b: two columns per pass, each element of y loaded and stored once per pair. */
export function centred_gemv_n(n: i32, p: i32, alpha: f64, cols: usize, means: usize, b: usize, y: usize): void {
  let j = 0;
  for (; j + 2 <= p; j += 2) {
    const a0 = colAt(cols, j);
    const a1 = colAt(cols, j + 1);
    const m0 = load<f64>(means + ((<usize>j) << 3));
    const m1 = load<f64>(means + ((<usize>(j + 1)) << 3));
    const t0 = alpha * load<f64>(b + ((<usize>j) << 3));
    const t1 = alpha * load<f64>(b + ((<usize>(j + 1)) << 3));
    const vm0 = f64x2.splat(m0);
    const vm1 = f64x2.splat(m1);
    const vt0 = f64x2.splat(t0);
    const vt1 = f64x2.splat(t1);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      let acc = f64x2.add(v128.load(y + o), f64x2.mul(vt0, f64x2.sub(v128.load(a0 + o), vm0)));
      acc = f64x2.add(acc, f64x2.mul(vt1, f64x2.sub(v128.load(a1 + o), vm1)));
      v128.store(y + o, acc);
    }
    if (i < n) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) + t0 * (load<f64>(a0 + o) - m0) + t1 * (load<f64>(a1 + o) - m1));
    }
  }
  if (j < p) {
    const a0 = colAt(cols, j);
    const m0 = load<f64>(means + ((<usize>j) << 3));
    const t0 = alpha * load<f64>(b + ((<usize>j) << 3));
    const vm0 = f64x2.splat(m0);
    const vt0 = f64x2.splat(t0);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(vt0, f64x2.sub(v128.load(a0 + o), vm0))));
    }
    if (i < n) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) + t0 * (load<f64>(a0 + o) - m0));
    }
  }
}

/** Scalar twin of `centred_gemv_n` (same summation order, so results are bitwise equal). */
export function centred_gemv_n_scalar(n: i32, p: i32, alpha: f64, cols: usize, means: usize, b: usize, y: usize): void {
  for (let j = 0; j < p; j++) {
    const a = colAt(cols, j);
    const m = load<f64>(means + ((<usize>j) << 3));
    const t = alpha * load<f64>(b + ((<usize>j) << 3));
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) + t * (load<f64>(a + o) - m));
    }
  }
}
