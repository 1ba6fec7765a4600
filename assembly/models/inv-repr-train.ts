// inv_repr's entry points (see inv-repr.ts; desc and the workspace in inv-repr-layout.ts): the
// batch loss with its gradient (tests, validation), one epoch of AdamW steps in one call, and the
// latents of any rows. One export each, dispatching on desc[0].
// Z is N x dz row-major of T. A batch is E b row indices (i32) into Z, grouped by environment
// (b per environment, environment 0 first); an epoch's `index` holds `batches` such batches.
// Hyper (f64): the model's ([0] λ1, [1] λ2, [2] λ4, [3] kernel c, [4] log-det eps, [5] LayerNorm
// eps) at `hyper`; nn/optim's AdamW block at `adam` ([0] lr ... [4] weight decay, [5] t, advanced
// here by one per batch).

import { at, isF32 } from "../nn/desc";
import { nn_adamw_step } from "../nn/optim";
import { encode, lossAndGrad, setup } from "./inv-repr";
import * as L from "./inv-repr-layout";

/** Copies rows index[0 ... n) of z into ZB. */
function gather<T>(desc: usize, work: usize, z: usize, index: usize, n: i32): void {
  const d = L.dz(desc);
  const zb = L.buffer(work, L.ZB);
  for (let r = 0; r < n; r++) {
    const i = load<i32>(index + ((<usize>r) << 2));
    for (let j = 0; j < d; j++) store<T>(zb + at<T>(r * d + j), load<T>(z + at<T>(i * d + j)));
  }
}

function batchLoss<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  z: usize,
  index: usize,
  work: usize,
  terms: usize,
): f64 {
  setup<T>(desc, hyper, work, L.rows(desc));
  gather<T>(desc, work, z, index, L.rows(desc));
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
  index: usize,
  batches: i32,
  work: usize,
  terms: usize,
): f64 {
  setup<T>(desc, hyper, work, L.rows(desc));
  const n = L.rows(desc);
  L.zero<T>(L.paramCount(desc), grads);
  let total: f64 = 0;
  for (let k = 0; k < 4; k++) store<f64>(terms + at<f64>(k), 0);
  for (let s = 0; s < batches; s++) {
    gather<T>(desc, work, z, index + ((<usize>(s * n)) << 2), n);
    total += lossAndGrad<T>(desc, hyper, params, grads, work, terms + 32);
    for (let k = 0; k < 4; k++)
      store<f64>(terms + at<f64>(k), load<f64>(terms + at<f64>(k)) + load<f64>(terms + at<f64>(4 + k)) / <f64>batches);
    store<f64>(adam, load<f64>(adam, 40) + 1, 40);
    nn_adamw_step(work + L.DESC_BYTES * <usize>L.D_ADAMW, adam, params, grads, m, v);
  }
  return total / <f64>batches;
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
 * The training loss of one batch (`index`: E b rows of z); with grads (not 0) its gradient is
 * WRITTEN to grads; the terms L_rec, L_inv, L_ind, L_ent go to `terms` (4 f64) when not 0.
 */
export function inv_repr_loss(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  z: usize,
  index: usize,
  work: usize,
  terms: usize,
): f64 {
  if (isF32(desc)) return batchLoss<f32>(desc, hyper, params, grads, z, index, work, terms);
  return batchLoss<f64>(desc, hyper, params, grads, z, index, work, terms);
}

/**
 * One epoch: per batch the loss's gradient and one AdamW step (adam[5] += 1 first). Returns the mean
 * batch loss; `terms` (8 f64: 4 results then 4 scratch) gets the mean of each term over the batches.
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
  index: usize,
  batches: i32,
  work: usize,
  terms: usize,
): f64 {
  if (isF32(desc)) return epoch<f32>(desc, hyper, adam, params, grads, m, v, z, index, batches, work, terms);
  return epoch<f64>(desc, hyper, adam, params, grads, m, v, z, index, batches, work, terms);
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
