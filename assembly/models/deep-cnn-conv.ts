// Register-blocked valid Conv1d kernels for the Deep MR CNN's inner convolutions, channels-first,
// stride 1, one batch row at a time (all of a row's tensors stay in L1):
//   forward      out[o, t] += Σ_c Σ_k w[o, c, k] x[c, t + k]            (t < Lout = Lin − K + 1)
//   input grad   dx[c, s]  += Σ_o Σ_k w[o, c, k] dy[o, s − k]           (0 ≤ s − k < Lout)
//   weight grad  dw[o, c, k] += Σ_t dy[o, t] x[c, t + k]
// Forward keeps 3 outputs × 2 vectors of positions in registers over the (c, k) loop; the input
// gradient is the forward of dy zero-padded by K − 1 on both sides with the kernel transposed and
// flipped (w'[c, o, k] = w[o, c, K − 1 − k]); the weight gradient keeps 2 outputs × 4 taps of vector
// partial sums over t and adds them into a v128 buffer, reduced once per call. SIMD f64x2 / f32x4;
// `simd` false runs the plain loops (the scalar twins the tests compare).
// see: nn/conv1d.ts (the library's axpy form, same formulas); BLIS register tiles

import { at, lanes } from "../nn/desc";

const OB: i32 = 3;

/** out (cout × lout) += conv(x (cin × lin); w (cout × cin × K)), scalar. */
function rowScalar<T>(cin: i32, cout: i32, lin: i32, K: i32, x: usize, w: usize, out: usize, o0: i32, t0: i32): void {
  const lout = lin - K + 1;
  for (let o = o0; o < cout; o++) {
    for (let t = o == o0 ? t0 : 0; t < lout; t++) {
      let s = load<T>(out + at<T>(o * lout + t));
      for (let c = 0; c < cin; c++) {
        const xr = x + at<T>(c * lin + t);
        const wr = w + at<T>((o * cin + c) * K);
        for (let k = 0; k < K; k++) s += load<T>(wr + at<T>(k)) * load<T>(xr + at<T>(k));
      }
      store<T>(out + at<T>(o * lout + t), s);
    }
  }
}

/** The positions [t0, lout) of outputs o, o + 1, o + 2 (a block's tail), scalar. */
function tailScalar<T>(cin: i32, lin: i32, K: i32, x: usize, w: usize, out: usize, o: i32, t0: i32): void {
  const lout = lin - K + 1;
  for (let q = o; q < o + OB; q++) {
    for (let t = t0; t < lout; t++) {
      let s = load<T>(out + at<T>(q * lout + t));
      for (let c = 0; c < cin; c++) {
        const xr = x + at<T>(c * lin + t);
        const wr = w + at<T>((q * cin + c) * K);
        for (let k = 0; k < K; k++) s += load<T>(wr + at<T>(k)) * load<T>(xr + at<T>(k));
      }
      store<T>(out + at<T>(q * lout + t), s);
    }
  }
}

const TAIL = memory.data(48);

/**
 * The positions [t0, lout) (fewer than two vectors) of outputs o, o + 1, o + 2: one vector block
 * when it fits, then the last V positions' sums from zero, of which only the lanes past the done
 * positions are added (the x reads stay inside the row); scalar when lout < V.
 */
function tailBlock<T>(cin: i32, lin: i32, K: i32, x: usize, w: usize, out: usize, o: i32, t0: i32): void {
  const V = lanes<T>();
  const lout = lin - K + 1;
  if (lout < V) {
    tailScalar<T>(cin, lin, K, x, w, out, o, t0);
    return;
  }
  let t = t0;
  const full = t + V <= lout;
  const start = full ? t : lout - V;
  const o0 = out + at<T>(o * lout);
  const o1 = o0 + at<T>(lout);
  const o2 = o1 + at<T>(lout);
  const w0 = w + at<T>(o * cin * K);
  const w1 = w0 + at<T>(cin * K);
  const w2 = w1 + at<T>(cin * K);
  const z = v128.splat<T>(<T>0);
  let a0 = full ? v128.load(o0 + at<T>(t)) : z;
  let a1 = full ? v128.load(o1 + at<T>(t)) : z;
  let a2 = full ? v128.load(o2 + at<T>(t)) : z;
  for (let c = 0; c < cin; c++) {
    const xr = x + at<T>(c * lin + start);
    for (let k = 0; k < K; k++) {
      const xa = v128.load(xr + at<T>(k));
      const wk = at<T>(c * K + k);
      a0 = v128.add<T>(a0, v128.mul<T>(v128.splat<T>(load<T>(w0 + wk)), xa));
      a1 = v128.add<T>(a1, v128.mul<T>(v128.splat<T>(load<T>(w1 + wk)), xa));
      a2 = v128.add<T>(a2, v128.mul<T>(v128.splat<T>(load<T>(w2 + wk)), xa));
    }
  }
  if (full) {
    v128.store(o0 + at<T>(t), a0);
    v128.store(o1 + at<T>(t), a1);
    v128.store(o2 + at<T>(t), a2);
    t += V;
    if (t < lout) tailBlock<T>(cin, lin, K, x, w, out, o, t);
    return;
  }
  v128.store(TAIL, a0);
  v128.store(TAIL, a1, 16);
  v128.store(TAIL, a2, 32);
  for (let q = 0; q < OB; q++) {
    const row = out + at<T>((o + q) * lout);
    for (let i = t - start; i < V; i++) {
      const p = row + at<T>(start + i);
      store<T>(p, load<T>(p) + load<T>(TAIL + <usize>(16 * q) + at<T>(i)));
    }
  }
}

/** out += conv(x; w) for one batch row (see the header); out holds the bias or zeros on entry. */
export function convRow<T>(cin: i32, cout: i32, lin: i32, K: i32, x: usize, w: usize, out: usize, simd: bool): void {
  if (!simd) {
    rowScalar<T>(cin, cout, lin, K, x, w, out, 0, 0);
    return;
  }
  const V = lanes<T>();
  const lout = lin - K + 1;
  let o = 0;
  for (; o + OB <= cout; o += OB) {
    const o0 = out + at<T>(o * lout);
    const o1 = o0 + at<T>(lout);
    const o2 = o1 + at<T>(lout);
    const w0 = w + at<T>(o * cin * K);
    const w1 = w0 + at<T>(cin * K);
    const w2 = w1 + at<T>(cin * K);
    let t = 0;
    for (; t + 2 * V <= lout; t += 2 * V) {
      const ot = at<T>(t);
      let a0 = v128.load(o0 + ot);
      let b0 = v128.load(o0 + ot, 16);
      let a1 = v128.load(o1 + ot);
      let b1 = v128.load(o1 + ot, 16);
      let a2 = v128.load(o2 + ot);
      let b2 = v128.load(o2 + ot, 16);
      for (let c = 0; c < cin; c++) {
        const xr = x + at<T>(c * lin + t);
        const wc = at<T>(c * K);
        for (let k = 0; k < K; k++) {
          const xa = v128.load(xr + at<T>(k));
          const xb = v128.load(xr + at<T>(k), 16);
          const wk = wc + at<T>(k);
          const s0 = v128.splat<T>(load<T>(w0 + wk));
          const s1 = v128.splat<T>(load<T>(w1 + wk));
          const s2 = v128.splat<T>(load<T>(w2 + wk));
          a0 = v128.add<T>(a0, v128.mul<T>(s0, xa));
          b0 = v128.add<T>(b0, v128.mul<T>(s0, xb));
          a1 = v128.add<T>(a1, v128.mul<T>(s1, xa));
          b1 = v128.add<T>(b1, v128.mul<T>(s1, xb));
          a2 = v128.add<T>(a2, v128.mul<T>(s2, xa));
          b2 = v128.add<T>(b2, v128.mul<T>(s2, xb));
        }
      }
      v128.store(o0 + ot, a0);
      v128.store(o0 + ot, b0, 16);
      v128.store(o1 + ot, a1);
      v128.store(o1 + ot, b1, 16);
      v128.store(o2 + ot, a2);
      v128.store(o2 + ot, b2, 16);
    }
    if (t < lout) tailBlock<T>(cin, lin, K, x, w, out, o, t);
  }
  if (o < cout) rowScalar<T>(cin, cout, lin, K, x, w, out, o, 0);
}

/** w'[c, o, k] = w[o, c, K − 1 − k]: the input gradient's kernel. */
export function flipKernel<T>(cin: i32, cout: i32, K: i32, w: usize, flip: usize): void {
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) {
      for (let k = 0; k < K; k++) {
        store<T>(flip + at<T>((c * cout + o) * K + K - 1 - k), load<T>(w + at<T>((o * cin + c) * K + k)));
      }
    }
  }
}

/** pad (cout × (lout + 2(K − 1))) = dy (cout × lout) with K − 1 zeros on each side. */
export function padRow<T>(cout: i32, lout: i32, K: i32, dy: usize, pad: usize): void {
  const lp = lout + 2 * (K - 1);
  for (let o = 0; o < cout; o++) {
    const p = pad + at<T>(o * lp);
    for (let i = 0; i < K - 1; i++) {
      store<T>(p + at<T>(i), <T>0);
      store<T>(p + at<T>(lp - 1 - i), <T>0);
    }
    // an element loop: memory.copy of a short row costs more than the copy in V8
    const src = dy + at<T>(o * lout);
    const dst = p + at<T>(K - 1);
    for (let t = 0; t < lout; t++) store<T>(dst + at<T>(t), load<T>(src + at<T>(t)));
  }
}

/** acc (v128 per (o, c, k), or T per (o, c, k) when scalar) += Σ_t dy[o, t] x[c, t + k] for one batch row. */
export function wgradRow<T>(cin: i32, cout: i32, lin: i32, K: i32, x: usize, dy: usize, acc: usize, simd: bool): void {
  const lout = lin - K + 1;
  if (!simd) {
    for (let o = 0; o < cout; o++) {
      for (let c = 0; c < cin; c++) {
        for (let k = 0; k < K; k++) {
          const p = acc + at<T>((o * cin + c) * K + k);
          let s = load<T>(p);
          for (let t = 0; t < lout; t++) s += load<T>(dy + at<T>(o * lout + t)) * load<T>(x + at<T>(c * lin + t + k));
          store<T>(p, s);
        }
      }
    }
    return;
  }
  for (let o = 0; o < cout; o += 2) {
    const two = o + 1 < cout;
    for (let c = 0; c < cin; c++) {
      for (let k = 0; k < K; k += 4) wgradBlock<T>(cin, lin, K, x, dy, acc, o, c, k, min(4, K - k), two);
    }
  }
}

/** Σ_t dy[q, t] x[c, t + k + j] for q in {o, o + 1 (when two)} and j < nk ≤ 4, into the v128 partial sums. */
function wgradBlock<T>(
  cin: i32,
  lin: i32,
  K: i32,
  x: usize,
  dy: usize,
  acc: usize,
  o: i32,
  c: i32,
  k: i32,
  nk: i32,
  two: bool,
): void {
  const V = lanes<T>();
  const lout = lin - K + 1;
  const g0 = dy + at<T>(o * lout);
  const g1 = two ? g0 + at<T>(lout) : g0;
  const xr = x + at<T>(c * lin + k);
  const z = v128.splat<T>(<T>0);
  let a0 = z;
  let a1 = z;
  let a2 = z;
  let a3 = z;
  let b0 = z;
  let b1 = z;
  let b2 = z;
  let b3 = z;
  let t = 0;
  for (; t + V <= lout; t += V) {
    const ot = at<T>(t);
    const d0 = v128.load(g0 + ot);
    const d1 = v128.load(g1 + ot);
    const x0 = v128.load(xr + ot);
    a0 = v128.add<T>(a0, v128.mul<T>(d0, x0));
    b0 = v128.add<T>(b0, v128.mul<T>(d1, x0));
    if (nk > 1) {
      const x1 = v128.load(xr + ot + at<T>(1));
      a1 = v128.add<T>(a1, v128.mul<T>(d0, x1));
      b1 = v128.add<T>(b1, v128.mul<T>(d1, x1));
    }
    if (nk > 2) {
      const x2 = v128.load(xr + ot + at<T>(2));
      a2 = v128.add<T>(a2, v128.mul<T>(d0, x2));
      b2 = v128.add<T>(b2, v128.mul<T>(d1, x2));
    }
    if (nk > 3) {
      const x3 = v128.load(xr + ot + at<T>(3));
      a3 = v128.add<T>(a3, v128.mul<T>(d0, x3));
      b3 = v128.add<T>(b3, v128.mul<T>(d1, x3));
    }
  }
  // the positions past the last full vector go into lane 0
  for (; t < lout; t++) {
    const d0 = load<T>(g0 + at<T>(t));
    const d1 = load<T>(g1 + at<T>(t));
    const xt = xr + at<T>(t);
    a0 = v128.replace_lane<T>(a0, 0, v128.extract_lane<T>(a0, 0) + d0 * load<T>(xt));
    b0 = v128.replace_lane<T>(b0, 0, v128.extract_lane<T>(b0, 0) + d1 * load<T>(xt));
    if (nk > 1) {
      a1 = v128.replace_lane<T>(a1, 0, v128.extract_lane<T>(a1, 0) + d0 * load<T>(xt + at<T>(1)));
      b1 = v128.replace_lane<T>(b1, 0, v128.extract_lane<T>(b1, 0) + d1 * load<T>(xt + at<T>(1)));
    }
    if (nk > 2) {
      a2 = v128.replace_lane<T>(a2, 0, v128.extract_lane<T>(a2, 0) + d0 * load<T>(xt + at<T>(2)));
      b2 = v128.replace_lane<T>(b2, 0, v128.extract_lane<T>(b2, 0) + d1 * load<T>(xt + at<T>(2)));
    }
    if (nk > 3) {
      a3 = v128.replace_lane<T>(a3, 0, v128.extract_lane<T>(a3, 0) + d0 * load<T>(xt + at<T>(3)));
      b3 = v128.replace_lane<T>(b3, 0, v128.extract_lane<T>(b3, 0) + d1 * load<T>(xt + at<T>(3)));
    }
  }
  const base = acc + ((<usize>((o * cin + c) * K + k)) << 4);
  const next = (<usize>(cin * K)) << 4;
  addV<T>(base, a0);
  if (nk > 1) addV<T>(base + 16, a1);
  if (nk > 2) addV<T>(base + 32, a2);
  if (nk > 3) addV<T>(base + 48, a3);
  if (!two) return;
  addV<T>(base + next, b0);
  if (nk > 1) addV<T>(base + next + 16, b1);
  if (nk > 2) addV<T>(base + next + 32, b2);
  if (nk > 3) addV<T>(base + next + 48, b3);
}

function addV<T>(p: usize, v: v128): void {
  v128.store(p, v128.add<T>(v128.load(p), v));
}

/** dw[i] += the lanes' sum of acc[i] (n v128 partial sums) and sets acc to 0. */
export function reduceInto<T>(n: i32, acc: usize, dw: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + ((<usize>i) << 4);
    const v = v128.load(p);
    let s: T;
    if (sizeof<T>() == 8) s = <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
    else
      s = <T>(
        (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)))
      );
    store<T>(dw + at<T>(i), load<T>(dw + at<T>(i)) + s);
    v128.store(p, v128.splat<f64>(0));
  }
}
