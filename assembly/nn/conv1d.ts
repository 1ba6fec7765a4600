// Conv1d, stride 1, dilation 1, no groups, channels-first: input (B, C_in, L), weight
// (C_out, C_in, K), bias (C_out), output (B, C_out, L_out), all row-major.
//   out[b, o, t] = bias[o] + sum_c sum_k w[o, c, k] * in[b, c, t + k - padL]   (zero outside [0, L))
// Padding: valid (L_out = L - K + 1, padL = 0) or same (L_out = L, padL = (K - 1) / 2 rounded
// down, so an even kernel pads one more on the right: torch's padding="same").
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] B, [2] C_in, [3] C_out, [4] L, [5] K,
// [6] padding (0 valid, 1 same).
// Inner loops run over t (contiguous): axpy for the output and the input gradient, a dot for the
// weight gradient. SIMD f64x2 / f32x4 with scalar twins (the `_scalar` exports).
// see: torch.nn.Conv1d, aten/src/ATen/native/Convolution.cpp (_convolution_mode, same padding);
// llm.c train_gpt2.c (forward/backward pairs on caller buffers)

import { axpy, dot } from "../blas1";

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

function field(desc: usize, i: i32): i32 {
  return load<i32>(desc + ((<usize>i) << 2));
}

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
          const lo = max(0, padL - k);
          const n = min(lout, len + padL - k) - lo;
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
  dout: usize,
  din: usize,
  dw: usize,
  db: usize,
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
      const g = dout + at<T>((b * cout + o) * lout);
      let gsum: f64 = 0;
      for (let t = 0; t < lout; t++) gsum += <f64>load<T>(g + at<T>(t));
      store<T>(db + at<T>(o), load<T>(db + at<T>(o)) + <T>gsum);
      for (let c = 0; c < cin; c++) {
        const src = inp + at<T>((b * cin + c) * len);
        const dsrc = din + at<T>((b * cin + c) * len);
        const wrow = w + at<T>((o * cin + c) * kk);
        const dwrow = dw + at<T>((o * cin + c) * kk);
        for (let k = 0; k < kk; k++) {
          const lo = max(0, padL - k);
          const n = min(lout, len + padL - k) - lo;
          if (n <= 0) continue;
          const shifted = at<T>(lo + k - padL);
          const gw = dotT<T>(n, g + at<T>(lo), src + shifted, simd);
          store<T>(dwrow + at<T>(k), load<T>(dwrow + at<T>(k)) + <T>gw);
          axpyT<T>(n, load<T>(wrow + at<T>(k)), g + at<T>(lo), dsrc + shifted, simd);
        }
      }
    }
  }
}

/** Writes out = conv1d(in; w, bias) (see the file header for shapes and padding). */
export function nn_conv1d_forward(desc: usize, inp: usize, w: usize, bias: usize, out: usize): void {
  if (load<i32>(desc) == 1) forward<f32>(desc, inp, w, bias, out, true);
  else forward<f64>(desc, inp, w, bias, out, true);
}

/** Scalar twin of `nn_conv1d_forward`. */
export function nn_conv1d_forward_scalar(desc: usize, inp: usize, w: usize, bias: usize, out: usize): void {
  if (load<i32>(desc) == 1) forward<f32>(desc, inp, w, bias, out, false);
  else forward<f64>(desc, inp, w, bias, out, false);
}

/**
 * Given dout = dLoss/dout, ADDS dLoss/din to din, dLoss/dw to dw and dLoss/dbias to db:
 * din[b, c, t + k - padL] += sum_o dout[b, o, t] w[o, c, k]; dw[o, c, k] += sum_b,t dout[b, o, t]
 * in[b, c, t + k - padL]; db[o] += sum_b,t dout[b, o, t].
 */
export function nn_conv1d_backward(
  desc: usize,
  inp: usize,
  w: usize,
  dout: usize,
  din: usize,
  dw: usize,
  db: usize,
): void {
  if (load<i32>(desc) == 1) backward<f32>(desc, inp, w, dout, din, dw, db, true);
  else backward<f64>(desc, inp, w, dout, din, dw, db, true);
}

/** Scalar twin of `nn_conv1d_backward`. */
export function nn_conv1d_backward_scalar(
  desc: usize,
  inp: usize,
  w: usize,
  dout: usize,
  din: usize,
  dw: usize,
  db: usize,
): void {
  if (load<i32>(desc) == 1) backward<f32>(desc, inp, w, dout, din, dw, db, false);
  else backward<f64>(desc, inp, w, dout, din, dw, db, false);
}
