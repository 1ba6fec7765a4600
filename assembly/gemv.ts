// Matrix-vector products on column-major matrices: A is m x n with leading dimension lda
// (elements). The SIMD versions block two columns per pass so that each load of y or x serves
// two columns. see: reference BLAS dgemv

import { dot, dot_scalar } from "./blas1";

/** Sets y (length len) to beta * y, or to exact zeros when beta == 0 (as BLAS does, so NaN in y cannot leak). */
function prescale(len: i32, beta: f64, y: usize): void {
  if (beta == 1) return;
  for (let i = 0; i < len; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, beta == 0 ? 0.0 : beta * load<f64>(y + o));
  }
}

/** y(m) = alpha * A x + beta * y, with A m x n column-major. */
export function gemv_n(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  prescale(m, beta, y);
  const col = (<usize>lda) << 3;
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const a0 = a + <usize>j * col;
    const a1 = a0 + col;
    const t0 = alpha * load<f64>(x + ((<usize>j) << 3));
    const t1 = alpha * load<f64>(x + ((<usize>(j + 1)) << 3));
    const v0 = f64x2.splat(t0);
    const v1 = f64x2.splat(t1);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const o = (<usize>i) << 3;
      let acc = f64x2.add(v128.load(y + o), f64x2.mul(v0, v128.load(a0 + o)));
      acc = f64x2.add(acc, f64x2.mul(v1, v128.load(a1 + o)));
      v128.store(y + o, acc);
    }
    if (i < m) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) + t0 * load<f64>(a0 + o) + t1 * load<f64>(a1 + o));
    }
  }
  if (j < n) {
    const a0 = a + <usize>j * col;
    const t0 = alpha * load<f64>(x + ((<usize>j) << 3));
    const v0 = f64x2.splat(t0);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(v0, v128.load(a0 + o))));
    }
    if (i < m) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) + t0 * load<f64>(a0 + o));
    }
  }
}

/** Scalar twin of `gemv_n` (same summation order, so results are bitwise equal). */
export function gemv_n_scalar(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  prescale(m, beta, y);
  const col = (<usize>lda) << 3;
  for (let j = 0; j < n; j++) {
    const aj = a + <usize>j * col;
    const t = alpha * load<f64>(x + ((<usize>j) << 3));
    for (let i = 0; i < m; i++) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) + t * load<f64>(aj + o));
    }
  }
}

/** y(n) = alpha * A^T x + beta * y, with A m x n column-major: one dot product per column. */
export function gemv_t(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  prescale(n, beta, y);
  const col = (<usize>lda) << 3;
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const a0 = a + <usize>j * col;
    const a1 = a0 + col;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const o = (<usize>i) << 3;
      const xv = v128.load(x + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(a0 + o), xv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(a1 + o), xv));
    }
    let d0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let d1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    if (i < m) {
      const o = (<usize>i) << 3;
      const xi = load<f64>(x + o);
      d0 += load<f64>(a0 + o) * xi;
      d1 += load<f64>(a1 + o) * xi;
    }
    const y0 = y + ((<usize>j) << 3);
    store<f64>(y0, load<f64>(y0) + alpha * d0);
    store<f64>(y0, load<f64>(y0, 8) + alpha * d1, 8);
  }
  if (j < n) {
    const y0 = y + ((<usize>j) << 3);
    store<f64>(y0, load<f64>(y0) + alpha * dot(m, a + <usize>j * col, x));
  }
}

/** Scalar twin of `gemv_t`. */
export function gemv_t_scalar(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  prescale(n, beta, y);
  const col = (<usize>lda) << 3;
  for (let j = 0; j < n; j++) {
    const y0 = y + ((<usize>j) << 3);
    store<f64>(y0, load<f64>(y0) + alpha * dot_scalar(m, a + <usize>j * col, x));
  }
}
