// inv_repr's entry points (see inv-repr.ts; desc and the workspace in inv-repr-layout.ts): the
// batch loss with its gradient (tests, validation), one epoch of AdamW steps in one call, and the
// latents of any rows. One export each, dispatching on desc[0].
// Z is N x dz row-major of T; X (with the predictor only; else 0) the N exposures, of T. A batch is
// E b row indices (i32) into Z and X, grouped by environment (b per environment, environment 0
// first); an epoch's `index` holds `batches` such batches.
// Hyper (f64): the model's ([0] λ1, [1] λ2, [2] λ4, [3] kernel c, [4] log-det eps, [5] LayerNorm
// eps, [6] λ3, [7] clipping norm, 0 off) at `hyper`; nn/optim's AdamW block at `adam` ([0] lr ...
// [4] weight decay, [5] t, advanced here by one per batch).

import { at, isF32 } from "../nn/desc";
import { nn_adamw_step, nn_clip_grad_norm } from "../nn/optim";
import { encode, lossAndGrad, setup } from "./inv-repr";
import { decodeForward } from "./inv-repr-decoder";
import * as L from "./inv-repr-layout";

const TERMS = 5;

/** Copies rows index[0 ... n) of z into ZB, and of x into XB with the predictor. */
function gather<T>(desc: usize, work: usize, z: usize, x: usize, index: usize, n: i32): void {
  const d = L.dz(desc);
  const zb = L.buffer(work, L.ZB);
  const xb = L.buffer(work, L.XB);
  const withX = L.predictor(desc);
  for (let r = 0; r < n; r++) {
    const i = load<i32>(index + ((<usize>r) << 2));
    for (let j = 0; j < d; j++) store<T>(zb + at<T>(r * d + j), load<T>(z + at<T>(i * d + j)));
    if (withX) store<T>(xb + at<T>(r), load<T>(x + at<T>(i)));
  }
}

function batchLoss<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  z: usize,
  x: usize,
  index: usize,
  work: usize,
  terms: usize,
): f64 {
  setup<T>(desc, hyper, work, L.rows(desc));
  gather<T>(desc, work, z, x, index, L.rows(desc));
  if (grads != 0) L.zero<T>(L.paramCount(desc), grads);
  return lossAndGrad<T>(desc, hyper, params, grads, work, terms);
}

function epoch<T>(
  desc: usize,
  hyper: usize,
  adam: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  z: usize,
  x: usize,
  index: usize,
  batches: i32,
  work: usize,
  terms: usize,
): f64 {
  setup<T>(desc, hyper, work, L.rows(desc));
  const n = L.rows(desc);
  const opt = L.descAt(work, L.D_ADAMW);
  const clip = load<f64>(work + L.H_CLIP) > 0;
  L.zero<T>(L.paramCount(desc), grads);
  let total: f64 = 0;
  for (let k = 0; k < TERMS; k++) store<f64>(terms + at<f64>(k), 0);
  for (let s = 0; s < batches; s++) {
    gather<T>(desc, work, z, x, index + ((<usize>(s * n)) << 2), n);
    total += lossAndGrad<T>(desc, hyper, params, grads, work, terms + at<f64>(TERMS));
    for (let k = 0; k < TERMS; k++) {
      const p = terms + at<f64>(k);
      store<f64>(p, load<f64>(p) + load<f64>(terms + at<f64>(TERMS + k)) / <f64>batches);
    }
    // torch.nn.utils.clip_grad_norm_ between backward and the optimizer's step.
    if (clip) nn_clip_grad_norm(opt, work + L.H_CLIP, grads);
    store<f64>(adam, load<f64>(adam, 40) + 1, 40);
    nn_adamw_step(opt, adam, params, grads, m, v);
  }
  return total / <f64>batches;
}

/** Σ (dec(enc(z)) − z)² over the n rows of z (in chunks of E b rows), accumulated in f64. */
function recSse<T>(desc: usize, hyper: usize, params: usize, z: usize, n: i32, work: usize): f64 {
  const d = L.dz(desc);
  const cap = L.rows(desc);
  let sse: f64 = 0;
  for (let start = 0; start < n; start += cap) {
    const r = min(cap, n - start);
    setup<T>(desc, hyper, work, r);
    const zb = L.buffer(work, L.ZB);
    for (let k = 0; k < r * d; k++) store<T>(zb + at<T>(k), load<T>(z + at<T>(start * d + k)));
    encode<T>(desc, params, work);
    decodeForward<T>(desc, params, work);
    const rec = L.buffer(work, L.REC);
    for (let k = 0; k < r * d; k++) {
      const e = <f64>load<T>(rec + at<T>(k)) - <f64>load<T>(zb + at<T>(k));
      sse += e * e;
    }
  }
  return sse;
}

function encodeRows<T>(desc: usize, hyper: usize, params: usize, z: usize, n: i32, out: usize, work: usize): void {
  const d = L.dz(desc);
  const q = L.latents(desc);
  const cap = L.rows(desc);
  for (let start = 0; start < n; start += cap) {
    const r = min(cap, n - start);
    setup<T>(desc, hyper, work, r);
    const zb = L.buffer(work, L.ZB);
    for (let k = 0; k < r * d; k++) store<T>(zb + at<T>(k), load<T>(z + at<T>(start * d + k)));
    encode<T>(desc, params, work);
    const lat = L.buffer(work, L.LAT);
    for (let k = 0; k < r * q; k++) store<T>(out + at<T>(start * q + k), load<T>(lat + at<T>(k)));
  }
}

/** Number of parameters. */
export function inv_repr_param_count(desc: usize): i32 {
  return L.paramCount(desc);
}

/** Bytes of the workspace every entry point takes. */
export function inv_repr_work_size(desc: usize): f64 {
  return isF32(desc) ? L.workBytes<f32>(desc) : L.workBytes<f64>(desc);
}

/**
 * The training loss of one batch (`index`: E b rows of z, and of x with the predictor); with grads
 * (not 0) its gradient is WRITTEN to grads; the terms L_rec, L_inv, L_ind, L_ent, L_rel go to
 * `terms` (5 f64) when not 0.
 */
export function inv_repr_loss(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  z: usize,
  x: usize,
  index: usize,
  work: usize,
  terms: usize,
): f64 {
  if (isF32(desc)) return batchLoss<f32>(desc, hyper, params, grads, z, x, index, work, terms);
  return batchLoss<f64>(desc, hyper, params, grads, z, x, index, work, terms);
}

/**
 * One epoch: per batch the loss's gradient, clipped to global L2 norm hyper[7] when that is > 0
 * (the norm before clipping left in the workspace header), and one AdamW step (adam[5] += 1 first).
 * Returns the mean batch loss; `terms` (10 f64: 5 results then 5 scratch) gets the mean of each
 * term over the batches.
 */
export function inv_repr_train_epoch(
  desc: usize,
  hyper: usize,
  adam: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  z: usize,
  x: usize,
  index: usize,
  batches: i32,
  work: usize,
  terms: usize,
): f64 {
  if (isF32(desc)) return epoch<f32>(desc, hyper, adam, params, grads, m, v, z, x, index, batches, work, terms);
  return epoch<f64>(desc, hyper, adam, params, grads, m, v, z, x, index, batches, work, terms);
}

/** The q latents [V̂, Ŵ] (n x q) of the n rows of z (in chunks of E b rows). */
export function inv_repr_encode(
  desc: usize,
  hyper: usize,
  params: usize,
  z: usize,
  n: i32,
  out: usize,
  work: usize,
): void {
  if (isF32(desc)) encodeRows<f32>(desc, hyper, params, z, n, out, work);
  else encodeRows<f64>(desc, hyper, params, z, n, out, work);
}

/** Σ (dec(enc(z)) − z)² over the n rows of z: the reconstruction's sum of squared errors. */
export function inv_repr_rec_sse(desc: usize, hyper: usize, params: usize, z: usize, n: i32, work: usize): f64 {
  if (isF32(desc)) return recSse<f32>(desc, hyper, params, z, n, work);
  return recSse<f64>(desc, hyper, params, z, n, work);
}
