// torch.nn.Linear on a batch: out(B x O) = in(B x I) . W^T + b, W (O x I) row-major, b (O).
// Descriptor: desc[0] dtype (0 f64, 1 f32), desc[1] B, desc[2] I, desc[3] O, desc[4] bias (1 yes, 0 no).
// Backward adds into dW, db and dIn (the caller zeroes them); dIn = 0 skips the input gradient
// (a first layer has no use for it). The products are matmul.ts's.
// see: llm.c matmul_forward / matmul_backward

import { at, field, isF32 } from "./desc";
import { matmulBackwardInput, matmulBackwardWeight, matmulForward } from "./matmul";

function forward<T>(desc: usize, inp: usize, w: usize, bias: usize, out: usize): void {
  const hasBias = field(desc, 4) != 0;
  matmulForward<T>(field(desc, 1), field(desc, 2), field(desc, 3), inp, w, hasBias ? bias : 0, out);
}

function backward<T>(desc: usize, inp: usize, w: usize, dOut: usize, dIn: usize, dW: usize, dB: usize): void {
  const B = field(desc, 1);
  const I = field(desc, 2);
  const O = field(desc, 3);
  if (dIn != 0) matmulBackwardInput<T>(B, I, O, dOut, w, dIn, true);
  matmulBackwardWeight<T>(B, I, O, dOut, inp, dW, true);
  if (field(desc, 4) == 0) return;
  for (let b = 0; b < B; b++) {
    const row = dOut + at<T>(b * O);
    for (let o = 0; o < O; o++) store<T>(dB + at<T>(o), load<T>(dB + at<T>(o)) + load<T>(row + at<T>(o)));
  }
}

/** out = in . W^T (+ bias when desc[4] = 1). */
export function nn_linear_forward(desc: usize, inp: usize, w: usize, bias: usize, out: usize): void {
  if (isF32(desc)) forward<f32>(desc, inp, w, bias, out);
  else forward<f64>(desc, inp, w, bias, out);
}

/** dIn += dOut . W (skipped when dIn = 0); dW += dOut^T . in; dB += column sums of dOut (when desc[4] = 1). */
export function nn_linear_backward(
  desc: usize,
  inp: usize,
  w: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, inp, w, dOut, dIn, dW, dB);
  else backward<f64>(desc, inp, w, dOut, dIn, dW, dB);
}
