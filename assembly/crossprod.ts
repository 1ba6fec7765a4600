// Cross-products of column-major matrices: X is n x p with leading dimension ldx; the p x p
// result C (leading dimension p) is filled in both triangles.

import { dot, dot_scalar, sum, sum_scalar } from "./blas1";

function at(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/** Four dot products of columns (a0, a1) with (b0, b1) in one pass: out = [a0.b0, a1.b0, a0.b1, a1.b1]. */

function dot2x2(n: i32, a0: usize, a1: usize, b0: usize, b1: usize, c: usize, ldc: i32, j: i32, k: i32): void {
  let s00 = f64x2.splat(0);
  let s10 = f64x2.splat(0);
  let s01 = f64x2.splat(0);
  let s11 = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    const va0 = v128.load(a0 + o);
    const va1 = v128.load(a1 + o);
    const vb0 = v128.load(b0 + o);
    const vb1 = v128.load(b1 + o);
    s00 = f64x2.add(s00, f64x2.mul(va0, vb0));
    s10 = f64x2.add(s10, f64x2.mul(va1, vb0));
    s01 = f64x2.add(s01, f64x2.mul(va0, vb1));
    s11 = f64x2.add(s11, f64x2.mul(va1, vb1));
  }
  let d00 = f64x2.extract_lane(s00, 0) + f64x2.extract_lane(s00, 1);
  let d10 = f64x2.extract_lane(s10, 0) + f64x2.extract_lane(s10, 1);
  let d01 = f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1);
  let d11 = f64x2.extract_lane(s11, 0) + f64x2.extract_lane(s11, 1);
  if (i < n) {
    const o = (<usize>i) << 3;
    const x0 = load<f64>(a0 + o);
    const x1 = load<f64>(a1 + o);
    const z0 = load<f64>(b0 + o);
    const z1 = load<f64>(b1 + o);
    d00 += x0 * z0;
    d10 += x1 * z0;
    d01 += x0 * z1;
    d11 += x1 * z1;
  }
  store<f64>(at(c, ldc, j, k), d00);
  store<f64>(at(c, ldc, k, j), d00);
  store<f64>(at(c, ldc, j + 1, k), d10);
  store<f64>(at(c, ldc, k, j + 1), d10);
  store<f64>(at(c, ldc, j, k + 1), d01);
  store<f64>(at(c, ldc, k + 1, j), d01);
  store<f64>(at(c, ldc, j + 1, k + 1), d11);
  store<f64>(at(c, ldc, k + 1, j + 1), d11);
}

/** C = X^T X, computed in 2 x 2 blocks of columns so that each loaded element serves two products. */
export function crossprod(n: i32, p: i32, x: usize, ldx: i32, c: usize): void {
  const col = (<usize>ldx) << 3;
  let j = 0;
  for (; j + 2 <= p; j += 2) {
    const a0 = x + <usize>j * col;
    let k = j;
    for (; k + 2 <= p; k += 2) {
      const b0 = x + <usize>k * col;
      dot2x2(n, a0, a0 + col, b0, b0 + col, c, p, j, k);
    }
    if (k < p) {
      const b = x + <usize>k * col;
      const d0 = dot(n, a0, b);
      const d1 = dot(n, a0 + col, b);
      store<f64>(at(c, p, j, k), d0);
      store<f64>(at(c, p, k, j), d0);
      store<f64>(at(c, p, j + 1, k), d1);
      store<f64>(at(c, p, k, j + 1), d1);
    }
  }
  if (j < p) {
    const a = x + <usize>j * col;
    store<f64>(at(c, p, j, j), dot(n, a, a));
  }
}

/** Scalar twin of `crossprod`: one dot product per pair of columns. */
export function crossprod_scalar(n: i32, p: i32, x: usize, ldx: i32, c: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      const d = dot_scalar(n, x + <usize>j * col, x + <usize>k * col);
      store<f64>(at(c, p, j, k), d);
      store<f64>(at(c, p, k, j), d);
    }
  }
}

/** C = X^T diag(w) X (the "meat" of a sandwich covariance). */
export function crossprod_w(n: i32, p: i32, x: usize, ldx: i32, w: usize, c: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    for (let k = j; k < p; k++) {
      const b = x + <usize>k * col;
      let s = f64x2.splat(0);
      let i = 0;
      for (; i + 2 <= n; i += 2) {
        const o = (<usize>i) << 3;
        s = f64x2.add(s, f64x2.mul(v128.load(w + o), f64x2.mul(v128.load(a + o), v128.load(b + o))));
      }
      let d = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      if (i < n) {
        const o = (<usize>i) << 3;
        d += load<f64>(w + o) * (load<f64>(a + o) * load<f64>(b + o));
      }
      store<f64>(at(c, p, j, k), d);
      store<f64>(at(c, p, k, j), d);
    }
  }
}

/** Scalar twin of `crossprod_w`. */
export function crossprod_w_scalar(n: i32, p: i32, x: usize, ldx: i32, w: usize, c: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    for (let k = j; k < p; k++) {
      const b = x + <usize>k * col;
      let d = 0.0;
      for (let i = 0; i < n; i++) {
        const o = (<usize>i) << 3;
        d += load<f64>(w + o) * (load<f64>(a + o) * load<f64>(b + o));
      }
      store<f64>(at(c, p, j, k), d);
      store<f64>(at(c, p, k, j), d);
    }
  }
}

/**
 * Centres each column of X in place and writes the column means to `means`. The mean gets one
 * refinement pass (mean += sum(x - mean) / n), which removes most of the rounding of the first sum.
 */
export function center(n: i32, p: i32, x: usize, ldx: i32, means: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    let m = n > 0 ? sum(n, a) / <f64>n : 0.0;
    const vm = f64x2.splat(m);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(a + o, f64x2.sub(v128.load(a + o), vm));
    }
    if (i < n) store<f64>(a + ((<usize>i) << 3), load<f64>(a + ((<usize>i) << 3)) - m);
    const r = n > 0 ? sum(n, a) / <f64>n : 0.0;
    const vr = f64x2.splat(r);
    i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(a + o, f64x2.sub(v128.load(a + o), vr));
    }
    if (i < n) store<f64>(a + ((<usize>i) << 3), load<f64>(a + ((<usize>i) << 3)) - r);
    m += r;
    store<f64>(means + ((<usize>j) << 3), m);
  }
}

/** Scalar twin of `center`. */
export function center_scalar(n: i32, p: i32, x: usize, ldx: i32, means: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    let m = n > 0 ? sum_scalar(n, a) / <f64>n : 0.0;
    for (let i = 0; i < n; i++) store<f64>(a + ((<usize>i) << 3), load<f64>(a + ((<usize>i) << 3)) - m);
    const r = n > 0 ? sum_scalar(n, a) / <f64>n : 0.0;
    for (let i = 0; i < n; i++) store<f64>(a + ((<usize>i) << 3), load<f64>(a + ((<usize>i) << 3)) - r);
    m += r;
    store<f64>(means + ((<usize>j) << 3), m);
  }
}
