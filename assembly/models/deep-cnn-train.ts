// The Deep MR CNN's entry points (deep-cnn.ts; desc and the workspace in deep-cnn-layout.ts): the
// loss of one batch with its gradient (tests), one epoch of AMSGrad steps in one call, the
// validation loss, and predictions. One export each, dispatching on desc[0].
// Buffers: params, grads, m, v, vmax (paramCount T each); state, the running statistics (stateCount
// T); codes, N × L base codes (u8, 0..3); y, N × O targets of T; index, i32 row numbers into codes
// and y (0: rows 0 ... n). Hyper (f64): [0] BatchNorm eps, [1] momentum, [2] dropout p (read only
// with dropout layers, desc[9]). rng: a PCG64 state (assembly/pcg64.ts) the dropout masks are drawn
// from (deep-cnn-dropout.ts), or 0 for none: training draws a mask per row, prediction one shared
// mask per layer for the whole call (MC dropout). adam: nn/optim's block
// ([0] lr, [1] beta1, [2] beta2, [3] eps, [4] weight decay, [5] t, advanced here by one per batch).
// A call's rows go through in batches of desc[8] = B rows, the last one smaller.
// see: deep-mr §4 (training, validation) and §5.1 (BatchNorm at prediction)

import { at, isF32 } from "../nn/desc";
import { nn_amsgrad_step } from "../nn/optim";
import { forward, lossAndGrad, setup } from "./deep-cnn";
import { drawMasks } from "./deep-cnn-dropout";
import * as L from "./deep-cnn-layout";

function epoch<T>(
  desc: usize,
  hyper: usize,
  adam: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  vmax: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
  rng: usize,
): f64 {
  const B = L.batchRows(desc);
  L.zero<T>(L.paramCount(desc), grads);
  let total: f64 = 0;
  let batches = 0;
  for (let s = 0; s < n; s += B) {
    const rows = min(B, n - s);
    const idx = index + ((<usize>s) << 2);
    total += lossAndGrad<T>(desc, hyper, params, grads, state, codes, y, idx, rows, work, true, true, rng);
    store<f64>(adam, load<f64>(adam, 40) + 1, 40);
    nn_amsgrad_step(L.dAdam(work), adam, params, grads, m, v, vmax);
    batches++;
  }
  return total / <f64>batches;
}

function evalLoss<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
): f64 {
  const B = L.batchRows(desc);
  let total: f64 = 0;
  let batches = 0;
  for (let s = 0; s < n; s += B) {
    const idx: usize = index == 0 ? 0 : index + ((<usize>s) << 2);
    const ys = index == 0 ? y + at<T>(s * L.outputs(desc)) : y;
    const cs = index == 0 ? codes + <usize>s * <usize>L.seqLen(desc) : codes;
    total += lossAndGrad<T>(desc, hyper, params, 0, state, cs, ys, idx, min(B, n - s), work, false);
    batches++;
  }
  return total / <f64>batches;
}

function predict<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  codes: usize,
  index: usize,
  n: i32,
  batchMode: bool,
  out: usize,
  work: usize,
  rng: usize,
): void {
  const B = L.batchRows(desc);
  const O = L.outputs(desc);
  const dropping = rng != 0 && L.hasDropout(desc);
  for (let s = 0; s < n; s += B) {
    const rows = min(B, n - s);
    const idx: usize = index == 0 ? 0 : index + ((<usize>s) << 2);
    const cs = index == 0 ? codes + <usize>s * <usize>L.seqLen(desc) : codes;
    setup<T>(desc, hyper, work, rows, batchMode, true, dropping ? L.DROP_SHARED : L.DROP_OFF);
    if (dropping && s == 0) drawMasks<T>(desc, work, rng, 1);
    forward<T>(desc, params, state, cs, idx, rows, work);
    const o = L.buffer(work, L.OUT);
    for (let k = 0; k < rows * O; k++) store<T>(out + at<T>(s * O + k), load<T>(o + at<T>(k)));
  }
}

/** Number of parameters. */
export function deep_cnn_param_count(desc: usize): i32 {
  return L.paramCount(desc);
}

/** Number of running statistics (a mean and a variance per filter per convolution). */
export function deep_cnn_state_count(desc: usize): i32 {
  return L.stateCount(desc);
}

/** Bytes of the workspace every entry point takes. */
export function deep_cnn_work_size(desc: usize): f64 {
  return isF32(desc) ? L.workBytes<f32>(desc) : L.workBytes<f64>(desc);
}

/**
 * The MSE of n ≤ B rows with BatchNorm in train mode (train = 1: batch statistics, running statistics
 * updated) or eval mode (0); with grads (not 0) its gradient is WRITTEN to grads.
 */
function lossExport(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
  train: i32,
  simd: bool,
  rng: usize,
): f64 {
  if (isF32(desc)) {
    if (grads != 0) L.zero<f32>(L.paramCount(desc), grads);
    return lossAndGrad<f32>(desc, hyper, params, grads, state, codes, y, index, n, work, train != 0, simd, rng);
  }
  if (grads != 0) L.zero<f64>(L.paramCount(desc), grads);
  return lossAndGrad<f64>(desc, hyper, params, grads, state, codes, y, index, n, work, train != 0, simd, rng);
}

/**
 * The MSE of n ≤ B rows with BatchNorm in train mode (train = 1: batch statistics, running statistics
 * updated) or eval mode (0); with grads (not 0) its gradient is WRITTEN to grads; with rng (not 0)
 * and dropout layers, training dropout (a mask per row, drawn from rng).
 */
export function deep_cnn_loss(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
  train: i32,
  rng: usize,
): f64 {
  return lossExport(desc, hyper, params, grads, state, codes, y, index, n, work, train, true, rng);
}

/** Scalar twin of `deep_cnn_loss` (this model's own convolution kernels without SIMD). */
export function deep_cnn_loss_scalar(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
  train: i32,
  rng: usize,
): f64 {
  return lossExport(desc, hyper, params, grads, state, codes, y, index, n, work, train, false, rng);
}

/**
 * One epoch over the n rows of `index`, in batches of B in that order (the last one smaller): per
 * batch the train-mode loss, its gradient and one AMSGrad step (adam[5] += 1 first). Returns the
 * mean of the batch losses. With rng (not 0) and dropout layers: training dropout, a mask per row.
 */
export function deep_cnn_train_epoch(
  desc: usize,
  hyper: usize,
  adam: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  vmax: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
  rng: usize,
): f64 {
  if (isF32(desc))
    return epoch<f32>(desc, hyper, adam, params, grads, m, v, vmax, state, codes, y, index, n, work, rng);
  return epoch<f64>(desc, hyper, adam, params, grads, m, v, vmax, state, codes, y, index, n, work, rng);
}

/** The unweighted mean over batches of B rows of the batch MSEs, BatchNorm in eval mode (deep-mr §4's validation loss). */
export function deep_cnn_eval_loss(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
): f64 {
  if (isF32(desc)) return evalLoss<f32>(desc, hyper, params, state, codes, y, index, n, work);
  return evalLoss<f64>(desc, hyper, params, state, codes, y, index, n, work);
}

/**
 * The n × O outputs of n rows, in batches of B. batchMode 1: BatchNorm uses each batch's own
 * statistics and updates the running ones (the authors' models, never switched to eval: deep-mr
 * §5.1); 0: the running statistics. With rng (not 0) and dropout layers: MC dropout, one mask per
 * layer drawn from rng and shared by all n rows.
 */
export function deep_cnn_predict(
  desc: usize,
  hyper: usize,
  params: usize,
  state: usize,
  codes: usize,
  index: usize,
  n: i32,
  batchMode: i32,
  out: usize,
  work: usize,
  rng: usize,
): void {
  if (isF32(desc)) predict<f32>(desc, hyper, params, state, codes, index, n, batchMode != 0, out, work, rng);
  else predict<f64>(desc, hyper, params, state, codes, index, n, batchMode != 0, out, work, rng);
}
