// inv_repr's decoders (see inv-repr.ts), from the latents LAT to the reconstruction REC:
//   polynomial (desc[9] = 0): features of the q latents up to the decoder degree (constant
//     included) → Linear(F→dz);
//   MLP (desc[9] = 1, the study's `invmlp` mixing): Linear(q→h) → ReLU → Linear(h→h) → ReLU →
//     Linear(h→dz), h the encoder's width.
// Backward reads DREC and ADDS into DLAT and the decoder's parameter gradients. The MLP's backward
// borrows the encoder's B x h gradient buffers DN and DL: the encoder's backward runs after it and
// zeroes them before use.
// see: invariance-mr §3.4 ("Networks"); llm.c for the hand-composed forward / backward

import { nn_activation_backward, nn_activation_forward } from "../nn/activation";
import { nn_linear_backward, nn_linear_forward } from "../nn/linear";
import { nn_polynomial_backward, nn_polynomial_forward } from "../nn/polynomial";
import * as L from "./inv-repr-layout";

/** REC = dec(LAT) for the rows `setup` was called with. */
export function decodeForward<T>(desc: usize, params: usize, work: usize): void {
  if (!L.mlpDecoder(desc)) {
    nn_polynomial_forward(L.descAt(work, L.D_POLY), L.buffer(work, L.LAT), L.buffer(work, L.PF));
    linearForward<T>(desc, params, work, L.D_DEC, L.PF, L.P_WD, L.P_BD, L.REC);
    return;
  }
  const relu = L.descAt(work, L.D_RELU);
  linearForward<T>(desc, params, work, L.D_DEC1, L.LAT, L.P_WD1, L.P_BD1, L.H1);
  nn_activation_forward(relu, 0, L.buffer(work, L.H1), L.buffer(work, L.H1));
  linearForward<T>(desc, params, work, L.D_DEC2, L.H1, L.P_WD2, L.P_BD2, L.H2);
  nn_activation_forward(relu, 0, L.buffer(work, L.H2), L.buffer(work, L.H2));
  linearForward<T>(desc, params, work, L.D_DEC3, L.H2, L.P_WD3, L.P_BD3, L.REC);
}

/** From DREC into DLAT (added) and the decoder's parameter gradients, for n rows. */
export function decodeBackward<T>(desc: usize, params: usize, grads: usize, work: usize, n: i32): void {
  if (!L.mlpDecoder(desc)) {
    L.zero<T>(n * L.decFeatures(desc), L.buffer(work, L.DPF));
    linearBackward<T>(desc, params, grads, work, L.D_DEC, L.PF, L.P_WD, L.P_BD, L.DREC, L.DPF);
    nn_polynomial_backward(
      L.descAt(work, L.D_POLY),
      L.buffer(work, L.LAT),
      L.buffer(work, L.PF),
      L.buffer(work, L.DPF),
      L.buffer(work, L.DLAT),
      L.buffer(work, L.PWORK),
    );
    return;
  }
  const nh = n * L.width(desc);
  L.zero<T>(nh, L.buffer(work, L.DN));
  linearBackward<T>(desc, params, grads, work, L.D_DEC3, L.H2, L.P_WD3, L.P_BD3, L.DREC, L.DN);
  reluBackward<T>(work, nh, L.H2);
  L.zero<T>(nh, L.buffer(work, L.DN));
  linearBackward<T>(desc, params, grads, work, L.D_DEC2, L.H1, L.P_WD2, L.P_BD2, L.DL, L.DN);
  reluBackward<T>(work, nh, L.H1);
  linearBackward<T>(desc, params, grads, work, L.D_DEC1, L.LAT, L.P_WD1, L.P_BD1, L.DL, L.DLAT);
}

/** DL = DN * ReLU'(the ReLU output in buffer `out`) (DL zeroed first). */
function reluBackward<T>(work: usize, len: i32, out: i32): void {
  L.zero<T>(len, L.buffer(work, L.DL));
  const y = L.buffer(work, out);
  nn_activation_backward(L.descAt(work, L.D_RELU), 0, y, y, L.buffer(work, L.DN), L.buffer(work, L.DL));
}

/** Buffer `out` = Linear (descriptor d, parameter blocks pw, pb) of buffer `inp`. */
export function linearForward<T>(
  desc: usize,
  params: usize,
  work: usize,
  d: i32,
  inp: i32,
  pw: i32,
  pb: i32,
  out: i32,
): void {
  nn_linear_forward(
    L.descAt(work, d),
    L.buffer(work, inp),
    L.paramAt<T>(desc, params, pw),
    L.paramAt<T>(desc, params, pb),
    L.buffer(work, out),
  );
}

/** The Linear's backward: buffer dIn (added), and the gradients of blocks pw, pb, from buffer dOut. */
export function linearBackward<T>(
  desc: usize,
  params: usize,
  grads: usize,
  work: usize,
  d: i32,
  inp: i32,
  pw: i32,
  pb: i32,
  dOut: i32,
  dIn: i32,
): void {
  nn_linear_backward(
    L.descAt(work, d),
    L.buffer(work, inp),
    L.paramAt<T>(desc, params, pw),
    L.buffer(work, dOut),
    L.buffer(work, dIn),
    L.paramAt<T>(desc, grads, pw),
    L.paramAt<T>(desc, grads, pb),
  );
}
