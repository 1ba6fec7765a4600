// The Deep MR CNN's first convolution on base codes (one byte per position, 0..3 = A, C, G, T): a
// Conv1d(4 → F, K, valid) of the one-hot input is a gather of filter columns, so no one-hot matrix is
// materialised:
//   out[r, o, t] = bias[o] + Σ_k W[o, code(r, t + k), k]
//   dW[o, c, k] += Σ_{r, t: code(r, t + k) = c} dOut[r, o, t],  dbias[o] += Σ_{r, t} dOut[r, o, t]
// W is (F, 4, K) as torch.nn.Conv1d.weight; out and dOut are (n, F, L − K + 1). Row r of the batch is
// sequence index[r] of `codes` (N x L bytes), or sequence r when index is 0.
// see: deep-mr §4 and §11 ("layer 1 is a gather of filter columns")

import { at } from "../nn/desc";
import { BASES } from "./deep-cnn-layout";

/** Byte address of the codes of batch row r. */
export function rowCodes(codes: usize, index: usize, r: i32, len: i32): usize {
  const i = index == 0 ? r : load<i32>(index + ((<usize>r) << 2));
  return codes + <usize>i * <usize>len;
}

/** out = conv1d(one_hot(codes of the n rows); w, bias). */
export function inputConvForward<T>(
  n: i32,
  len: i32,
  F: i32,
  K: i32,
  codes: usize,
  index: usize,
  w: usize,
  bias: usize,
  out: usize,
): void {
  const lout = len - K + 1;
  for (let r = 0; r < n; r++) {
    const src = rowCodes(codes, index, r, len);
    for (let o = 0; o < F; o++) {
      const dst = out + at<T>((r * F + o) * lout);
      const bo = load<T>(bias + at<T>(o));
      for (let t = 0; t < lout; t++) store<T>(dst + at<T>(t), bo);
      for (let k = 0; k < K; k++) {
        const wk = w + at<T>(o * BASES * K + k);
        const s = src + <usize>k;
        for (let t = 0; t < lout; t++) {
          const p = dst + at<T>(t);
          store<T>(p, load<T>(p) + load<T>(wk + at<T>(<i32>load<u8>(s + <usize>t) * K)));
        }
      }
    }
  }
}

/** dW, dbias += the gradients of `inputConvForward` given dOut. */
export function inputConvBackward<T>(
  n: i32,
  len: i32,
  F: i32,
  K: i32,
  codes: usize,
  index: usize,
  dOut: usize,
  dW: usize,
  dB: usize,
): void {
  const lout = len - K + 1;
  for (let r = 0; r < n; r++) {
    const src = rowCodes(codes, index, r, len);
    for (let o = 0; o < F; o++) {
      const g = dOut + at<T>((r * F + o) * lout);
      let gs: T = <T>0;
      for (let t = 0; t < lout; t++) gs += load<T>(g + at<T>(t));
      store<T>(dB + at<T>(o), load<T>(dB + at<T>(o)) + gs);
      for (let k = 0; k < K; k++) {
        const wk = dW + at<T>(o * BASES * K + k);
        const s = src + <usize>k;
        for (let t = 0; t < lout; t++) {
          const p = wk + at<T>(<i32>load<u8>(s + <usize>t) * K);
          store<T>(p, load<T>(p) + load<T>(g + at<T>(t)));
        }
      }
    }
  }
}
