// torch.nn.LayerNorm over the last dimension of a batch: for each of the B rows of F features,
//   y = (x - mean) * rstd * w + b,   mean = sum x / F,  rstd = 1 / sqrt(sum (x - mean)^2 / F + eps)
// (biased variance, as torch). Descriptor: [1] B, [2] F, [3] affine (1: weight w and bias b of F
// elements; 0: none, w = 1 and b = 0). Hyper: [0] eps.
// Cache (`nn_layernorm_cache_size` bytes): B means then B rstds of the dtype. Gradients:
//   dx += rstd (w dy - mean(w dy) - norm mean(w dy norm)),  dw += dy norm,  db += dy,  norm = (x - mean) rstd
// SIMD (f64x2 / f32x4) over the F features of a row: the row sums run in two lane-wise
// accumulators, so they differ from the `_scalar` twins' in rounding only; the element-wise parts
// are the same operations.
// see: llm.c layernorm_forward / layernorm_backward

import { at, dtypeBytes, field, hyper, isF32, lanes } from "./desc";

/** Sum of the lanes of a v128 of T (as matmul.ts's, which cannot export a v128 parameter without a warning). */
function hsum<T>(v: v128): T {
  if (sizeof<T>() == 8) return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  return <T>(
    (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)))
  );
}

/** Σ (x_i − c)^k over the F elements of a row, k = 1 or 2 (c = 0 for the plain sum). */
function rowSum<T>(x: usize, F: i32, c: T, square: bool, simd: bool): T {
  let i = 0;
  let s: T = <T>0;
  if (simd) {
    const L = lanes<T>();
    const vc = v128.splat<T>(c);
    let a = v128.splat<T>(<T>0);
    let b = a;
    for (; i + 2 * L <= F; i += 2 * L) {
      const u = v128.sub<T>(v128.load(x + at<T>(i)), vc);
      const v = v128.sub<T>(v128.load(x + at<T>(i), 16), vc);
      a = v128.add<T>(a, square ? v128.mul<T>(u, u) : u);
      b = v128.add<T>(b, square ? v128.mul<T>(v, v) : v);
    }
    s = hsum<T>(v128.add<T>(a, b));
  }
  for (; i < F; i++) {
    const d = load<T>(x + at<T>(i)) - c;
    s += square ? d * d : d;
  }
  return s;
}

function forward<T>(desc: usize, h: usize, inp: usize, w: usize, b: usize, cache: usize, out: usize, simd: bool): void {
  const B = field(desc, 1);
  const F = field(desc, 2);
  const affine = field(desc, 3) != 0;
  const eps = <T>hyper(h, 0);
  const invF = <T>1 / <T>F;
  const L = lanes<T>();
  for (let r = 0; r < B; r++) {
    const x = inp + at<T>(r * F);
    const y = out + at<T>(r * F);
    const mean = rowSum<T>(x, F, <T>0, false, simd) * invF;
    const rstd = <T>1 / sqrt<T>(rowSum<T>(x, F, mean, true, simd) * invF + eps);
    let i = 0;
    if (simd) {
      const vm = v128.splat<T>(mean);
      const vr = v128.splat<T>(rstd);
      for (; i + L <= F; i += L) {
        const o = at<T>(i);
        const norm = v128.mul<T>(v128.sub<T>(v128.load(x + o), vm), vr);
        v128.store(y + o, affine ? v128.add<T>(v128.mul<T>(norm, v128.load(w + o)), v128.load(b + o)) : norm);
      }
    }
    for (; i < F; i++) {
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
  simd: bool,
): void {
  const B = field(desc, 1);
  const F = field(desc, 2);
  const affine = field(desc, 3) != 0;
  const invF = <T>1 / <T>F;
  const L = lanes<T>();
  for (let r = 0; r < B; r++) {
    const x = inp + at<T>(r * F);
    const dy = dOut + at<T>(r * F);
    const dx = dIn + at<T>(r * F);
    const mean = load<T>(cache + at<T>(r));
    const rstd = load<T>(cache + at<T>(B + r));
    const vm = v128.splat<T>(mean);
    const vr = v128.splat<T>(rstd);
    let sumD: T = <T>0;
    let sumDN: T = <T>0;
    let i = 0;
    if (simd) {
      let a = v128.splat<T>(<T>0);
      let c = a;
      for (; i + L <= F; i += L) {
        const o = at<T>(i);
        const norm = v128.mul<T>(v128.sub<T>(v128.load(x + o), vm), vr);
        const d = affine ? v128.mul<T>(v128.load(w + o), v128.load(dy + o)) : v128.load(dy + o);
        a = v128.add<T>(a, d);
        c = v128.add<T>(c, v128.mul<T>(d, norm));
      }
      sumD = hsum<T>(a);
      sumDN = hsum<T>(c);
    }
    for (; i < F; i++) {
      const norm = (load<T>(x + at<T>(i)) - mean) * rstd;
      const d = affine ? load<T>(w + at<T>(i)) * load<T>(dy + at<T>(i)) : load<T>(dy + at<T>(i));
      sumD += d;
      sumDN += d * norm;
    }
    const meanD = sumD * invF;
    const meanDN = sumDN * invF;
    i = 0;
    if (simd) {
      const vd = v128.splat<T>(meanD);
      const vdn = v128.splat<T>(meanDN);
      for (; i + L <= F; i += L) {
        const o = at<T>(i);
        const norm = v128.mul<T>(v128.sub<T>(v128.load(x + o), vm), vr);
        const g = v128.load(dy + o);
        const d = affine ? v128.mul<T>(v128.load(w + o), g) : g;
        if (dIn != 0) {
          const t = v128.mul<T>(vr, v128.sub<T>(v128.sub<T>(d, vd), v128.mul<T>(norm, vdn)));
          v128.store(dx + o, v128.add<T>(v128.load(dx + o), t));
        }
        if (affine) {
          v128.store(dW + o, v128.add<T>(v128.load(dW + o), v128.mul<T>(g, norm)));
          v128.store(dB + o, v128.add<T>(v128.load(dB + o), g));
        }
      }
    }
    for (; i < F; i++) {
      const o = at<T>(i);
      const norm = (load<T>(x + o) - mean) * rstd;
      const g = load<T>(dy + o);
      const d = affine ? load<T>(w + o) * g : g;
      if (dIn != 0) store<T>(dx + o, load<T>(dx + o) + rstd * (d - meanD - norm * meanDN));
      if (affine) {
        store<T>(dW + o, load<T>(dW + o) + g * norm);
        store<T>(dB + o, load<T>(dB + o) + g);
      }
    }
  }
}

/** Bytes of the cache: a mean and an rstd of the dtype per row (2 B elements). */
export function nn_layernorm_cache_size(desc: usize): f64 {
  return dtypeBytes(desc, 2 * <f64>field(desc, 1));
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
  if (isF32(desc)) forward<f32>(desc, hyper, inp, w, b, cache, out, true);
  else forward<f64>(desc, hyper, inp, w, b, cache, out, true);
}

/** nn_layernorm_forward without SIMD (the scalar twin). */
export function nn_layernorm_forward_scalar(
  desc: usize,
  hyper: usize,
  inp: usize,
  w: usize,
  b: usize,
  cache: usize,
  out: usize,
): void {
  if (isF32(desc)) forward<f32>(desc, hyper, inp, w, b, cache, out, false);
  else forward<f64>(desc, hyper, inp, w, b, cache, out, false);
}

/** dIn (skipped when 0), dW, dB += the gradients of LayerNorm (dW, dB untouched when desc[3] = 0). */
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
  if (isF32(desc)) backward<f32>(desc, inp, w, cache, dOut, dIn, dW, dB, true);
  else backward<f64>(desc, inp, w, cache, dOut, dIn, dW, dB, true);
}

/** nn_layernorm_backward without SIMD (the scalar twin). */
export function nn_layernorm_backward_scalar(
  desc: usize,
  inp: usize,
  w: usize,
  cache: usize,
  dOut: usize,
  dIn: usize,
  dW: usize,
  dB: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, inp, w, cache, dOut, dIn, dW, dB, false);
  else backward<f64>(desc, inp, w, cache, dOut, dIn, dW, dB, false);
}
