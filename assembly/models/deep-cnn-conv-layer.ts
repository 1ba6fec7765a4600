// The Deep MR CNN's inner convolution layers on a batch (valid, stride 1, channels-first, shapes as
// nn/conv1d.ts with its descriptor [1] B, [2] C_in, [3] C_out, [4] L, [5] K; padding must be valid):
// the same formulas and the same += gradients, computed row by row with deep-cnn-conv.ts's
// register-blocked kernels. Scratch (`deep_cnn_conv_scratch_size` bytes, 16-aligned): the flipped
// kernel, one zero-padded dy row and the weight gradient's v128 partial sums.
// see: nn/conv1d.ts; deep-cnn-conv.ts

import { at, field, isF32 } from "../nn/desc";
import { convRow, flipKernel, padRow, reduceInto, wgradRow } from "./deep-cnn-conv";

/** Bytes of scratch for C_in, C_out, output length lout and K (any dtype). */
export function convScratch(cin: i32, cout: i32, lout: i32, K: i32): usize {
  const w = <usize>(cin * cout * K);
  return ((w * 8 + <usize>(cout * (lout + 2 * (K - 1))) * 8 + 15) & ~(<usize>15)) + w * 16;
}

/** out = bias + conv(x; w) over B rows. */
export function convForward<T>(
  B: i32,
  cin: i32,
  cout: i32,
  lin: i32,
  K: i32,
  x: usize,
  w: usize,
  bias: usize,
  out: usize,
  simd: bool,
): void {
  const lout = lin - K + 1;
  for (let b = 0; b < B; b++) {
    const o = out + at<T>(b * cout * lout);
    for (let q = 0; q < cout; q++) {
      const bq = load<T>(bias + at<T>(q));
      for (let t = 0; t < lout; t++) store<T>(o + at<T>(q * lout + t), bq);
    }
    convRow<T>(cin, cout, lin, K, x + at<T>(b * cin * lin), w, o, simd);
  }
}

/** dx (skipped when 0), dw, db += the gradients of `convForward` given dy. */
export function convBackward<T>(
  B: i32,
  cin: i32,
  cout: i32,
  lin: i32,
  K: i32,
  x: usize,
  w: usize,
  dy: usize,
  dx: usize,
  dw: usize,
  db: usize,
  scratch: usize,
  simd: bool,
): void {
  const lout = lin - K + 1;
  const lp = lout + 2 * (K - 1);
  const flip = scratch;
  const pad = scratch + at<T>(cin * cout * K);
  const acc = scratch + convScratch(cin, cout, lout, K) - <usize>(cin * cout * K * 16);
  if (dx != 0) flipKernel<T>(cin, cout, K, w, flip);
  if (simd) memory.fill(acc, 0, <usize>(cin * cout * K * 16));
  for (let b = 0; b < B; b++) {
    const g = dy + at<T>(b * cout * lout);
    for (let q = 0; q < cout; q++) {
      let s: T = <T>0;
      for (let t = 0; t < lout; t++) s += load<T>(g + at<T>(q * lout + t));
      store<T>(db + at<T>(q), load<T>(db + at<T>(q)) + s);
    }
    const xb = x + at<T>(b * cin * lin);
    if (dx != 0) {
      padRow<T>(cout, lout, K, g, pad);
      convRow<T>(cout, cin, lp, K, pad, flip, dx + at<T>(b * cin * lin), simd);
    }
    wgradRow<T>(cin, cout, lin, K, xb, g, simd ? acc : dw, simd);
  }
  if (simd) reduceInto<T>(cin * cout * K, acc, dw);
}

/** Bytes of scratch `deep_cnn_conv_backward` needs for the descriptor. */
export function deep_cnn_conv_scratch_size(desc: usize): f64 {
  return <f64>convScratch(field(desc, 2), field(desc, 3), field(desc, 4) - field(desc, 5) + 1, field(desc, 5));
}

function fwd(desc: usize, x: usize, w: usize, bias: usize, out: usize, simd: bool): void {
  const B = field(desc, 1);
  const cin = field(desc, 2);
  const cout = field(desc, 3);
  const lin = field(desc, 4);
  const K = field(desc, 5);
  if (isF32(desc)) convForward<f32>(B, cin, cout, lin, K, x, w, bias, out, simd);
  else convForward<f64>(B, cin, cout, lin, K, x, w, bias, out, simd);
}

function bwd(
  desc: usize,
  x: usize,
  w: usize,
  dy: usize,
  dx: usize,
  dw: usize,
  db: usize,
  scratch: usize,
  simd: bool,
): void {
  const B = field(desc, 1);
  const cin = field(desc, 2);
  const cout = field(desc, 3);
  const lin = field(desc, 4);
  const K = field(desc, 5);
  if (isF32(desc)) convBackward<f32>(B, cin, cout, lin, K, x, w, dy, dx, dw, db, scratch, simd);
  else convBackward<f64>(B, cin, cout, lin, K, x, w, dy, dx, dw, db, scratch, simd);
}

/** nn_conv1d_forward (valid padding) by the register-blocked kernel. */
export function deep_cnn_conv_forward(desc: usize, x: usize, w: usize, bias: usize, out: usize): void {
  fwd(desc, x, w, bias, out, true);
}

/** Scalar twin of `deep_cnn_conv_forward`. */
export function deep_cnn_conv_forward_scalar(desc: usize, x: usize, w: usize, bias: usize, out: usize): void {
  fwd(desc, x, w, bias, out, false);
}

/** nn_conv1d_backward (valid padding) by the register-blocked kernels; `scratch` of `deep_cnn_conv_scratch_size` bytes. */
export function deep_cnn_conv_backward(
  desc: usize,
  x: usize,
  w: usize,
  dy: usize,
  dx: usize,
  dw: usize,
  db: usize,
  scratch: usize,
): void {
  bwd(desc, x, w, dy, dx, dw, db, scratch, true);
}

/** Scalar twin of `deep_cnn_conv_backward`. */
export function deep_cnn_conv_backward_scalar(
  desc: usize,
  x: usize,
  w: usize,
  dy: usize,
  dx: usize,
  dw: usize,
  db: usize,
  scratch: usize,
): void {
  bwd(desc, x, w, dy, dx, dw, db, scratch, false);
}
