// torch.nn.LayerNorm over the last dimension of a batch: for each of the B rows of F features,
//   y = (x - mean) * rstd * w + b,   mean = sum x / F,  rstd = 1 / sqrt(sum (x - mean)^2 / F + eps)
// (biased variance, as torch). Descriptor: desc[0] dtype (0 f64, 1 f32), desc[1] B, desc[2] F,
// desc[3] affine (1: weight w and bias b of F elements; 0: none, w = 1 and b = 0).
// Hyper (f64): hyper[0] = eps. The forward pass writes each row's mean and rstd to `cache`
// (nn_layernorm_cache_size elements of the dtype: means then rstds) for the backward pass, which
// adds into dIn, dW and dB:
//   dx += rstd (w dy - mean(w dy) - norm mean(w dy norm)),  dw += dy norm,  db += dy,  norm = (x - mean) rstd
// see: llm.c layernorm_forward / layernorm_backward

import { at, field, hyper, isF32 } from "./desc";

function forward<T>(desc: usize, h: usize, inp: usize, w: usize, b: usize, cache: usize, out: usize): void {
  const B = field(desc, 1);
  const F = field(desc, 2);
  const affine = field(desc, 3) != 0;
  const eps = <T>hyper(h, 0);
  const invF = <T>1 / <T>F;
  for (let r = 0; r < B; r++) {
    const x = inp + at<T>(r * F);
    const y = out + at<T>(r * F);
    let s: T = <T>0;
    for (let i = 0; i < F; i++) s += load<T>(x + at<T>(i));
    const mean = s * invF;
    let ss: T = <T>0;
    for (let i = 0; i < F; i++) {
      const d = load<T>(x + at<T>(i)) - mean;
      ss += d * d;
    }
    const rstd = <T>1 / sqrt<T>(ss * invF + eps);
    for (let i = 0; i < F; i++) {
      const norm = (load<T>(x + at<T>(i)) - mean) * rstd;
      store<T>(y + at<T>(i), affine ? norm * load<T>(w + at<T>(i)) + load<T>(b + at<T>(i)) : norm);
    }
    store<T>(cache + at<T>(r), mean);
    store<T>(cache + at<T>(B + r), rstd);
  }
}

function backward<T>(
  desc: usize,
  inp: usize,
  w: usize,
  cache: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
): void {
  const B = field(desc, 1);
  const F = field(desc, 2);
  const affine = field(desc, 3) != 0;
  const invF = <T>1 / <T>F;
  for (let r = 0; r < B; r++) {
    const x = inp + at<T>(r * F);
    const dy = dOut + at<T>(r * F);
    const dx = dIn + at<T>(r * F);
    const mean = load<T>(cache + at<T>(r));
    const rstd = load<T>(cache + at<T>(B + r));
    let sumD: T = <T>0;
    let sumDN: T = <T>0;
    for (let i = 0; i < F; i++) {
      const norm = (load<T>(x + at<T>(i)) - mean) * rstd;
      const d = affine ? load<T>(w + at<T>(i)) * load<T>(dy + at<T>(i)) : load<T>(dy + at<T>(i));
      sumD += d;
      sumDN += d * norm;
    }
    const meanD = sumD * invF;
    const meanDN = sumDN * invF;
    for (let i = 0; i < F; i++) {
      const o = at<T>(i);
      const norm = (load<T>(x + o) - mean) * rstd;
      const g = load<T>(dy + o);
      const d = affine ? load<T>(w + o) * g : g;
      store<T>(dx + o, load<T>(dx + o) + rstd * (d - meanD - norm * meanDN));
      if (affine) {
        store<T>(dW + o, load<T>(dW + o) + g * norm);
        store<T>(dB + o, load<T>(dB + o) + g);
      }
    }
  }
}

/** Elements of the dtype the cache must hold: a mean and an rstd per row (2 B). */
export function nn_layernorm_cache_size(desc: usize): i32 {
  return 2 * field(desc, 1);
}

/** out = LayerNorm(inp) over the last dimension; writes the cache for backward. */
export function nn_layernorm_forward(
  desc: usize,
  hyper: usize,
  inp: usize,
  w: usize,
  b: usize,
  cache: usize,
  out: usize,
): void {
  if (isF32(desc)) forward<f32>(desc, hyper, inp, w, b, cache, out);
  else forward<f64>(desc, hyper, inp, w, b, cache, out);
}

/** dIn, dW, dB += the gradients of LayerNorm (dW, dB untouched when desc[3] = 0). */
export function nn_layernorm_backward(
  desc: usize,
  inp: usize,
  w: usize,
  cache: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, inp, w, cache, dOut, dIn, dW, dB);
  else backward<f64>(desc, inp, w, cache, dOut, dIn, dW, dB);
}
