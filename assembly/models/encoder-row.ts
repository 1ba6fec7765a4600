// The context encoder's backward pass for a batch of one row, fused per layer: for each output o
// with a non-zero delta d_o, b_o += d_o, W_o += d_o in, dIn += d_o W_o (rows with d_o = 0 are
// skipped: ReLU leaves about half of them zero), then the ReLU mask on dIn in place. At batch 1 the
// layer products are vector updates, so this saves the batch kernels' zero-fills, the ReLU
// kernel's separate buffer and the work of dead units. Each gradient element receives the same
// sums in the same order as through nn/matmul.ts's gemmAcc (adding d_o x = +-0 for d_o = 0 leaves
// a sum that is never -0 unchanged), so both paths give the same bits.
// see: the fused encoder this replaced (assembly/mlp.ts, deleted in issue 20), llm.c matmul_backward

import { at } from "../nn/desc";
import { ACT, buffer, DACT, hidden, inOf, outOf, simd, weightOffset, width, XIN, zero } from "./encoder-layout";

/** y += a x over n elements of T (f64x2 / f32x4, or scalar). */
function axpy<T>(n: i32, a: T, x: usize, y: usize, vec: bool): void {
  let i = 0;
  if (vec) {
    const L = 16 >> alignof<T>();
    const va = v128.splat<T>(a);
    for (; i + L <= n; i += L) {
      const o = at<T>(i);
      v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(va, v128.load(x + o))));
    }
  }
  for (; i < n; i++) store<T>(y + at<T>(i), load<T>(y + at<T>(i)) + a * load<T>(x + at<T>(i)));
}

/**
 * Adds d loss / d params for one row to grads, given d = d loss / d (last Linear's output) and
 * the activations of `forward` (encoder.ts) at rows = 1; the deltas go to DACT.
 */
export function rowBackward<T>(desc: usize, params: usize, grads: usize, work: usize, d: usize): void {
  const vec = simd(desc);
  const act = buffer(work, ACT);
  const deltas = buffer(work, DACT);
  const w = width(desc);
  let end = at<T>(weightOffset(desc, hidden(desc) + 1));
  for (let l = hidden(desc); l >= 0; l--) {
    const I = inOf(desc, l);
    const O = outOf(desc, l);
    const wOff = end - at<T>(O * I + O);
    end = wOff;
    const inp = l > 0 ? act + at<T>((l - 1) * w) : buffer(work, XIN);
    const dIn = deltas + at<T>(max(l - 1, 0) * w);
    if (l > 0) zero<T>(I, dIn);
    for (let o = 0; o < O; o++) {
      const dv = load<T>(d + at<T>(o));
      if (dv == <T>0) continue;
      const gb = grads + wOff + at<T>(O * I + o);
      store<T>(gb, load<T>(gb) + dv);
      axpy<T>(I, dv, inp, grads + wOff + at<T>(o * I), vec);
      if (l > 0) axpy<T>(I, dv, params + wOff + at<T>(o * I), dIn, vec);
    }
    if (l == 0) break;
    for (let i = 0; i < I; i++) if (!(load<T>(inp + at<T>(i)) > <T>0)) store<T>(dIn + at<T>(i), <T>0);
    d = dIn;
  }
}
