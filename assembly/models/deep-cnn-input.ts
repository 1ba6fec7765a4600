// The Deep MR CNN's first convolution on base codes (one byte per position, 0..3 = A, C, G, T): a
// Conv1d(4 → F, K, valid) of the one-hot input is a gather of filter columns, so no one-hot matrix is
// materialised:
//   out[r, o, t] = bias[o] + Σ_k W[o, code(r, t + k), k]
//   dW[o, c, k] += Σ_{r, t: code(r, t + k) = c} dOut[r, o, t],  dbias[o] += Σ_{r, t} dOut[r, o, t]
// W is (F, 4, K) as torch.nn.Conv1d.weight; out and dOut are (n, F, L − K + 1). Row r of the batch is
// sequence index[r] of `codes` (N x L bytes), or sequence r when index is 0.
// SIMD runs over the filters: the kernel is laid out as a table Wt[(k·4 + c)·Fp + o] (Fp = F rounded
// up to 4, zero-padded), each position sums K of its rows, and the (position × filter) result is
// transposed into the channels-first output; backward transposes dOut the same way and adds each
// position's filter vector into the table's rows its codes select. Scratch (`inputScratch` bytes):
// the table and one row's (position × filter) block. The scalar loops are the twins.
// see: deep-mr §4 and §11 ("layer 1 is a gather of filter columns")

import { at, lanes } from "../nn/desc";
/** Base codes per input position (A, C, G, T). */
export const BASES: i32 = 4;

/** Byte address of the codes of batch row r. */
export function rowCodes(codes: usize, index: usize, r: i32, len: i32): usize {
  const i = index == 0 ? r : load<i32>(index + ((<usize>r) << 2));
  return codes + <usize>i * <usize>len;
}

/** out = conv1d(one_hot(codes of the n rows); w, bias), scalar. */
function forwardScalar<T>(
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

/** dW, dbias += the gradients of the forward given dOut, scalar. */
function backwardScalar<T>(
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

/** F rounded up to a whole number of f32x4 vectors. */
function padded(F: i32): i32 {
  return (F + 3) & ~3;
}

/** Bytes of scratch for F filters, kernel K and output length lout (any dtype; 16-aligned start). */
export function inputScratch(F: i32, K: i32, lout: i32): usize {
  return 8 * <usize>(padded(F) * (BASES * K + lout + 1));
}

/** The table Wt[(k·4 + c)·Fp + o] = w[o, c, k] (0 for o ≥ F), then the bias row (Fp). */
function table<T>(F: i32, K: i32, w: usize, bias: usize, tab: usize): void {
  const fp = padded(F);
  for (let i = 0; i < (BASES * K + 1) * fp; i++) store<T>(tab + at<T>(i), <T>0);
  for (let o = 0; o < F; o++) {
    for (let c = 0; c < BASES; c++) {
      for (let k = 0; k < K; k++)
        store<T>(tab + at<T>((k * BASES + c) * fp + o), load<T>(w + at<T>((o * BASES + c) * K + k)));
    }
    store<T>(tab + at<T>(BASES * K * fp + o), load<T>(bias + at<T>(o)));
  }
}

function forwardSimd<T>(
  n: i32,
  len: i32,
  F: i32,
  K: i32,
  codes: usize,
  index: usize,
  w: usize,
  bias: usize,
  out: usize,
  scratch: usize,
): void {
  const V = lanes<T>();
  const fp = padded(F);
  const lout = len - K + 1;
  const tab = scratch;
  const blk = scratch + at<T>((BASES * K + 1) * fp);
  const b0 = tab + at<T>(BASES * K * fp);
  table<T>(F, K, w, bias, tab);
  for (let r = 0; r < n; r++) {
    const src = rowCodes(codes, index, r, len);
    for (let t = 0; t < lout; t++) {
      const dst = blk + at<T>(t * fp);
      for (let v = 0; v < fp; v += V) v128.store(dst + at<T>(v), v128.load(b0 + at<T>(v)));
      for (let k = 0; k < K; k++) {
        const row = tab + at<T>((k * BASES + <i32>load<u8>(src + <usize>(t + k))) * fp);
        for (let v = 0; v < fp; v += V) {
          const p = dst + at<T>(v);
          v128.store(p, v128.add<T>(v128.load(p), v128.load(row + at<T>(v))));
        }
      }
    }
    const o0 = out + at<T>(r * F * lout);
    for (let o = 0; o < F; o++) {
      for (let t = 0; t < lout; t++) store<T>(o0 + at<T>(o * lout + t), load<T>(blk + at<T>(t * fp + o)));
    }
  }
}

function backwardSimd<T>(
  n: i32,
  len: i32,
  F: i32,
  K: i32,
  codes: usize,
  index: usize,
  dOut: usize,
  dW: usize,
  dB: usize,
  scratch: usize,
): void {
  const V = lanes<T>();
  const fp = padded(F);
  const lout = len - K + 1;
  const tab = scratch;
  const blk = scratch + at<T>((BASES * K + 1) * fp);
  const db = tab + at<T>(BASES * K * fp);
  for (let i = 0; i < (BASES * K + 1) * fp; i++) store<T>(tab + at<T>(i), <T>0);
  for (let i = 0; i < lout * fp; i++) store<T>(blk + at<T>(i), <T>0);
  for (let r = 0; r < n; r++) {
    const src = rowCodes(codes, index, r, len);
    const g = dOut + at<T>(r * F * lout);
    for (let o = 0; o < F; o++) {
      for (let t = 0; t < lout; t++) store<T>(blk + at<T>(t * fp + o), load<T>(g + at<T>(o * lout + t)));
    }
    for (let t = 0; t < lout; t++) {
      const gt = blk + at<T>(t * fp);
      for (let v = 0; v < fp; v += V)
        v128.store(db + at<T>(v), v128.add<T>(v128.load(db + at<T>(v)), v128.load(gt + at<T>(v))));
      for (let k = 0; k < K; k++) {
        const row = tab + at<T>((k * BASES + <i32>load<u8>(src + <usize>(t + k))) * fp);
        for (let v = 0; v < fp; v += V) {
          const p = row + at<T>(v);
          v128.store(p, v128.add<T>(v128.load(p), v128.load(gt + at<T>(v))));
        }
      }
    }
  }
  for (let o = 0; o < F; o++) {
    store<T>(dB + at<T>(o), load<T>(dB + at<T>(o)) + load<T>(db + at<T>(o)));
    for (let c = 0; c < BASES; c++) {
      for (let k = 0; k < K; k++) {
        const p = dW + at<T>((o * BASES + c) * K + k);
        store<T>(p, load<T>(p) + load<T>(tab + at<T>((k * BASES + c) * fp + o)));
      }
    }
  }
}

/** out = conv1d(one_hot(codes of the n rows); w, bias); `scratch` of `inputScratch` bytes when simd. */
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
  scratch: usize,
  simd: bool,
): void {
  if (simd) forwardSimd<T>(n, len, F, K, codes, index, w, bias, out, scratch);
  else forwardScalar<T>(n, len, F, K, codes, index, w, bias, out);
}

/** dW, dbias += the gradients of `inputConvForward` given dOut; `scratch` of `inputScratch` bytes when simd. */
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
  scratch: usize,
  simd: bool,
): void {
  if (simd) backwardSimd<T>(n, len, F, K, codes, index, dOut, dW, dB, scratch);
  else backwardScalar<T>(n, len, F, K, codes, index, dOut, dW, dB);
}
