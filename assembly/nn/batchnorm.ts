// torch.nn.BatchNorm1d on (B, F) or, per channel, on (B, C, L) channels-first (F = C, L = 1):
//   y = (x - mean_c) * rstd_c * w_c + b_c
// Train mode: mean_c and the biased variance var_c over the n = B L values of channel c,
// rstd_c = 1 / sqrt(var_c + eps); the running statistics move by momentum m, the variance's
// with the unbiased estimate as torch does: rm = (1 - m) rm + m mean, rv = (1 - m) rv + m var n / (n - 1)
// (n > 1 is required, as in torch). Eval mode: mean_c = rm_c, rstd_c = 1 / sqrt(rv_c + eps), nothing updated.
// Descriptor: desc[0] dtype (0 f64, 1 f32), desc[1] B, desc[2] C, desc[3] L, desc[4] train (1) or
// eval (0), desc[5] affine (1: weight w and bias b of C elements; 0: none).
// Hyper (f64): hyper[0] = eps, hyper[1] = momentum. The forward pass writes mean_c and rstd_c to
// `cache` (nn_batchnorm_cache_size elements: C means then C rstds); backward adds into dIn, dW, dB:
//   train: dx += rstd (w dy - mean_c(w dy) - norm mean_c(w dy norm));  eval: dx += rstd w dy
//   dw += sum dy norm, db += sum dy, norm = (x - mean) rstd
// see: torch batch_norm_cpu_update_stats_template / batch_norm_backward_cpu_template

import { at, field, hyper, isF32 } from "./desc";

/** Element index of x[b, c, 0]. */
function base(b: i32, c: i32, C: i32, L: i32): i32 {
  return (b * C + c) * L;
}

function stats<T>(B: i32, C: i32, L: i32, inp: usize, c: i32): T {
  let s: T = <T>0;
  for (let b = 0; b < B; b++) {
    const x = inp + at<T>(base(b, c, C, L));
    for (let l = 0; l < L; l++) s += load<T>(x + at<T>(l));
  }
  return s;
}

function sumSquares<T>(B: i32, C: i32, L: i32, inp: usize, c: i32, mean: T): T {
  let s: T = <T>0;
  for (let b = 0; b < B; b++) {
    const x = inp + at<T>(base(b, c, C, L));
    for (let l = 0; l < L; l++) {
      const d = load<T>(x + at<T>(l)) - mean;
      s += d * d;
    }
  }
  return s;
}

function forward<T>(
  desc: usize,
  h: usize,
  inp: usize,
  w: usize,
  bias: usize,
  rm: usize,
  rv: usize,
  cache: usize,
  out: usize,
): void {
  const B = field(desc, 1);
  const C = field(desc, 2);
  const L = field(desc, 3);
  const train = field(desc, 4) != 0;
  const affine = field(desc, 5) != 0;
  const eps = <T>hyper(h, 0);
  const m = <T>hyper(h, 1);
  const n = B * L;
  for (let c = 0; c < C; c++) {
    let mean: T;
    let rstd: T;
    if (train) {
      mean = stats<T>(B, C, L, inp, c) / <T>n;
      const ss = sumSquares<T>(B, C, L, inp, c, mean);
      rstd = <T>1 / sqrt<T>(ss / <T>n + eps);
      const rmc = rm + at<T>(c);
      const rvc = rv + at<T>(c);
      store<T>(rmc, (<T>1 - m) * load<T>(rmc) + m * mean);
      store<T>(rvc, (<T>1 - m) * load<T>(rvc) + m * (ss / <T>(n - 1)));
    } else {
      mean = load<T>(rm + at<T>(c));
      rstd = <T>1 / sqrt<T>(load<T>(rv + at<T>(c)) + eps);
    }
    store<T>(cache + at<T>(c), mean);
    store<T>(cache + at<T>(C + c), rstd);
    const wc = affine ? load<T>(w + at<T>(c)) : <T>1;
    const bc = affine ? load<T>(bias + at<T>(c)) : <T>0;
    for (let b = 0; b < B; b++) {
      const k = at<T>(base(b, c, C, L));
      for (let l = 0; l < L; l++) {
        const o = k + at<T>(l);
        store<T>(out + o, (load<T>(inp + o) - mean) * rstd * wc + bc);
      }
    }
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
  const C = field(desc, 2);
  const L = field(desc, 3);
  const train = field(desc, 4) != 0;
  const affine = field(desc, 5) != 0;
  const n = <T>(B * L);
  for (let c = 0; c < C; c++) {
    const mean = load<T>(cache + at<T>(c));
    const rstd = load<T>(cache + at<T>(C + c));
    const wc = affine ? load<T>(w + at<T>(c)) : <T>1;
    let sumG: T = <T>0;
    let sumGN: T = <T>0;
    for (let b = 0; b < B; b++) {
      const k = at<T>(base(b, c, C, L));
      for (let l = 0; l < L; l++) {
        const o = k + at<T>(l);
        const g = load<T>(dOut + o);
        sumG += g;
        sumGN += g * (load<T>(inp + o) - mean) * rstd;
      }
    }
    // mean over the channel of w dy and of w dy norm; zero in eval mode, where the statistics are constants
    const meanD = train ? (wc * sumG) / n : <T>0;
    const meanDN = train ? (wc * sumGN) / n : <T>0;
    for (let b = 0; b < B; b++) {
      const k = at<T>(base(b, c, C, L));
      for (let l = 0; l < L; l++) {
        const o = k + at<T>(l);
        const norm = (load<T>(inp + o) - mean) * rstd;
        store<T>(dIn + o, load<T>(dIn + o) + rstd * (wc * load<T>(dOut + o) - meanD - norm * meanDN));
      }
    }
    if (affine) {
      store<T>(dW + at<T>(c), load<T>(dW + at<T>(c)) + sumGN);
      store<T>(dB + at<T>(c), load<T>(dB + at<T>(c)) + sumG);
    }
  }
}

/** Elements of the dtype the cache must hold: a mean and an rstd per channel (2 C). */
export function nn_batchnorm_cache_size(desc: usize): i32 {
  return 2 * field(desc, 2);
}

/** out = BatchNorm1d(inp) in the desc[4] mode; train mode updates the running statistics rm, rv. */
export function nn_batchnorm_forward(
  desc: usize,
  hyper: usize,
  inp: usize,
  w: usize,
  b: usize,
  rm: usize,
  rv: usize,
  cache: usize,
  out: usize,
): void {
  if (isF32(desc)) forward<f32>(desc, hyper, inp, w, b, rm, rv, cache, out);
  else forward<f64>(desc, hyper, inp, w, b, rm, rv, cache, out);
}

/** dIn, dW, dB += the gradients of BatchNorm1d in the mode of the forward pass (dW, dB untouched when desc[5] = 0). */
export function nn_batchnorm_backward(
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
