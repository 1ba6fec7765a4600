// PLINK 1 .bed genotypes decoded into a Float64 column: each byte holds four people's 2-bit codes,
// the first person in the lowest bits. Code 00 is two copies of A1, 01 missing (NaN), 10 one copy,
// 11 none: the codes are not the counts in binary.
// see: https://www.cog-genomics.org/plink/1.9/formats#bed

/** Dosage of each 2-bit code. */
const DOSAGE: usize = memory.data<f64>([2.0, NaN, 1.0, 0.0]);

/** The two dosages of each 4-bit pair of codes, as one v128 (the lower code first). */
const PAIRS: usize = memory.data<f64>([
  2.0,
  2.0,
  NaN,
  2.0,
  1.0,
  2.0,
  0.0,
  2.0,
  2.0,
  NaN,
  NaN,
  NaN,
  1.0,
  NaN,
  0.0,
  NaN,
  2.0,
  1.0,
  NaN,
  1.0,
  1.0,
  1.0,
  0.0,
  1.0,
  2.0,
  0.0,
  NaN,
  0.0,
  1.0,
  0.0,
  0.0,
  0.0,
]);

/**
 * Decodes the n genotypes of one variant's ceil(n / 4) bytes at `bytes` into n doubles at `out`;
 * the bits after the last person are padding and ignored. Returns how many are missing.
 */
export function plink_decode(bytes: usize, n: i32, out: usize): i32 {
  const whole = n >> 2;
  for (let k = 0; k < whole; k++) {
    const b = <usize>load<u8>(bytes + <usize>k);
    const o = out + ((<usize>k) << 5);
    v128.store(o, v128.load(PAIRS + ((b & 15) << 4)));
    v128.store(o, v128.load(PAIRS + ((b >> 4) << 4)), 16);
  }
  for (let i = whole << 2; i < n; i++) {
    const code = (<usize>load<u8>(bytes + <usize>(i >> 2)) >> ((<usize>(i & 3)) << 1)) & 3;
    store<f64>(out + ((<usize>i) << 3), load<f64>(DOSAGE + (code << 3)));
  }
  return missing(bytes, n);
}

/** `plink_decode` one code at a time: its scalar twin. */
export function plink_decode_scalar(bytes: usize, n: i32, out: usize): i32 {
  for (let i = 0; i < n; i++) {
    const code = (<usize>load<u8>(bytes + <usize>(i >> 2)) >> ((<usize>(i & 3)) << 1)) & 3;
    store<f64>(out + ((<usize>i) << 3), load<f64>(DOSAGE + (code << 3)));
  }
  return missing(bytes, n);
}

/** People whose code is 01 (missing) among the first n. */
function missing(bytes: usize, n: i32): i32 {
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (((<u32>load<u8>(bytes + <usize>(i >> 2)) >> ((<u32>(i & 3)) << 1)) & 3) == 1) count++;
  }
  return count;
}
