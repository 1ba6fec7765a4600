// Cross-products of column-major matrices: X is n x p with leading dimension ldx; the p x p
// result C (leading dimension p) is filled in both triangles.

import { dot, dot_scalar, sum, sum_scalar } from "./blas1";

function at(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/** Eight dot products of columns (a0..a3) with (b0, b1) in one pass, stored in both triangles of c. */
function dot4x2(n: i32, a0: usize, col: usize, b0: usize, b1: usize, c: usize, ldc: i32, j: i32, k: i32): void {
  const a1 = a0 + col;
  const a2 = a1 + col;
  const a3 = a2 + col;
  let s00 = f64x2.splat(0);
  let s10 = f64x2.splat(0);
  let s20 = f64x2.splat(0);
  let s30 = f64x2.splat(0);
  let s01 = f64x2.splat(0);
  let s11 = f64x2.splat(0);
  let s21 = f64x2.splat(0);
  let s31 = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    const vb0 = v128.load(b0 + o);
    const vb1 = v128.load(b1 + o);
    const va0 = v128.load(a0 + o);
    s00 = f64x2.add(s00, f64x2.mul(va0, vb0));
    s01 = f64x2.add(s01, f64x2.mul(va0, vb1));
    const va1 = v128.load(a1 + o);
    s10 = f64x2.add(s10, f64x2.mul(va1, vb0));
    s11 = f64x2.add(s11, f64x2.mul(va1, vb1));
    const va2 = v128.load(a2 + o);
    s20 = f64x2.add(s20, f64x2.mul(va2, vb0));
    s21 = f64x2.add(s21, f64x2.mul(va2, vb1));
    const va3 = v128.load(a3 + o);
    s30 = f64x2.add(s30, f64x2.mul(va3, vb0));
    s31 = f64x2.add(s31, f64x2.mul(va3, vb1));
  }
  const tail = i < n ? (<usize>i) << 3 : <usize>0;
  const has = i < n;
  finish(s00, has, a0 + tail, b0 + tail, c, ldc, j, k);
  finish(s10, has, a1 + tail, b0 + tail, c, ldc, j + 1, k);
  finish(s20, has, a2 + tail, b0 + tail, c, ldc, j + 2, k);
  finish(s30, has, a3 + tail, b0 + tail, c, ldc, j + 3, k);
  finish(s01, has, a0 + tail, b1 + tail, c, ldc, j, k + 1);
  finish(s11, has, a1 + tail, b1 + tail, c, ldc, j + 1, k + 1);
  finish(s21, has, a2 + tail, b1 + tail, c, ldc, j + 2, k + 1);
  finish(s31, has, a3 + tail, b1 + tail, c, ldc, j + 3, k + 1);
}

/** Reduces one accumulator, adds the odd last row's product when there is one, stores C[r, t] and C[t, r]. */
function finish(s: v128, hasTail: bool, a: usize, b: usize, c: usize, ldc: i32, r: i32, t: i32): void {
  let d = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (hasTail) d += load<f64>(a) * load<f64>(b);
  store<f64>(at(c, ldc, r, t), d);
  store<f64>(at(c, ldc, t, r), d);
}

/**
 * C = X^T X. Four columns of X meet two others per pass (eight accumulators, six loads per two
 * rows), so each loaded element serves several products; leftovers go through `dot`.
 */
export function crossprod(n: i32, p: i32, x: usize, ldx: i32, c: usize): void {
  const col = (<usize>ldx) << 3;
  let j = 0;
  for (; j + 4 <= p; j += 4) {
    const a0 = x + <usize>j * col;
    let k = j;
    for (; k + 2 <= p; k += 2) {
      const b0 = x + <usize>k * col;
      dot4x2(n, a0, col, b0, b0 + col, c, p, j, k);
    }
    if (k < p) {
      const b = x + <usize>k * col;
      for (let r = 0; r < 4; r++) {
        const d = dot(n, a0 + <usize>r * col, b);
        store<f64>(at(c, p, j + r, k), d);
        store<f64>(at(c, p, k, j + r), d);
      }
    }
  }
  for (; j < p; j++) {
    const a = x + <usize>j * col;
    for (let k = j; k < p; k++) {
      const d = dot(n, a, x + <usize>k * col);
      store<f64>(at(c, p, j, k), d);
      store<f64>(at(c, p, k, j), d);
    }
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
