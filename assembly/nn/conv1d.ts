// Conv1d, stride 1, dilation 1, no groups, channels-first: input (B, C_in, L), weight
// (C_out, C_in, K), bias (C_out), output (B, C_out, L_out), all row-major.
//   out[b, o, t] = bias[o] + sum_c sum_k w[o, c, k] * in[b, c, t + k - padL]   (zero outside [0, L))
// Padding: valid (L_out = L - K + 1, padL = 0) or same (L_out = L, padL = (K - 1) / 2 rounded
// down, so an even kernel pads one more on the right: torch's padding="same").
// Descriptor: [1] B, [2] C_in, [3] C_out, [4] L, [5] K, [6] padding (0 valid, 1 same).
// Inner loops run over t (contiguous): axpy for the output and the input gradient, a dot for the
// weight gradient; SIMD f64x2 / f32x4, with `_scalar` twins.
// see: torch.nn.Conv1d, aten/src/ATen/native/Convolution.cpp (_convolution_mode, same padding);
// llm.c train_gpt2.c (forward/backward pairs on caller buffers)

import { axpy, dot } from "../blas1";
import { at, field, isF32 } from "./desc";

/** Output length for the descriptor: L for same padding, L - K + 1 for valid. */
export function nn_conv1d_out_len(desc: usize): i32 {
  return field(desc, 6) == 1 ? field(desc, 4) : field(desc, 4) - field(desc, 5) + 1;
}

/** x . y over n elements of T. */
function dotT<T>(n: i32, x: usize, y: usize, simd: bool): f64 {
  if (simd && sizeof<T>() == 8) return dot(n, x, y);
  let s: f64 = 0;
  let i = 0;
  if (simd) {
    let a = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) a = f32x4.add(a, f32x4.mul(v128.load(x + at<T>(i)), v128.load(y + at<T>(i))));
    s = <f64>(
      (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3)))
    );
  }
  for (; i < n; i++) s += <f64>load<T>(x + at<T>(i)) * <f64>load<T>(y + at<T>(i));
  return s;
}

/** y += a x over n elements of T. */
function axpyT<T>(n: i32, a: T, x: usize, y: usize, simd: bool): void {
  if (simd && sizeof<T>() == 8) {
    axpy(n, <f64>a, x, y);
    return;
  }
  let i = 0;
  if (simd) {
    const va = f32x4.splat(<f32>a);
    for (; i + 4 <= n; i += 4) {
      const o = at<T>(i);
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
    }
  }
  for (; i < n; i++) store<T>(y + at<T>(i), load<T>(y + at<T>(i)) + a * load<T>(x + at<T>(i)));
}

function padLeft(desc: usize): i32 {
  return field(desc, 6) == 1 ? (field(desc, 5) - 1) >> 1 : 0;
}

/** The first output position whose tap k reads inside the input: t + k - padL >= 0. */
function firstT(padL: i32, k: i32): i32 {
  return max(0, padL - k);
}

/** How many output positions from firstT(padL, k) on have tap k inside an input of length len. */
function countT(lout: i32, len: i32, padL: i32, k: i32): i32 {
  return min(lout, len + padL - k) - firstT(padL, k);
}

function forward<T>(desc: usize, inp: usize, w: usize, bias: usize, out: usize, simd: bool): void {
  const nb = field(desc, 1);
  const cin = field(desc, 2);
  const cout = field(desc, 3);
  const len = field(desc, 4);
  const kk = field(desc, 5);
  const lout = nn_conv1d_out_len(desc);
  const padL = padLeft(desc);
  for (let b = 0; b < nb; b++) {
    for (let o = 0; o < cout; o++) {
      const row = out + at<T>((b * cout + o) * lout);
      const bo = load<T>(bias + at<T>(o));
      for (let t = 0; t < lout; t++) store<T>(row + at<T>(t), bo);
      for (let c = 0; c < cin; c++) {
        const src = inp + at<T>((b * cin + c) * len);
        const wrow = w + at<T>((o * cin + c) * kk);
        for (let k = 0; k < kk; k++) {
          const lo = firstT(padL, k);
          const n = countT(lout, len, padL, k);
          if (n > 0) axpyT<T>(n, load<T>(wrow + at<T>(k)), src + at<T>(lo + k - padL), row + at<T>(lo), simd);
        }
      }
    }
  }
}

function backward<T>(
  desc: usize,
  inp: usize,
  w: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
  simd: bool,
): void {
  const nb = field(desc, 1);
  const cin = field(desc, 2);
  const cout = field(desc, 3);
  const len = field(desc, 4);
  const kk = field(desc, 5);
  const lout = nn_conv1d_out_len(desc);
  const padL = padLeft(desc);
  for (let b = 0; b < nb; b++) {
    for (let o = 0; o < cout; o++) {
      const g = dOut + at<T>((b * cout + o) * lout);
      let gsum: f64 = 0;
      for (let t = 0; t < lout; t++) gsum += <f64>load<T>(g + at<T>(t));
      store<T>(dB + at<T>(o), load<T>(dB + at<T>(o)) + <T>gsum);
      for (let c = 0; c < cin; c++) {
        const src = inp + at<T>((b * cin + c) * len);
        const dsrc = dIn + at<T>((b * cin + c) * len);
        const wrow = w + at<T>((o * cin + c) * kk);
        const dwrow = dW + at<T>((o * cin + c) * kk);
        for (let k = 0; k < kk; k++) {
          const lo = firstT(padL, k);
          const n = countT(lout, len, padL, k);
          if (n <= 0) continue;
          const shifted = at<T>(lo + k - padL);
          const gw = dotT<T>(n, g + at<T>(lo), src + shifted, simd);
          store<T>(dwrow + at<T>(k), load<T>(dwrow + at<T>(k)) + <T>gw);
          if (dIn != 0) axpyT<T>(n, load<T>(wrow + at<T>(k)), g + at<T>(lo), dsrc + shifted, simd);
        }
      }
    }
  }
}

/** Writes out = conv1d(in; w, bias) (see the file header for shapes and padding). */
export function nn_conv1d_forward(desc: usize, inp: usize, w: usize, bias: usize, out: usize): void {
  if (isF32(desc)) forward<f32>(desc, inp, w, bias, out, true);
  else forward<f64>(desc, inp, w, bias, out, true);
}

/** Scalar twin of `nn_conv1d_forward`. */
export function nn_conv1d_forward_scalar(desc: usize, inp: usize, w: usize, bias: usize, out: usize): void {
  if (isF32(desc)) forward<f32>(desc, inp, w, bias, out, false);
  else forward<f64>(desc, inp, w, bias, out, false);
}

/**
 * Given dOut = dLoss/dOut, ADDS dLoss/dIn to dIn (skipped when 0), dLoss/dW to dW and dLoss/dbias to dB:
 * dIn[b, c, t + k - padL] += sum_o dOut[b, o, t] w[o, c, k]; dW[o, c, k] += sum_b,t dOut[b, o, t]
 * in[b, c, t + k - padL]; dB[o] += sum_b,t dOut[b, o, t].
 */
export function nn_conv1d_backward(
  desc: usize,
  inp: usize,
  w: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, inp, w, dOut, dIn, dW, dB, true);
  else backward<f64>(desc, inp, w, dOut, dIn, dW, dB, true);
}

/** Scalar twin of `nn_conv1d_backward`. */
export function nn_conv1d_backward_scalar(
  desc: usize,
  inp: usize,
  w: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, inp, w, dOut, dIn, dW, dB, false);
  else backward<f64>(desc, inp, w, dOut, dIn, dW, dB, false);
}
