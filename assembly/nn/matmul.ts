// The dense products of batch-first layers, on caller buffers of T (f64 or f32), row-major:
//   forward      out(B x O)  = in(B x I) . W^T (+ bias)   W is (O x I), like torch.nn.Linear.weight
//   input grad   dIn(B x I) += dOut(B x O) . W
//   weight grad  dW(O x I)  += dOut^T . in
// Descriptor: [1] B, [2] I, [3] O.
// SIMD over the contiguous dimension I (f64x2 / f32x4). The forward pass computes four outputs
// per input row at once (one load of the input feeds four products, two accumulators each) and
// walks W in blocks of OBLOCK rows so a block stays in L1 while every row of the batch uses it. The two gradients are
// C += A . R with a 2-row x 2-vector register tile, R walked in blocks of KBLOCK rows.
// The `_scalar` twins are the plain triple loop.
// see: llm.c matmul_forward / matmul_backward; BLIS's register-tile + cache-block structure

import { at, field, isF32, lanes } from "./desc";

const OBLOCK: i32 = 32;
const KBLOCK: i32 = 64;

/** Sum of the lanes of a v128 of T. */
function hsum<T>(v: v128): T {
  if (sizeof<T>() == 8) return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  return <T>(
    (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)))
  );
}

/** y[o + k] = bias[o + k] + x . W[o + k, :] for k < 4 (bias 0: none); each sum in `dot1`'s order. */
function dot4<T>(n: i32, x: usize, w: usize, bias: usize, y: usize, o: i32): void {
  const L = lanes<T>();
  const w0 = w + at<T>(o * n);
  const w1 = w0 + at<T>(n);
  const w2 = w1 + at<T>(n);
  const w3 = w2 + at<T>(n);
  let a0 = v128.splat<T>(<T>0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let b0 = a0;
  let b1 = a0;
  let b2 = a0;
  let b3 = a0;
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    const off = at<T>(i);
    const xv = v128.load(x + off);
    const xw = v128.load(x + off, 16);
    a0 = v128.add<T>(a0, v128.mul<T>(xv, v128.load(w0 + off)));
    b0 = v128.add<T>(b0, v128.mul<T>(xw, v128.load(w0 + off, 16)));
    a1 = v128.add<T>(a1, v128.mul<T>(xv, v128.load(w1 + off)));
    b1 = v128.add<T>(b1, v128.mul<T>(xw, v128.load(w1 + off, 16)));
    a2 = v128.add<T>(a2, v128.mul<T>(xv, v128.load(w2 + off)));
    b2 = v128.add<T>(b2, v128.mul<T>(xw, v128.load(w2 + off, 16)));
    a3 = v128.add<T>(a3, v128.mul<T>(xv, v128.load(w3 + off)));
    b3 = v128.add<T>(b3, v128.mul<T>(xw, v128.load(w3 + off, 16)));
  }
  if (i + L <= n) {
    const off = at<T>(i);
    const xv = v128.load(x + off);
    a0 = v128.add<T>(a0, v128.mul<T>(xv, v128.load(w0 + off)));
    a1 = v128.add<T>(a1, v128.mul<T>(xv, v128.load(w1 + off)));
    a2 = v128.add<T>(a2, v128.mul<T>(xv, v128.load(w2 + off)));
    a3 = v128.add<T>(a3, v128.mul<T>(xv, v128.load(w3 + off)));
    i += L;
  }
  let s0 = hsum<T>(v128.add<T>(a0, b0));
  let s1 = hsum<T>(v128.add<T>(a1, b1));
  let s2 = hsum<T>(v128.add<T>(a2, b2));
  let s3 = hsum<T>(v128.add<T>(a3, b3));
  for (; i < n; i++) {
    const off = at<T>(i);
    const xi = load<T>(x + off);
    s0 += xi * load<T>(w0 + off);
    s1 += xi * load<T>(w1 + off);
    s2 += xi * load<T>(w2 + off);
    s3 += xi * load<T>(w3 + off);
  }
  if (bias != 0) {
    const bo = bias + at<T>(o);
    s0 += load<T>(bo);
    s1 += load<T>(bo, sizeof<T>());
    s2 += load<T>(bo, 2 * sizeof<T>());
    s3 += load<T>(bo, 3 * sizeof<T>());
  }
  const yo = y + at<T>(o);
  store<T>(yo, s0);
  store<T>(yo, s1, sizeof<T>());
  store<T>(yo, s2, 2 * sizeof<T>());
  store<T>(yo, s3, 3 * sizeof<T>());
}

/**
 * y[o] = bias[o] + x . W[o, :] (bias 0: none). Two accumulators over blocks of 2L, one last block
 * of L into the first, then the lanes, then the scalar tail, then the bias: blas1's `dot` order
 * (and that of the deleted fused encoder assembly/mlp.ts), so the context encoder rebuilt on this
 * kernel sums as before.
 */
function dot1<T>(n: i32, x: usize, w: usize, bias: usize, y: usize, o: i32): void {
  const L = lanes<T>();
  const wo = w + at<T>(o * n);
  let a = v128.splat<T>(<T>0);
  let b = a;
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    const off = at<T>(i);
    a = v128.add<T>(a, v128.mul<T>(v128.load(x + off), v128.load(wo + off)));
    b = v128.add<T>(b, v128.mul<T>(v128.load(x + off, 16), v128.load(wo + off, 16)));
  }
  if (i + L <= n) {
    a = v128.add<T>(a, v128.mul<T>(v128.load(x + at<T>(i)), v128.load(wo + at<T>(i))));
    i += L;
  }
  let s = hsum<T>(v128.add<T>(a, b));
  for (; i < n; i++) s += load<T>(x + at<T>(i)) * load<T>(wo + at<T>(i));
  if (bias != 0) s += load<T>(bias + at<T>(o));
  store<T>(y + at<T>(o), s);
}

/** out = in . W^T (+ bias when bias != 0); see the file header. */
export function matmulForward<T>(B: i32, I: i32, O: i32, inp: usize, w: usize, bias: usize, out: usize): void {
  for (let o0 = 0; o0 < O; o0 += OBLOCK) {
    const o1 = min(O, o0 + OBLOCK);
    for (let b = 0; b < B; b++) {
      const x = inp + at<T>(b * I);
      const y = out + at<T>(b * O);
      let o = o0;
      for (; o + 4 <= o1; o += 4) dot4<T>(I, x, w, bias, y, o);
      for (; o < o1; o++) dot1<T>(I, x, w, bias, y, o);
    }
  }
}

/** Scalar twin of `matmulForward`. */
export function matmulForwardScalar<T>(B: i32, I: i32, O: i32, inp: usize, w: usize, bias: usize, out: usize): void {
  for (let b = 0; b < B; b++) {
    for (let o = 0; o < O; o++) {
      let s: T = bias != 0 ? load<T>(bias + at<T>(o)) : <T>0;
      for (let i = 0; i < I; i++) s += load<T>(inp + at<T>(b * I + i)) * load<T>(w + at<T>(o * I + i));
      store<T>(out + at<T>(b * O + o), s);
    }
  }
}

/**
 * Rows m0 and m0 + 1 of C(M x N) += A(M x K) . R(K x N), over rows k0..k1 of R: each row of R
 * loaded once feeds both rows of C. A[m, k] sits at a + (m am + k ak) elements; R, C row-major.
 */
function tile2<T>(N: i32, k0: i32, k1: i32, a: usize, am: i32, ak: i32, r: usize, c: usize, m0: i32): void {
  const L = lanes<T>();
  const a0 = a + at<T>(m0 * am);
  const a1 = a0 + at<T>(am);
  const c0 = c + at<T>(m0 * N);
  const c1 = c0 + at<T>(N);
  let n = 0;
  for (; n + 2 * L <= N; n += 2 * L) {
    const off = at<T>(n);
    let x00 = v128.load(c0 + off);
    let x01 = v128.load(c0 + off, 16);
    let x10 = v128.load(c1 + off);
    let x11 = v128.load(c1 + off, 16);
    for (let k = k0; k < k1; k++) {
      const rk = r + at<T>(k * N) + off;
      const r0 = v128.load(rk);
      const r1 = v128.load(rk, 16);
      const s0 = v128.splat<T>(load<T>(a0 + at<T>(k * ak)));
      const s1 = v128.splat<T>(load<T>(a1 + at<T>(k * ak)));
      x00 = v128.add<T>(x00, v128.mul<T>(s0, r0));
      x01 = v128.add<T>(x01, v128.mul<T>(s0, r1));
      x10 = v128.add<T>(x10, v128.mul<T>(s1, r0));
      x11 = v128.add<T>(x11, v128.mul<T>(s1, r1));
    }
    v128.store(c0 + off, x00);
    v128.store(c0 + off, x01, 16);
    v128.store(c1 + off, x10);
    v128.store(c1 + off, x11, 16);
  }
  for (; n < N; n++) {
    let s0 = load<T>(c0 + at<T>(n));
    let s1 = load<T>(c1 + at<T>(n));
    for (let k = k0; k < k1; k++) {
      const rk = load<T>(r + at<T>(k * N + n));
      s0 += load<T>(a0 + at<T>(k * ak)) * rk;
      s1 += load<T>(a1 + at<T>(k * ak)) * rk;
    }
    store<T>(c0 + at<T>(n), s0);
    store<T>(c1 + at<T>(n), s1);
  }
}

/** Row m0 of C += A . R over rows k0..k1 of R (as `tile2`, for an odd last row and batch 1). */
function tile1<T>(N: i32, k0: i32, k1: i32, a: usize, am: i32, ak: i32, r: usize, c: usize, m0: i32): void {
  const L = lanes<T>();
  const a0 = a + at<T>(m0 * am);
  const c0 = c + at<T>(m0 * N);
  let n = 0;
  for (; n + 2 * L <= N; n += 2 * L) {
    const off = at<T>(n);
    let x0 = v128.load(c0 + off);
    let x1 = v128.load(c0 + off, 16);
    for (let k = k0; k < k1; k++) {
      const rk = r + at<T>(k * N) + off;
      const s = v128.splat<T>(load<T>(a0 + at<T>(k * ak)));
      x0 = v128.add<T>(x0, v128.mul<T>(s, v128.load(rk)));
      x1 = v128.add<T>(x1, v128.mul<T>(s, v128.load(rk, 16)));
    }
    v128.store(c0 + off, x0);
    v128.store(c0 + off, x1, 16);
  }
  for (; n < N; n++) {
    let s0 = load<T>(c0 + at<T>(n));
    for (let k = k0; k < k1; k++) s0 += load<T>(a0 + at<T>(k * ak)) * load<T>(r + at<T>(k * N + n));
    store<T>(c0 + at<T>(n), s0);
  }
}

/** C(M x N) += A . R with A[m, k] at a + (m am + k ak) elements; R (K x N) and C row-major. */
export function gemmAcc<T>(M: i32, N: i32, K: i32, a: usize, am: i32, ak: i32, r: usize, c: usize): void {
  for (let k0 = 0; k0 < K; k0 += KBLOCK) {
    const k1 = min(K, k0 + KBLOCK);
    let m = 0;
    for (; m + 2 <= M; m += 2) tile2<T>(N, k0, k1, a, am, ak, r, c, m);
    if (m < M) tile1<T>(N, k0, k1, a, am, ak, r, c, m);
  }
}

/** Scalar twin of `gemmAcc`. */
export function gemmAccScalar<T>(M: i32, N: i32, K: i32, a: usize, am: i32, ak: i32, r: usize, c: usize): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = load<T>(c + at<T>(m * N + n));
      for (let k = 0; k < K; k++) s += load<T>(a + at<T>(m * am + k * ak)) * load<T>(r + at<T>(k * N + n));
      store<T>(c + at<T>(m * N + n), s);
    }
  }
}

/** dIn(B x I) += dOut(B x O) . W(O x I). */
export function matmulBackwardInput<T>(B: i32, I: i32, O: i32, dOut: usize, w: usize, dIn: usize, simd: bool): void {
  if (simd) gemmAcc<T>(B, I, O, dOut, O, 1, w, dIn);
  else gemmAccScalar<T>(B, I, O, dOut, O, 1, w, dIn);
}

/** dW(O x I) += dOut(B x O)^T . in(B x I). */
export function matmulBackwardWeight<T>(B: i32, I: i32, O: i32, dOut: usize, inp: usize, dW: usize, simd: bool): void {
  if (simd) gemmAcc<T>(O, I, B, dOut, 1, O, inp, dW);
  else gemmAccScalar<T>(O, I, B, dOut, 1, O, inp, dW);
}

/** out = in . W^T (no bias); desc as in the file header. */
export function nn_matmul_forward(desc: usize, inp: usize, w: usize, out: usize): void {
  const B = field(desc, 1);
  const I = field(desc, 2);
  const O = field(desc, 3);
  if (isF32(desc)) matmulForward<f32>(B, I, O, inp, w, 0, out);
  else matmulForward<f64>(B, I, O, inp, w, 0, out);
}

/** Scalar twin of `nn_matmul_forward`. */
export function nn_matmul_forward_scalar(desc: usize, inp: usize, w: usize, out: usize): void {
  const B = field(desc, 1);
  const I = field(desc, 2);
  const O = field(desc, 3);
  if (isF32(desc)) matmulForwardScalar<f32>(B, I, O, inp, w, 0, out);
  else matmulForwardScalar<f64>(B, I, O, inp, w, 0, out);
}

function backwardInput(desc: usize, dOut: usize, w: usize, dIn: usize, simd: bool): void {
  const B = field(desc, 1);
  const I = field(desc, 2);
  const O = field(desc, 3);
  if (isF32(desc)) matmulBackwardInput<f32>(B, I, O, dOut, w, dIn, simd);
  else matmulBackwardInput<f64>(B, I, O, dOut, w, dIn, simd);
}

/** dIn += dOut . W. */
export function nn_matmul_backward_input(desc: usize, dOut: usize, w: usize, dIn: usize): void {
  backwardInput(desc, dOut, w, dIn, true);
}

/** Scalar twin of `nn_matmul_backward_input`. */
export function nn_matmul_backward_input_scalar(desc: usize, dOut: usize, w: usize, dIn: usize): void {
  backwardInput(desc, dOut, w, dIn, false);
}

function backwardWeight(desc: usize, dOut: usize, inp: usize, dW: usize, simd: bool): void {
  const B = field(desc, 1);
  const I = field(desc, 2);
  const O = field(desc, 3);
  if (isF32(desc)) matmulBackwardWeight<f32>(B, I, O, dOut, inp, dW, simd);
  else matmulBackwardWeight<f64>(B, I, O, dOut, inp, dW, simd);
}

/** dW += dOut^T . in. */
export function nn_matmul_backward_weight(desc: usize, dOut: usize, inp: usize, dW: usize): void {
  backwardWeight(desc, dOut, inp, dW, true);
}

/** Scalar twin of `nn_matmul_backward_weight`. */
export function nn_matmul_backward_weight_scalar(desc: usize, dOut: usize, inp: usize, dW: usize): void {
  backwardWeight(desc, dOut, inp, dW, false);
}
