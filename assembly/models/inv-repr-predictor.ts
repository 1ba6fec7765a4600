// inv_repr's relatedness loss (see inv-repr.ts), with the predictor (desc[10] = 1) only:
//   pred(Ŵ) = Linear(p̂_W→1)(tanh(Linear(p̂_W→p̂_W)(Ŵ)));  L_rel = mean over rows (pred(Ŵ) − X)²,
// X the exposure of each batch row (XB, gathered through the batch's index like Z).
// Backward ADDS λ3 ∂L_rel/∂Ŵ into DWH (folded into DLAT with the kernels' gradients) and into the
// predictor's parameter gradients.
// see: invariance-mr §3.4 ("Networks", "Losses per batch")

import { nn_activation_backward, nn_activation_forward } from "../nn/activation";
import { nn_mse_loss } from "../nn/loss";
import { linearBackward, linearForward } from "./inv-repr-decoder";
import * as L from "./inv-repr-layout";

/** L_rel of the n rows in WH and XB; with `back`, adds the gradient of λ3 L_rel (λ3 = hyper[6]). */
export function relatedness<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  work: usize,
  n: i32,
  back: bool,
): f64 {
  const l3 = load<f64>(hyper, 48);
  const tanh = L.descAt(work, L.D_TANH);
  const ph = L.buffer(work, L.PH);
  linearForward<T>(desc, params, work, L.D_PRED1, L.WH, L.P_WP1, L.P_BP1, L.PH);
  nn_activation_forward(tanh, 0, ph, ph);
  linearForward<T>(desc, params, work, L.D_PRED2, L.PH, L.P_WP2, L.P_BP2, L.PO);
  if (back) {
    L.zero<T>(n, L.buffer(work, L.DPO));
    L.zero<T>(n * L.pw(desc), L.buffer(work, L.DPH));
    L.zero<T>(n * L.pw(desc), L.buffer(work, L.DPA));
  }
  const rel = nn_mse_loss(
    L.descAt(work, L.D_MSE_X),
    L.buffer(work, L.PO),
    L.buffer(work, L.XB),
    back ? L.buffer(work, L.DPO) : 0,
    l3,
  );
  if (!back) return rel;
  linearBackward<T>(desc, params, grads, work, L.D_PRED2, L.PH, L.P_WP2, L.P_BP2, L.DPO, L.DPH);
  nn_activation_backward(tanh, 0, ph, ph, L.buffer(work, L.DPH), L.buffer(work, L.DPA));
  linearBackward<T>(desc, params, grads, work, L.D_PRED1, L.WH, L.P_WP1, L.P_BP1, L.DPA, L.DWH);
  return rel;
}
