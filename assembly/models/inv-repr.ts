// inv_repr's network and loss (invariance-mr §3.4), composed from assembly/nn layers:
//   encoder: Linear(dz→h) → LayerNorm → ReLU → Linear(h→h) → LayerNorm → ReLU → Linear(h→q);
//     latents [V̂, Ŵ] = the first p̂_V and the next p̂_W outputs;
//   decoder: polynomial features of the q latents (constant included) → Linear(F→dz), or an MLP
//     (inv-repr-decoder.ts);
//   predictor (with λ3 > 0 only): Linear(p̂_W→p̂_W) → tanh → Linear(p̂_W→1) on Ŵ (inv-repr-predictor.ts);
//   on a batch of E b rows grouped by environment (b per environment):
//   L_rec = mean (dec(enc(Z)) − Z)²;  L_inv = (1/#pairs) Σ_{e<f} max(0, MMD²(Ŵ_e, Ŵ_f));
//   L_ind = 2 max(0, HSIC(V̂, Ŵ)) + Σ_e max(0, HSIC(V̂_e, Ŵ_e));
//   L_rel = mean (pred(Ŵ) − X)²;  L_ent = (1/E) Σ_e −log det(cov([V̂_e, Ŵ_e]) + eps I);
//   loss = L_rec + λ1 L_inv + λ2 L_ind + λ3 L_rel + λ4 L_ent.
// MMD² (V-statistic) and HSIC (divisor n) are the polynomial kernel's exact feature form
// (nn/kernel-feature.ts). Backward ADDS into the parameter gradients (the caller zeroes them).
// see: invariance-mr §3.4; encoder.ts for the composition pattern

import { nn_activation_backward, nn_activation_forward } from "../nn/activation";
import { isF32 } from "../nn/desc";
import { nn_layernorm_backward, nn_layernorm_forward } from "../nn/layernorm";
import { nn_linear_backward, nn_linear_forward } from "../nn/linear";
import { nn_mse_loss } from "../nn/loss";
import { decodeBackward, decodeForward } from "./inv-repr-decoder";
import { latentLosses, merge, split } from "./inv-repr-latent";
import * as L from "./inv-repr-layout";
import { relatedness } from "./inv-repr-predictor";

function writeDesc(work: usize, k: i32, dtype: i32, a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32): void {
  const p = L.descAt(work, k);
  store<i32>(p, dtype);
  store<i32>(p, a, 4);
  store<i32>(p, b, 8);
  store<i32>(p, c, 12);
  store<i32>(p, d, 16);
  store<i32>(p, e, 20);
  store<i32>(p, f, 24);
  store<i32>(p, g, 28);
  store<i32>(p, 0, 32);
}

/** Writes the nn kernels' descriptors for `n` rows, the hyper blocks and the buffer table (once per entry call). */
export function setup<T>(desc: usize, hyper: usize, work: usize, n: i32): void {
  const t: i32 = isF32(desc) ? 1 : 0;
  const h = L.width(desc);
  const q = L.latents(desc);
  const F = L.decFeatures(desc);
  const kd = L.kernelDegree(desc);
  writeDesc(work, L.D_LIN1, t, n, L.dz(desc), h, 1, 0, 0, 0);
  writeDesc(work, L.D_LN, t, n, h, 1, 0, 0, 0, 0);
  writeDesc(work, L.D_RELU, t, n, h, 0, 0, 0, 0, 0);
  writeDesc(work, L.D_LIN2, t, n, h, h, 1, 0, 0, 0);
  writeDesc(work, L.D_LIN3, t, n, h, q, 1, 0, 0, 0);
  writeDesc(work, L.D_POLY, t, n, q, L.decDegree(desc), 1, 0, 0, 0);
  writeDesc(work, L.D_DEC, t, n, F, L.dz(desc), 1, 0, 0, 0);
  writeDesc(work, L.D_MSE, t, n * L.dz(desc), 0, 0, 0, 0, 0, 0);
  const b = L.items(desc);
  writeDesc(work, L.D_MMD, t, b, b, L.pw(desc), 0, kd, 0, 0);
  writeDesc(work, L.D_HSIC, t, n, L.pv(desc), L.pw(desc), 0, kd, 0, 1);
  writeDesc(work, L.D_HSIC_E, t, b, L.pv(desc), L.pw(desc), 0, kd, 0, 1);
  writeDesc(work, L.D_LOGDET, t, b, q, 0, 0, 0, 0, 0);
  writeDesc(work, L.D_ADAMW, t, L.paramCount(desc), 0, 0, 0, 0, 0, 0);
  writeDesc(work, L.D_DEC1, t, n, q, h, 1, 0, 0, 0);
  writeDesc(work, L.D_DEC2, t, n, h, h, 1, 0, 0, 0);
  writeDesc(work, L.D_DEC3, t, n, h, L.dz(desc), 1, 0, 0, 0);
  writeDesc(work, L.D_PRED1, t, n, L.pw(desc), L.pw(desc), 1, 0, 0, 0);
  writeDesc(work, L.D_TANH, t, n, L.pw(desc), 2, 0, 0, 0, 0);
  writeDesc(work, L.D_PRED2, t, n, L.pw(desc), 1, 1, 0, 0, 0);
  writeDesc(work, L.D_MSE_X, t, n, 0, 0, 0, 0, 0, 0);
  store<f64>(work + L.H_LN, load<f64>(hyper, 8 * H_LN_EPS));
  store<f64>(work + L.H_CLIP, load<f64>(hyper, 8 * H_CLIP_NORM));
  store<f64>(work + L.H_KERNEL, load<f64>(hyper, 8 * H_C));
  store<f64>(work + L.H_LOGDET, load<f64>(hyper, 8 * H_LOGDET_EPS));
  L.writeTable<T>(desc, work);
}

// Model hyper (f64): [0] λ1, [1] λ2, [2] λ4 (read by inv-repr-latent.ts), [3] kernel c, [4] log-det
// eps, [5] LayerNorm eps, [6] λ3 (read by inv-repr-predictor.ts), [7] the gradient's largest global
// L2 norm (0: no clipping; read by inv-repr-train.ts through H_CLIP).
const H_C = 3;
const H_LOGDET_EPS = 4;
const H_LN_EPS = 5;
const H_CLIP_NORM = 7;

function param<T>(desc: usize, params: usize, k: i32): usize {
  return L.paramAt<T>(desc, params, k);
}

/** The encoder on the rows in ZB: LAT, and the activations backward needs. */
export function encode<T>(desc: usize, params: usize, work: usize): void {
  const ln = work + L.H_LN;
  const relu = L.descAt(work, L.D_RELU);
  nn_linear_forward(
    L.descAt(work, L.D_LIN1),
    L.buffer(work, L.ZB),
    param<T>(desc, params, L.P_W1),
    param<T>(desc, params, L.P_B1),
    L.buffer(work, L.A1),
  );
  nn_layernorm_forward(
    L.descAt(work, L.D_LN),
    ln,
    L.buffer(work, L.A1),
    param<T>(desc, params, L.P_G1),
    param<T>(desc, params, L.P_E1),
    L.buffer(work, L.C1),
    L.buffer(work, L.N1),
  );
  nn_activation_forward(relu, 0, L.buffer(work, L.N1), L.buffer(work, L.N1));
  nn_linear_forward(
    L.descAt(work, L.D_LIN2),
    L.buffer(work, L.N1),
    param<T>(desc, params, L.P_W2),
    param<T>(desc, params, L.P_B2),
    L.buffer(work, L.A2),
  );
  nn_layernorm_forward(
    L.descAt(work, L.D_LN),
    ln,
    L.buffer(work, L.A2),
    param<T>(desc, params, L.P_G2),
    param<T>(desc, params, L.P_E2),
    L.buffer(work, L.C2),
    L.buffer(work, L.N2),
  );
  nn_activation_forward(relu, 0, L.buffer(work, L.N2), L.buffer(work, L.N2));
  nn_linear_forward(
    L.descAt(work, L.D_LIN3),
    L.buffer(work, L.N2),
    param<T>(desc, params, L.P_W3),
    param<T>(desc, params, L.P_B3),
    L.buffer(work, L.LAT),
  );
}

/**
 * The batch loss of the E b rows in ZB (and XB, with the predictor), its terms written to `terms`
 * (f64: [0] L_rec, [1] L_inv, [2] L_ind, [3] L_ent, [4] L_rel, 0 without the predictor) when not 0;
 * with `grads`, ADDS the loss's gradient to grads.
 */
export function lossAndGrad<T>(desc: usize, hyper: usize, params: usize, grads: usize, work: usize, terms: usize): f64 {
  const n = L.rows(desc);
  const q = L.latents(desc);
  const dzn = L.dz(desc);
  const back = grads != 0;
  encode<T>(desc, params, work);
  split<T>(desc, work, n);
  decodeForward<T>(desc, params, work);
  if (back) {
    L.zero<T>(n * dzn, L.buffer(work, L.DREC));
    L.zero<T>(n * L.pv(desc), L.buffer(work, L.DVH));
    L.zero<T>(n * L.pw(desc), L.buffer(work, L.DWH));
    L.zero<T>(n * q, L.buffer(work, L.DLAT));
  }
  const rec = nn_mse_loss(
    L.descAt(work, L.D_MSE),
    L.buffer(work, L.REC),
    L.buffer(work, L.ZB),
    back ? L.buffer(work, L.DREC) : 0,
    1,
  );
  let total = rec + latentLosses<T>(desc, hyper, work, back, terms);
  let rel: f64 = 0;
  if (L.predictor(desc)) {
    rel = relatedness<T>(desc, hyper, params, grads, work, n, back);
    total += load<f64>(hyper, 48) * rel;
  }
  if (terms != 0) {
    store<f64>(terms, rec);
    store<f64>(terms, rel, 32);
  }
  if (back) backward<T>(desc, params, grads, work, n);
  return total;
}

/** Backward from DREC (decoder) and DVH, DWH, DLAT (latent losses) through decoder and encoder into grads. */
function backward<T>(desc: usize, params: usize, grads: usize, work: usize, n: i32): void {
  const h = L.width(desc);
  decodeBackward<T>(desc, params, grads, work, n);
  merge<T>(desc, work, n);
  L.zero<T>(n * h, L.buffer(work, L.DN));
  nn_linear_backward(
    L.descAt(work, L.D_LIN3),
    L.buffer(work, L.N2),
    param<T>(desc, params, L.P_W3),
    L.buffer(work, L.DLAT),
    L.buffer(work, L.DN),
    param<T>(desc, grads, L.P_W3),
    param<T>(desc, grads, L.P_B3),
  );
  blockBackward<T>(desc, params, grads, work, n, L.A2, L.N2, L.C2, L.P_G2, L.P_E2);
  L.zero<T>(n * h, L.buffer(work, L.DN));
  nn_linear_backward(
    L.descAt(work, L.D_LIN2),
    L.buffer(work, L.N1),
    param<T>(desc, params, L.P_W2),
    L.buffer(work, L.DA),
    L.buffer(work, L.DN),
    param<T>(desc, grads, L.P_W2),
    param<T>(desc, grads, L.P_B2),
  );
  blockBackward<T>(desc, params, grads, work, n, L.A1, L.N1, L.C1, L.P_G1, L.P_E1);
  nn_linear_backward(
    L.descAt(work, L.D_LIN1),
    L.buffer(work, L.ZB),
    param<T>(desc, params, L.P_W1),
    L.buffer(work, L.DA),
    0,
    param<T>(desc, grads, L.P_W1),
    param<T>(desc, grads, L.P_B1),
  );
}

/** DN (d / d ReLU output) → DL → DA (d / d the Linear output before the LayerNorm), for one block. */
function blockBackward<T>(
  desc: usize,
  params: usize,
  grads: usize,
  work: usize,
  n: i32,
  a: i32,
  nrm: i32,
  cache: i32,
  g: i32,
  e: i32,
): void {
  const h = L.width(desc);
  L.zero<T>(n * h, L.buffer(work, L.DL));
  nn_activation_backward(
    L.descAt(work, L.D_RELU),
    0,
    L.buffer(work, nrm),
    L.buffer(work, nrm),
    L.buffer(work, L.DN),
    L.buffer(work, L.DL),
  );
  L.zero<T>(n * h, L.buffer(work, L.DA));
  nn_layernorm_backward(
    L.descAt(work, L.D_LN),
    L.buffer(work, a),
    param<T>(desc, params, g),
    L.buffer(work, cache),
    L.buffer(work, L.DL),
    L.buffer(work, L.DA),
    param<T>(desc, grads, g),
    param<T>(desc, grads, e),
  );
}
