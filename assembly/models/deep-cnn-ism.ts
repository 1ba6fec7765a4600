// Fast in-silico mutagenesis of one sequence through the Deep MR CNN (deep-mr §2 step 2, §11):
// the outputs of the 4L-row batch whose row 4l + b is the sequence with base b at position l,
// without running the 4L rows. The wild type (WT) runs once; a point mutation at i changes the
// output of convolution j (0-based) only at positions [i − (j + 1)(K − 1), i] (clipped), so each of
// the 3L mutants keeps just those windows: layer 0's by gathering its filter columns, later layers
// by convolving a slab of the previous layer (the mutant's window, the WT elsewhere) with
// deep-cnn-conv.ts's kernel. BatchNorm in batch mode needs the whole batch's statistics: per
// channel the sums are 4L × the WT's plus, per mutant, its window minus the WT's window (the
// variance's sum of squared deviations likewise, around the batch mean), and the running statistics
// move as the naive pass would move them; in running mode it is the running statistics' affine map.
// The first Linear is updated from the WT: h = h_WT + W1[:, window]·(a − a_WT)[window]; the rest
// of the head runs on the 4L rows. Rows holding the reference base are WT copies.
// The dense head and the entry points are in deep-cnn-ism-head.ts.
// see: Nair, Shrikumar, Schreiber & Kundaje, fastISM (Bioinformatics 2022); deep-mr §11

import { at } from "../nn/desc";
import { convRow } from "./deep-cnn-conv";
import { BASES } from "./deep-cnn-input";
import * as L from "./deep-cnn-layout";

/** Widest window of any convolution: NL (K − 1) + 1 positions. */
export function wmax(desc: usize): i32 {
  return L.convLayers(desc) * (L.kernel(desc) - 1) + 1;
}

// ISM workspace parts (element offsets from `ismBase`, in this order): ZW and AW, per layer j the
// WT's pre-BatchNorm and post-ReLU outputs (F × L_j each, layer after layer); ZM, AM and AP, the
// 3L mutants' windows (F × wmax each) of the current layer before BatchNorm and after ReLU and of
// the previous layer after ReLU; SLAB, one mutant's input to a convolution (F × L); ZT, its output
// (F × L); W1T, the first Linear's weight transposed (flat × D1); H1W, the WT's first Linear
// pre-activation (D1); H1, H2, OUT the 4L rows' dense activations and outputs.
const ZW = 0;
export const AW = 1;
const ZM = 2;
export const AM = 3;
const AP = 4;
const SLAB = 5;
const ZT = 6;
export const W1T = 7;
export const H1W = 8;
export const H1 = 9;
export const H2 = 10;
export const OUT = 11;
export const PARTS = 12;

function partSize(desc: usize, k: i32): i32 {
  const F = L.filters(desc);
  const R = 4 * L.seqLen(desc);
  if (k <= AW) {
    let per = 0;
    for (let j = 0; j < L.convLayers(desc); j++) per += F * L.convLen(desc, j);
    return per;
  }
  if (k <= AP) return 3 * L.seqLen(desc) * F * wmax(desc);
  if (k <= ZT) return F * L.seqLen(desc);
  if (k == W1T) return L.flat(desc) * L.dense1(desc);
  if (k == H1W) return L.dense1(desc);
  if (k == H1) return R * L.dense1(desc);
  return k == H2 ? R * L.dense2(desc) : R * L.outputs(desc);
}

/** Byte address of ISM part k (k = PARTS: the end). */
export function part<T>(desc: usize, work: usize, k: i32): usize {
  let off = 0;
  for (let q = 0; q < k; q++) off += partSize(desc, q);
  return ismBase<T>(desc, work) + at<T>(off);
}

/** Start of the ISM part of the workspace: where the model workspace's scratch would be (ISM does not use that scratch). */
function ismBase<T>(desc: usize, work: usize): usize {
  return L.scratch<T>(desc, work);
}

/** Element offset of layer j's WT block (zw or aw). */
export function layerOff(desc: usize, j: i32): i32 {
  let off = 0;
  for (let q = 0; q < j; q++) off += L.filters(desc) * L.convLen(desc, q);
  return off;
}

/** The window [lo, lo + width) of layer j's output that a mutation at position i changes. */
export function lo(desc: usize, j: i32, i: i32): i32 {
  return max(0, i - (j + 1) * (L.kernel(desc) - 1));
}
export function hi(desc: usize, j: i32, i: i32): i32 {
  return min(L.convLen(desc, j) - 1, i);
}

/** Base of mutant m (0 ... 3L): position m / 3, the (m % 3)-th base other than the reference. */
function mutBase(seq: usize, m: i32): i32 {
  const ref = <i32>load<u8>(seq + <usize>(m / 3));
  const k = m % 3;
  return k < ref ? k : k + 1;
}

/** Layer 0 pre-BatchNorm at positions [from, to] of a sequence whose position i holds base `b` (i < 0: the WT). */
function gather0<T>(
  desc: usize,
  params: usize,
  seq: usize,
  i: i32,
  b: i32,
  from: i32,
  to: i32,
  dst: usize,
  stride: i32,
): void {
  const F = L.filters(desc);
  const K = L.kernel(desc);
  const w = params + at<T>(L.convOffset(desc, 0));
  const bias = params + at<T>(L.convBias(desc, 0));
  for (let o = 0; o < F; o++) {
    for (let t = from; t <= to; t++) {
      let s = load<T>(bias + at<T>(o));
      for (let k = 0; k < K; k++) {
        const c = t + k == i ? b : <i32>load<u8>(seq + <usize>(t + k));
        s += load<T>(w + at<T>((o * BASES + c) * K + k));
      }
      store<T>(dst + at<T>(o * stride + t - from), s);
    }
  }
}

/** Pre-BatchNorm outputs of layer j: the WT's (all positions) and each mutant's window. */
export function convLayer<T>(desc: usize, params: usize, seq: usize, work: usize, j: i32): void {
  const F = L.filters(desc);
  const K = L.kernel(desc);
  const W = wmax(desc);
  const lj = L.convLen(desc, j);
  const zw = part<T>(desc, work, ZW) + at<T>(layerOff(desc, j));
  const zm = part<T>(desc, work, ZM);
  if (j == 0) {
    gather0<T>(desc, params, seq, -1, 0, 0, lj - 1, zw, lj);
    for (let m = 0; m < 3 * L.seqLen(desc); m++) {
      const i = m / 3;
      gather0<T>(desc, params, seq, i, mutBase(seq, m), lo(desc, 0, i), hi(desc, 0, i), zm + at<T>(m * F * W), W);
    }
    return;
  }
  const w = params + at<T>(L.convOffset(desc, j));
  const bias = params + at<T>(L.convBias(desc, j));
  const lp = L.convLen(desc, j - 1);
  const awPrev = part<T>(desc, work, AW) + at<T>(layerOff(desc, j - 1));
  fillBias<T>(F, lj, bias, zw);
  convRow<T>(F, F, lp, K, awPrev, w, zw, true);
  const slab = part<T>(desc, work, SLAB);
  const zt = part<T>(desc, work, ZT);
  const ap = part<T>(desc, work, AP);
  for (let m = 0; m < 3 * L.seqLen(desc); m++) {
    const i = m / 3;
    const a = lo(desc, j, i);
    const width = hi(desc, j, i) - a + 1;
    const lin = width + K - 1;
    const pa = lo(desc, j - 1, i);
    const pb = hi(desc, j - 1, i);
    const src = ap + at<T>(m * F * W);
    for (let c = 0; c < F; c++) {
      for (let p = 0; p < lin; p++) {
        const q = a + p;
        const v = q >= pa && q <= pb ? load<T>(src + at<T>(c * W + q - pa)) : load<T>(awPrev + at<T>(c * lp + q));
        store<T>(slab + at<T>(c * lin + p), v);
      }
    }
    fillBias<T>(F, width, bias, zt);
    convRow<T>(F, F, lin, K, slab, w, zt, true);
    const dst = zm + at<T>(m * F * W);
    for (let c = 0; c < F; c++) {
      for (let t = 0; t < width; t++) store<T>(dst + at<T>(c * W + t), load<T>(zt + at<T>(c * width + t)));
    }
  }
}

function fillBias<T>(F: i32, len: i32, bias: usize, out: usize): void {
  for (let o = 0; o < F; o++) {
    const b = load<T>(bias + at<T>(o));
    for (let t = 0; t < len; t++) store<T>(out + at<T>(o * len + t), b);
  }
}

/**
 * BatchNorm + ReLU of layer j's WT output and mutant windows: batch mode from the 4L-row batch's
 * statistics (updating the running ones as the naive pass does), else the running statistics.
 */
export function normLayer<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  work: usize,
  j: i32,
  batch: bool,
): void {
  const F = L.filters(desc);
  const W = wmax(desc);
  const lj = L.convLen(desc, j);
  const M = 3 * L.seqLen(desc);
  const rows: i32 = 4 * L.seqLen(desc);
  const n = <T>(rows * lj);
  const R = <T>rows;
  const eps = <T>load<f64>(hyper);
  const mom = <T>load<f64>(hyper, 8);
  const zw = part<T>(desc, work, ZW) + at<T>(layerOff(desc, j));
  const aw = part<T>(desc, work, AW) + at<T>(layerOff(desc, j));
  const zm = part<T>(desc, work, ZM);
  const am = part<T>(desc, work, AM);
  const rm = state + at<T>(2 * F * j);
  const rv = rm + at<T>(F);
  for (let c = 0; c < F; c++) {
    const wc = zw + at<T>(c * lj);
    let mean: T;
    let rstd: T;
    if (batch) {
      let s: T = <T>0;
      for (let t = 0; t < lj; t++) s += load<T>(wc + at<T>(t));
      s *= R;
      for (let m = 0; m < M; m++) {
        const a = lo(desc, j, m / 3);
        const width = hi(desc, j, m / 3) - a + 1;
        const mc = zm + at<T>((m * F + c) * W);
        for (let t = 0; t < width; t++) s += load<T>(mc + at<T>(t)) - load<T>(wc + at<T>(a + t));
      }
      mean = s / n;
      let q: T = <T>0;
      for (let t = 0; t < lj; t++) {
        const d = load<T>(wc + at<T>(t)) - mean;
        q += d * d;
      }
      q *= R;
      for (let m = 0; m < M; m++) {
        const a = lo(desc, j, m / 3);
        const width = hi(desc, j, m / 3) - a + 1;
        const mc = zm + at<T>((m * F + c) * W);
        for (let t = 0; t < width; t++) {
          const dm = load<T>(mc + at<T>(t)) - mean;
          const dw = load<T>(wc + at<T>(a + t)) - mean;
          q += dm * dm - dw * dw;
        }
      }
      rstd = <T>1 / sqrt<T>(q / n + eps);
      store<T>(rm + at<T>(c), (<T>1 - mom) * load<T>(rm + at<T>(c)) + mom * mean);
      store<T>(rv + at<T>(c), (<T>1 - mom) * load<T>(rv + at<T>(c)) + mom * (q / (n - <T>1)));
    } else {
      mean = load<T>(rm + at<T>(c));
      rstd = <T>1 / sqrt<T>(load<T>(rv + at<T>(c)) + eps);
    }
    const g = load<T>(params + at<T>(L.bnGamma(desc, j) + c));
    const b = load<T>(params + at<T>(L.bnBeta(desc, j) + c));
    for (let t = 0; t < lj; t++)
      store<T>(aw + at<T>(c * lj + t), relu<T>((load<T>(wc + at<T>(t)) - mean) * rstd * g + b));
    for (let m = 0; m < M; m++) {
      const width = hi(desc, j, m / 3) - lo(desc, j, m / 3) + 1;
      const o = at<T>((m * F + c) * W);
      for (let t = 0; t < width; t++)
        store<T>(am + o + at<T>(t), relu<T>((load<T>(zm + o + at<T>(t)) - mean) * rstd * g + b));
    }
  }
}

function relu<T>(x: T): T {
  return x > <T>0 ? x : <T>0;
}

/** Copies the mutants' post-ReLU windows (AM) to AP for the next layer. */
export function keepWindows<T>(desc: usize, work: usize): void {
  const n = 3 * L.seqLen(desc) * L.filters(desc) * wmax(desc);
  memory.copy(part<T>(desc, work, AP), part<T>(desc, work, AM), at<T>(n));
}
