// The context encoder of contextualized regression, composed by hand from assembly/nn layers:
//   z_0 = c (P context inputs);  z_l = ReLU(W_l z_{l-1} + b_l), l = 1 ... hidden (width units);
//   o = W_out z_hidden + b_out;
//   naive: h = o = (theta_1 ... theta_K, mu);  archetypes: h = z A with z = o (K' weights) and A
//   (K' x (K + 1)) the archetypes, a bias-free linear map (A is stored as rows of archetypes);
//   prediction y_hat = sum_k theta_k x_k + mu (nn/varying.ts), loss the MSE.
// Shapes come from the descriptor and buffers from the workspace of encoder-layout.ts. The
// products are nn/matmul.ts's (the kernels nn/linear.ts is made of, used directly so that the
// descriptor's SIMD flag can select their scalar twins), ReLU is nn/activation.ts, the head
// nn/varying.ts. Backward ADDS into the parameter gradients (the caller zeroes them).
// The sums run in the order of the encoder this replaced (assembly/mlp.ts, deleted), bit for bit:
// per row in forward, per row in order into each gradient element, the archetype step factored as
// there.
// see: contextualized/regression (NaiveMetamodel, SubtypeMetamodel); llm.c train_gpt2.c

import { nn_activation_backward, nn_activation_forward } from "../nn/activation";
import { at, isF32 } from "../nn/desc";
import {
  gemmAcc,
  gemmAccScalar,
  matmulBackwardInput,
  matmulBackwardWeight,
  matmulForward,
  matmulForwardScalar,
} from "../nn/matmul";
import { nn_varying_backward, nn_varying_forward } from "../nn/varying";
import {
  ACT,
  archetypes,
  BUFFERS,
  buffer,
  bufferOffset,
  covariates,
  DACT,
  DOUT,
  DPRE,
  DY,
  H,
  hidden,
  inOf,
  OUT,
  outOf,
  outputs,
  PRED,
  paramCount,
  simd,
  TABLE,
  weightOffset,
  width,
  XB,
  XIN,
  zero,
} from "./encoder-layout";
import { rowBackward } from "./encoder-row";

/** Header descriptors: ReLU (dtype, rows, width, kind 0) at 0, the head (dtype, rows, K, mu last) at 16. */
const RELU_DESC: usize = 0;
const HEAD_DESC: usize = 16;
/** nn/optim's descriptor (dtype, parameter count) at 32. */
export const ADAM_DESC: usize = 32;

/** Writes the nn kernels' descriptors and the buffer table into the workspace header (once per entry call). */
export function setup<T>(desc: usize, work: usize): void {
  const dtype: i32 = isF32(desc) ? 1 : 0;
  store<i32>(work + RELU_DESC, dtype);
  store<i32>(work + RELU_DESC, width(desc), 8);
  store<i32>(work + RELU_DESC, 0, 12);
  store<i32>(work + HEAD_DESC, dtype);
  store<i32>(work + HEAD_DESC, covariates(desc), 8);
  store<i32>(work + HEAD_DESC, 1, 12);
  store<i32>(work + ADAM_DESC, dtype);
  store<i32>(work + ADAM_DESC, paramCount(desc), 4);
  for (let k = 0; k < BUFFERS; k++) store<usize>(work + TABLE + ((<usize>k) << 2), work + bufferOffset<T>(desc, k));
}

/** Sets the row count of the ReLU and head descriptors. */
export function setRows(work: usize, rows: i32): void {
  store<i32>(work + RELU_DESC, rows, 4);
  store<i32>(work + HEAD_DESC, rows, 4);
}

/** Rows 0 ... rows-1 of XIN and XB through the network: activations, outputs, h and PRED. */
export function forward<T>(desc: usize, params: usize, work: usize, rows: i32): void {
  const vec = simd(desc);
  let src = buffer(work, XIN);
  let act = buffer(work, ACT);
  const L = hidden(desc);
  let w = params;
  for (let l = 0; l <= L; l++) {
    const I = inOf(desc, l);
    const O = outOf(desc, l);
    const dst = l < L ? act : buffer(work, OUT);
    if (vec) matmulForward<T>(rows, I, O, src, w, w + at<T>(O * I), dst);
    else matmulForwardScalar<T>(rows, I, O, src, w, w + at<T>(O * I), dst);
    if (l < L) nn_activation_forward(work + RELU_DESC, 0, dst, dst);
    src = dst;
    act += at<T>(rows * O);
    w += at<T>(O * I + O);
  }
  const h = headInput(desc, work);
  const Kp = archetypes(desc);
  if (Kp > 0) {
    const N = covariates(desc) + 1;
    const a = w;
    zero<T>(rows * N, h);
    if (vec) gemmAcc<T>(rows, N, Kp, src, Kp, 1, a, h);
    else gemmAccScalar<T>(rows, N, Kp, src, Kp, 1, a, h);
  }
  nn_varying_forward(work + HEAD_DESC, h, buffer(work, XB), buffer(work, PRED));
}

/** h: the last Linear's output (naive) or the archetype mixture. */
function headInput(desc: usize, work: usize): usize {
  return buffer(work, archetypes(desc) > 0 ? H : OUT);
}

/**
 * d loss / d z and the archetypes' gradient, given dy: per row and archetype k,
 * dz_k = dy (sum_j A_kj x_j + A_kK) and dA_k += (dy z_k) (x, 1), the old encoder's factoring.
 */
function archetypeBackward<T>(desc: usize, params: usize, grads: usize, work: usize, rows: i32): void {
  const K = covariates(desc);
  const Kp = archetypes(desc);
  const offA = at<T>(weightOffset(desc, hidden(desc) + 1));
  const z = buffer(work, OUT);
  const dz = buffer(work, DOUT);
  const xb = buffer(work, XB);
  const dy = buffer(work, DY);
  for (let r = 0; r < rows; r++) {
    const g = load<T>(dy + at<T>(r));
    const xr = xb + at<T>(r * K);
    for (let k = 0; k < Kp; k++) {
      const a = params + offA + at<T>(k * (K + 1));
      const ga = grads + offA + at<T>(k * (K + 1));
      let e: T = <T>0;
      if (K > 0) e = load<T>(a) * load<T>(xr);
      for (let j = 1; j < K; j++) e += load<T>(a + at<T>(j)) * load<T>(xr + at<T>(j));
      store<T>(dz + at<T>(r * Kp + k), g * (e + load<T>(a + at<T>(K))));
      const gz = g * load<T>(z + at<T>(r * Kp + k));
      for (let j = 0; j < K; j++) store<T>(ga + at<T>(j), load<T>(ga + at<T>(j)) + gz * load<T>(xr + at<T>(j)));
      store<T>(ga + at<T>(K), load<T>(ga + at<T>(K)) + gz);
    }
  }
}

/** Adds d loss / d params to grads for rows 0 ... rows-1, given DY and the activations of `forward`. */
export function backward<T>(desc: usize, params: usize, grads: usize, work: usize, rows: i32): void {
  const vec = simd(desc);
  const dOut = buffer(work, DOUT);
  if (archetypes(desc) > 0) archetypeBackward<T>(desc, params, grads, work, rows);
  else {
    zero<T>(rows * outputs(desc), dOut);
    nn_varying_backward(work + HEAD_DESC, headInput(desc, work), buffer(work, XB), buffer(work, DY), dOut, 0);
  }
  if (rows == 1) {
    rowBackward<T>(desc, params, grads, work, dOut);
    return;
  }
  const L = hidden(desc);
  const size = at<T>(rows * width(desc));
  const act = buffer(work, ACT);
  const dAct = buffer(work, DACT);
  const dPre = buffer(work, DPRE);
  let d = dOut;
  let end = at<T>(weightOffset(desc, L + 1));
  for (let l = L; l >= 0; l--) {
    const I = inOf(desc, l);
    const O = outOf(desc, l);
    const wOff = end - at<T>(O * I + O);
    end = wOff;
    const inp = l > 0 ? act + <usize>(l - 1) * size : buffer(work, XIN);
    if (l > 0) {
      const dIn = dAct + <usize>(l - 1) * size;
      zero<T>(rows * I, dIn);
      matmulBackwardInput<T>(rows, I, O, d, params + wOff, dIn, vec);
    }
    matmulBackwardWeight<T>(rows, I, O, d, inp, grads + wOff, vec);
    biasBackward<T>(rows, O, d, grads + wOff + at<T>(O * I));
    if (l == 0) break;
    zero<T>(rows * width(desc), dPre);
    nn_activation_backward(work + RELU_DESC, 0, inp, inp, dAct + <usize>(l - 1) * size, dPre);
    d = dPre;
  }
}

/** dB += column sums of dOut (rows x O), row by row (nn/linear.ts's bias gradient). */
function biasBackward<T>(rows: i32, O: i32, dOut: usize, dB: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = dOut + at<T>(r * O);
    for (let o = 0; o < O; o++) store<T>(dB + at<T>(o), load<T>(dB + at<T>(o)) + load<T>(row + at<T>(o)));
  }
}
