// Dropout with a mask the caller draws: out = x * mask / (1 - p), mask of 0s and 1s in the dtype
// (kept with probability 1 - p), as torch.nn.functional.dropout scales its Bernoulli noise.
// Because the caller owns the mask, one mask can be shared by every row of a batch (MC dropout with
// the same network for all sequences) or redrawn per row. p = 1 gives zeros, as torch does.
// Descriptor: desc[0] dtype (0 f64, 1 f32), desc[1] B, desc[2] F (features per row; C * L for a
// (B, C, L) tensor), desc[3] shared: 0 = mask of B * F (one per element), 1 = mask of F for all rows.
// Hyper (f64): hyper[0] = p. Backward adds dOut * mask / (1 - p) into dIn.
// see: torch _dropout_impl (noise.bernoulli_(1 - p); noise.div_(1 - p); input * noise)

import { at, field, hyper, isF32 } from "./desc";

/** dst[i] (+)= src[i] * mask[i or i mod F] / q over B * F elements; accumulate selects += over =. */
function apply<T>(desc: usize, h: usize, mask: usize, src: usize, dst: usize, accumulate: bool): void {
  const B = field(desc, 1);
  const F = field(desc, 2);
  const shared = field(desc, 3) != 0;
  const q = <T>(1 - hyper(h, 0));
  for (let b = 0; b < B; b++) {
    const row = at<T>(b * F);
    const m = shared ? mask : mask + row;
    for (let i = 0; i < F; i++) {
      const o = row + at<T>(i);
      const v = q == <T>0 ? <T>0 : load<T>(src + o) * (load<T>(m + at<T>(i)) / q);
      store<T>(dst + o, accumulate ? load<T>(dst + o) + v : v);
    }
  }
}

/** out = inp * mask / (1 - p). */
export function nn_dropout_forward(desc: usize, hyper: usize, inp: usize, mask: usize, out: usize): void {
  if (isF32(desc)) apply<f32>(desc, hyper, mask, inp, out, false);
  else apply<f64>(desc, hyper, mask, inp, out, false);
}

/** dIn += dOut * mask / (1 - p). */
export function nn_dropout_backward(desc: usize, hyper: usize, mask: usize, dOut: usize, dIn: usize): void {
  if (isF32(desc)) apply<f32>(desc, hyper, mask, dOut, dIn, true);
  else apply<f64>(desc, hyper, mask, dOut, dIn, true);
}
