// Level-1 kernels on caller-owned f64 buffers (byte pointers). Each SIMD kernel has a scalar
// twin with the same contract; tests compare the two on many lengths and offsets.
// see: reference BLAS ddot, daxpy, dscal, dnrm2

/** Sum of x[i] * y[i], i < n, with two f64x2 accumulators. */
export function dot(n: i32, x: usize, y: usize): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  if (i + 2 <= n) {
    const o = (<usize>i) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    i += 2;
  }
  a0 = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  if (i < n) s += load<f64>(x + ((<usize>i) << 3)) * load<f64>(y + ((<usize>i) << 3));
  return s;
}

/** Scalar twin of `dot`. */
export function dot_scalar(n: i32, x: usize, y: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += load<f64>(x + ((<usize>i) << 3)) * load<f64>(y + ((<usize>i) << 3));
  return s;
}

/** y[i] += a * x[i]. */
export function axpy(n: i32, a: f64, x: usize, y: usize): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
  }
  if (i < n) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/** Scalar twin of `axpy`. */
export function axpy_scalar(n: i32, a: f64, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/** x[i] *= a. */
export function scal(n: i32, a: f64, x: usize): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(x + o, f64x2.mul(va, v128.load(x + o)));
  }
  if (i < n) {
    const o = (<usize>i) << 3;
    store<f64>(x + o, a * load<f64>(x + o));
  }
}

/** Scalar twin of `scal`. */
export function scal_scalar(n: i32, a: f64, x: usize): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(x + o, a * load<f64>(x + o));
  }
}

/** y[i] = x[i] * x[i] (y may be x). */
export function square(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    const v = v128.load(x + o);
    v128.store(y + o, f64x2.mul(v, v));
  }
  if (i < n) {
    const o = (<usize>i) << 3;
    const v = load<f64>(x + o);
    store<f64>(y + o, v * v);
  }
}

/** Scalar twin of `square`. */
export function square_scalar(n: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const v = load<f64>(x + o);
    store<f64>(y + o, v * v);
  }
}

/** max |x[i]| (0 for n = 0). */
export function amax(n: i32, x: usize): f64 {
  let m = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) m = f64x2.max(m, f64x2.abs(v128.load(x + ((<usize>i) << 3))));
  let s = max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
  if (i < n) s = max(s, abs(load<f64>(x + ((<usize>i) << 3))));
  return s;
}

/** Scalar twin of `amax`. */
export function amax_scalar(n: i32, x: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s = max(s, abs(load<f64>(x + ((<usize>i) << 3))));
  return s;
}

// Squares of values outside [SMALL, BIG] would underflow or overflow; nrm2 then scales by
// 1 / max|x| first, as LAPACK's dnrm2 does with its scaled sum of squares.
const SMALL: f64 = 1e-150;
const BIG: f64 = 1e150;

/** Euclidean norm sqrt(sum x[i]^2), scaled when needed so that it neither overflows nor underflows. */
export function nrm2(n: i32, x: usize): f64 {
  const m = amax(n, x);
  if (m == 0 || !isFinite(m)) return m;
  if (m > SMALL && m < BIG) return Math.sqrt(dot(n, x, x));
  const inv = 1.0 / m;
  const vi = f64x2.splat(inv);
  let a = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = f64x2.mul(vi, v128.load(x + ((<usize>i) << 3)));
    a = f64x2.add(a, f64x2.mul(v, v));
  }
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  if (i < n) {
    const v = inv * load<f64>(x + ((<usize>i) << 3));
    s += v * v;
  }
  return m * Math.sqrt(s);
}

/** Scalar twin of `nrm2`. */
export function nrm2_scalar(n: i32, x: usize): f64 {
  const m = amax_scalar(n, x);
  if (m == 0 || !isFinite(m)) return m;
  if (m > SMALL && m < BIG) return Math.sqrt(dot_scalar(n, x, x));
  const inv = 1.0 / m;
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const v = inv * load<f64>(x + ((<usize>i) << 3));
    s += v * v;
  }
  return m * Math.sqrt(s);
}

/** Sum of x[i]. */
export function sum(n: i32, x: usize): f64 {
  let a = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) a = f64x2.add(a, v128.load(x + ((<usize>i) << 3)));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  if (i < n) s += load<f64>(x + ((<usize>i) << 3));
  return s;
}

/** Scalar twin of `sum`. */
export function sum_scalar(n: i32, x: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += load<f64>(x + ((<usize>i) << 3));
  return s;
}
