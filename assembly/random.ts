// numpy Generator distributions on the PCG64 stream, in bulk. The state block is 48 bytes:
// PCG64's four u64 words, then numpy's has_uint32 flag and its spare 32-bit half.
// see: numpy/random/src/distributions/distributions.c (random_standard_normal, random_uniform,
// random_binomial_inversion), random_bounded_integers.c.in (buffered_bounded_lemire_uint32),
// numpy/random/src/pcg64/pcg64.h (pcg64_next32)

import { enter, leave, next64 } from "./pcg64";
import { FI, KI, WI, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R } from "./ziggurat-tables";

const TWO_M53: f64 = 1.1102230246251565e-16;

@inline
function nextDouble(): f64 {
  // The shifted value is below 2^53, so the cheaper signed conversion is exact.
  return <f64>(<i64>(next64() >> 11)) * TWO_M53;
}

/** nextDouble as a call, for rare paths, where inlining would only bloat the hot loop around them. */
function nextDoubleRare(): f64 {
  return nextDouble();
}

/** numpy's pcg64_next32: the low half of a fresh output, keeping the high half for the next call. */
function next32(state: usize): u32 {
  if (load<u64>(state, 32) != 0) {
    store<u64>(state, 0, 32);
    return <u32>load<u64>(state, 40);
  }
  const v = next64();
  store<u64>(state, 1, 32);
  store<u64>(state, v >> 32, 40);
  return <u32>v;
}

/** out[i] = low + range * U, U = (u64 >> 11) 2^-53 (numpy's random_uniform; range = 1, low = 0 is random()). */
export function rng_uniform(state: usize, out: usize, n: i32, low: f64, range: f64): void {
  enter(state);
  for (let i = 0; i < n; i++) store<f64>(out + ((<usize>i) << 3), low + range * nextDouble());
  leave(state);
}

function standardNormal(): f64 {
  while (true) {
    let r = next64();
    const idx = <i32>(r & 0xff);
    r >>= 8;
    const sign = r & 1;
    const rabs = (r >> 1) & 0x000fffffffffffff;
    let x = <f64>(<i64>rabs) * load<f64>(WI + ((<usize>idx) << 3));
    if (sign) x = -x;
    if (rabs < load<u64>(KI + ((<usize>idx) << 3))) return x;
    if (idx == 0) {
      while (true) {
        const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-nextDoubleRare());
        const yy = -Math.log1p(-nextDoubleRare());
        if (yy + yy > xx * xx) return (rabs >> 8) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
      }
    }
    const f0 = load<f64>(FI + ((<usize>(idx - 1)) << 3));
    const f1 = load<f64>(FI + ((<usize>idx) << 3));
    if ((f0 - f1) * nextDoubleRare() + f1 < Math.exp(-0.5 * x * x)) return x;
  }
  return unreachable();
}

/** out[i] = mean + sd * Z with Z from numpy's 256-layer ziggurat. */
export function rng_normal(state: usize, out: usize, n: i32, mean: f64, sd: f64): void {
  enter(state);
  for (let i = 0; i < n; i++) store<f64>(out + ((<usize>i) << 3), mean + sd * standardNormal());
  leave(state);
}

/** Integers low .. low + rng by Lemire's method on 32-bit halves (0 < rng < 2^32 - 1). */
export function rng_integers(state: usize, out: usize, n: i32, low: f64, rng: u32): void {
  enter(state);
  const excl: u64 = <u64>rng + 1;
  const threshold = <u64>((0xffffffff - rng) % <u32>excl);
  for (let i = 0; i < n; i++) {
    let m = <u64>next32(state) * excl;
    let leftover = m & 0xffffffff;
    if (leftover < excl) {
      while (leftover < threshold) {
        m = <u64>next32(state) * excl;
        leftover = m & 0xffffffff;
      }
    }
    store<f64>(out + ((<usize>i) << 3), low + <f64>(m >> 32));
  }
  leave(state);
}

/**
 * A rows x cols matrix (column-major) of binomial draws by numpy's inversion, drawn row by row.
 * Column j's setup starts at setup + stride * j doubles: [flip, bound, px_0 .. px_bound], where
 * px_0 = q^n and px_k = ((n - k + 1) p px_{k-1}) / (k q) are the probabilities numpy's loop
 * computes (precomputed by the caller in the same arithmetic), and flip = 1 means the draw is n - X.
 */
export function rng_binomial(
  state: usize,
  out: usize,
  rows: i32,
  cols: i32,
  trials: f64,
  setup: usize,
  stride: i32,
): void {
  enter(state);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const s = setup + ((<usize>(stride * j)) << 3);
      const bound = <i32>load<f64>(s, 8);
      let x = 0;
      if (bound >= 0) x = inversion(s + 16, bound);
      store<f64>(out + ((<usize>(j * rows + i)) << 3), load<f64>(s) != 0 ? trials - <f64>x : <f64>x);
    }
  }
  leave(state);
}

/**
 * One draw of numpy's inversion loop (`while U > px: U -= px; X++; restart past bound`) without
 * data-dependent branches: all bound + 1 steps run, and X counts the steps taken while U stayed
 * above px_k. The comparisons and subtractions are numpy's, in its order, so the draws are the same.
 */
@inline
function inversion(px: usize, bound: i32): i32 {
  while (true) {
    let u = nextDouble();
    let x = 0;
    let alive = 1;
    for (let k = 0; k <= bound; k++) {
      const p = load<f64>(px + ((<usize>k) << 3));
      alive &= <i32>(u > p);
      x += alive;
      u -= p;
    }
    if (x <= bound) return x;
  }
  return unreachable();
}
