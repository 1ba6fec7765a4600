// inv_repr's losses on the latents (see inv-repr.ts), on a batch of E b rows grouped by
// environment, with [V̂, Ŵ] split into the contiguous VH and WH the kernels read:
//   L_inv = (1/#pairs) Σ_{e<f} max(0, MMD²(Ŵ_e, Ŵ_f));
//   L_ind = 2 max(0, HSIC(V̂, Ŵ)) + Σ_e max(0, HSIC(V̂_e, Ŵ_e))   (pooled term twice, as coded);
//   L_ent = (1/E) Σ_e −log det(cov([V̂_e, Ŵ_e]) + eps I).
// The hinges never bind: the feature forms are squared norms (>= 0), with zero gradient at 0, so
// each kernel is called once with its gradient and its value clamped.
// see: invariance-mr §3.4 ("Losses per batch")

import { at } from "../nn/desc";
import { nn_hsic_feat_loss, nn_mmd2_feat_loss } from "../nn/kernel-feature";
import { nn_logdet_loss } from "../nn/logdet";
import * as L from "./inv-repr-layout";

/** Splits LAT (n x q) into the contiguous VH (n x p̂_V) and WH (n x p̂_W). */
export function split<T>(desc: usize, work: usize, n: i32): void {
  const q = L.latents(desc);
  const v = L.pv(desc);
  const lat = L.buffer(work, L.LAT);
  const vh = L.buffer(work, L.VH);
  const wh = L.buffer(work, L.WH);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < q; j++) {
      const x = load<T>(lat + at<T>(r * q + j));
      if (j < v) store<T>(vh + at<T>(r * v + j), x);
      else store<T>(wh + at<T>(r * (q - v) + j - v), x);
    }
  }
}

/** DLAT += [DVH, DWH], column-wise. */
export function merge<T>(desc: usize, work: usize, n: i32): void {
  const q = L.latents(desc);
  const v = L.pv(desc);
  const dlat = L.buffer(work, L.DLAT);
  const dvh = L.buffer(work, L.DVH);
  const dwh = L.buffer(work, L.DWH);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < q; j++) {
      const g = j < v ? load<T>(dvh + at<T>(r * v + j)) : load<T>(dwh + at<T>(r * (q - v) + j - v));
      const p = dlat + at<T>(r * q + j);
      store<T>(p, load<T>(p) + g);
    }
  }
}

/**
 * λ1 L_inv + λ2 L_ind + λ4 L_ent of the latents in LAT (split into VH, WH first); with `back`, ADDS
 * their gradients to DVH, DWH (kernels) and DLAT (log-det). Writes L_inv, L_ind, L_ent to
 * terms[1 ... 3] when terms is not 0. Hyper: [0] λ1, [1] λ2, [2] λ4.
 */
export function latentLosses<T>(desc: usize, hyper: usize, work: usize, back: bool, terms: usize): f64 {
  const b = L.items(desc);
  const E = L.envs(desc);
  const q = L.latents(desc);
  const pvn = L.pv(desc);
  const pwn = L.pw(desc);
  const kw = L.buffer(work, L.KWORK);
  const kh = work + L.H_KERNEL;
  const l1 = load<f64>(hyper);
  const l2 = load<f64>(hyper, 8);
  const l4 = load<f64>(hyper, 16);
  const vh = L.buffer(work, L.VH);
  const wh = L.buffer(work, L.WH);
  const dvh = back ? L.buffer(work, L.DVH) : 0;
  const dwh = back ? L.buffer(work, L.DWH) : 0;
  const pairs = <f64>((E * (E - 1)) / 2);
  const mmd = L.descAt(work, L.D_MMD);
  let inv: f64 = 0;
  for (let e = 0; e < E; e++) {
    for (let f = e + 1; f < E; f++) {
      const oe = at<T>(e * b * pwn);
      const off = at<T>(f * b * pwn);
      const gx = back ? dwh + oe : 0;
      const gy = back ? dwh + off : 0;
      inv += max<f64>(0, nn_mmd2_feat_loss(mmd, kh, wh + oe, wh + off, gx, gy, kw, l1 / pairs)) / pairs;
    }
  }
  let ind = 2 * max<f64>(0, nn_hsic_feat_loss(L.descAt(work, L.D_HSIC), kh, vh, wh, dvh, dwh, kw, 2 * l2));
  for (let e = 0; e < E; e++) {
    const ov = at<T>(e * b * pvn);
    const ow = at<T>(e * b * pwn);
    const gx = back ? dvh + ov : 0;
    const gy = back ? dwh + ow : 0;
    ind += max<f64>(0, nn_hsic_feat_loss(L.descAt(work, L.D_HSIC_E), kh, vh + ov, wh + ow, gx, gy, kw, l2));
  }
  let ent: f64 = 0;
  const lat = L.buffer(work, L.LAT);
  const dlat = L.buffer(work, L.DLAT);
  const logdet = L.descAt(work, L.D_LOGDET);
  for (let e = 0; e < E; e++) {
    const off = at<T>(e * b * q);
    const grad = back ? dlat + off : 0;
    ent -= nn_logdet_loss(logdet, work + L.H_LOGDET, lat + off, grad, kw, -l4 / <f64>E) / <f64>E;
  }
  if (terms != 0) {
    store<f64>(terms, inv, 8);
    store<f64>(terms, ind, 16);
    store<f64>(terms, ent, 24);
  }
  return l1 * inv + l2 * ind + l4 * ent;
}
