// Fast ISM's dense head and entry points (deep-cnn-ism.ts has the convolution layers): the first
// Linear of each mutant row as the WT's pre-activation plus W1[:, window]·(a − a_WT)[window], then
// ReLU → Linear → ReLU → Linear on the 4L rows with the nn kernels. Output row 4l + b is the
// sequence with base b at position l (deep-mr §2 step 2).
// see: deep-cnn-ism.ts; deep-mr §11

import { nn_activation_forward } from "../nn/activation";
import { at, isF32 } from "../nn/desc";
import { nn_dropout_forward } from "../nn/dropout";
import { nn_linear_forward } from "../nn/linear";
import { setup } from "./deep-cnn";
import { drawMasks, dropWindows } from "./deep-cnn-dropout";
import * as I from "./deep-cnn-ism";
import * as L from "./deep-cnn-layout";

/** W1T = W1ᵀ (flat × D1) and H1W = b1 + W1 · a_WT (the WT's flatten). */
function wildType<T>(desc: usize, params: usize, work: usize): void {
  const flat = L.flat(desc);
  const D1 = L.dense1(desc);
  const w1 = params + at<T>(L.denseW(desc, 0));
  const b1 = params + at<T>(L.denseB(desc, 0));
  const w1t = I.part<T>(desc, work, I.W1T);
  const h1w = I.part<T>(desc, work, I.H1W);
  const aw = I.part<T>(desc, work, I.AW) + at<T>(I.layerOff(desc, L.convLayers(desc) - 1));
  for (let d = 0; d < D1; d++) {
    let s = load<T>(b1 + at<T>(d));
    for (let f = 0; f < flat; f++) {
      const wv = load<T>(w1 + at<T>(d * flat + f));
      store<T>(w1t + at<T>(f * D1 + d), wv);
      s += wv * load<T>(aw + at<T>(f));
    }
    store<T>(h1w + at<T>(d), s);
  }
}

/** H1 row r = the first Linear's pre-activation of batch row r (4l + b). */
function firstLinear<T>(desc: usize, seq: usize, work: usize): void {
  const F = L.filters(desc);
  const D1 = L.dense1(desc);
  const NL = L.convLayers(desc);
  const ll = L.convLen(desc, NL - 1);
  const W = I.wmax(desc);
  const w1t = I.part<T>(desc, work, I.W1T);
  const h1w = I.part<T>(desc, work, I.H1W);
  const aw = I.part<T>(desc, work, I.AW) + at<T>(I.layerOff(desc, NL - 1));
  const am = I.part<T>(desc, work, I.AM);
  const h1 = I.part<T>(desc, work, I.H1);
  for (let r = 0; r < 4 * L.seqLen(desc); r++) {
    const l = r >> 2;
    const b = r & 3;
    const ref = <i32>load<u8>(seq + <usize>l);
    const row = h1 + at<T>(r * D1);
    for (let d = 0; d < D1; d++) store<T>(row + at<T>(d), load<T>(h1w + at<T>(d)));
    if (b == ref) continue;
    const m = 3 * l + (b < ref ? b : b - 1);
    const a = I.lo(desc, NL - 1, l);
    const width = I.hi(desc, NL - 1, l) - a + 1;
    for (let c = 0; c < F; c++) {
      for (let t = 0; t < width; t++) {
        const f = c * ll + a + t;
        const diff = load<T>(am + at<T>((m * F + c) * W + t)) - load<T>(aw + at<T>(f));
        if (diff == <T>0) continue;
        const col = w1t + at<T>(f * D1);
        for (let d = 0; d < D1; d++) store<T>(row + at<T>(d), load<T>(row + at<T>(d)) + diff * load<T>(col + at<T>(d)));
      }
    }
  }
}

/** Dense ReLU k's shared dropout on the 4L rows, in place. */
function denseDrop(desc: usize, work: usize, k: i32, x: usize): void {
  const mask = L.buffer(work, L.bufMask(desc, L.convLayers(desc) + k));
  nn_dropout_forward(L.dDropDense(work, k), work + L.H_DROP, x, mask, x);
}

function ism<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  seq: usize,
  batch: bool,
  out: usize,
  work: usize,
  rng: usize,
): void {
  const R = 4 * L.seqLen(desc);
  const dropping = rng != 0 && L.hasDropout(desc);
  setup<T>(desc, hyper, work, R, batch, true, dropping ? L.DROP_SHARED : L.DROP_OFF);
  if (dropping) drawMasks<T>(desc, work, rng, 1);
  const NL = L.convLayers(desc);
  for (let j = 0; j < NL; j++) {
    if (j > 0) I.keepWindows<T>(desc, work);
    I.convLayer<T>(desc, params, seq, work, j);
    I.normLayer<T>(desc, hyper, params, state, work, j, batch);
    if (dropping) dropWindows<T>(desc, work, j);
  }
  wildType<T>(desc, params, work);
  firstLinear<T>(desc, seq, work);
  const h1 = I.part<T>(desc, work, I.H1);
  const h2 = I.part<T>(desc, work, I.H2);
  const o = I.part<T>(desc, work, I.OUT);
  nn_activation_forward(L.dDenseRelu(work, 0), 0, h1, h1);
  if (dropping) denseDrop(desc, work, 0, h1);
  nn_linear_forward(L.dLin(work, 1), h1, params + at<T>(L.denseW(desc, 1)), params + at<T>(L.denseB(desc, 1)), h2);
  nn_activation_forward(L.dDenseRelu(work, 1), 0, h2, h2);
  if (dropping) denseDrop(desc, work, 1, h2);
  nn_linear_forward(L.dLin(work, 2), h2, params + at<T>(L.denseW(desc, 2)), params + at<T>(L.denseB(desc, 2)), o);
  memory.copy(out, o, at<T>(R * L.outputs(desc)));
}

/** Bytes of the workspace `deep_cnn_ism` takes (desc[8], the batch, may be 1: ISM uses none of the model's row buffers). */
export function deep_cnn_ism_work_size(desc: usize): f64 {
  return <f64>(isF32(desc) ? I.part<f32>(desc, 0, I.PARTS) : I.part<f64>(desc, 0, I.PARTS)) + 16;
}

/**
 * The 4L × O outputs of the saturation-mutagenesis batch of one sequence `seq` (L base codes): row
 * 4l + b has base b at position l. batchMode 1: BatchNorm on the 4L-row batch's statistics, the
 * running statistics updated once per layer as the naive pass would; 0: the running statistics.
 * With rng (not 0) and dropout layers, one MC-dropout pass: one mask per layer drawn from rng and
 * shared by the 4L rows (deep-cnn-dropout.ts). Equals `deep_cnn_predict` on the 4L rows (with the
 * same rng state) up to rounding.
 */
export function deep_cnn_ism(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  seq: usize,
  batchMode: i32,
  out: usize,
  work: usize,
  rng: usize,
): void {
  if (isF32(desc)) ism<f32>(desc, hyper, params, state, seq, batchMode != 0, out, work, rng);
  else ism<f64>(desc, hyper, params, state, seq, batchMode != 0, out, work, rng);
}
