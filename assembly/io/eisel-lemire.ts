import { mulhi } from "../pcg64";
import { POW10_HI, POW10_LO, POW10_MAX_EXP10, POW10_MIN_EXP10 } from "./pow10-table";

// The Eisel-Lemire algorithm: the correctly rounded double nearest to man * 10^exp10 for a 64-bit
// mantissa, or NaN where the 128-bit approximation cannot decide (and for zero, subnormal and
// infinite results), which the caller then hands to a full decimal conversion (JavaScript's Number()).
// see: Lemire, "Number Parsing at a Gigabyte per Second", Software: Practice and Experience 51
// (2021); Go's strconv/eisel_lemire.go (eiselLemire64), whose steps this follows line by line.
// Scalar by nature (one number per call): no SIMD twin.

/**
 * The double nearest to (hi * 2^32 + lo) * 10^exp10, negated when `negative` is non-zero; NaN
 * when undecided. hi and lo are the mantissa's unsigned 32-bit halves, not both zero.
 */
export function eisel_lemire(hi: u32, lo: u32, exp10: i32, negative: i32): f64 {
  return eiselLemire64(((<u64>hi) << 32) | <u64>lo, exp10, negative != 0);
}

/** `eisel_lemire` on the whole 64-bit mantissa, for kernels in the core (read-lines.ts). */
export function eiselLemire64(mantissa64: u64, exp10: i32, negative: bool): f64 {
  if (exp10 < POW10_MIN_EXP10 || exp10 > POW10_MAX_EXP10) return NaN;
  let man = mantissa64;
  if (man == 0) return NaN;
  const zeros = <i64>clz<u64>(man);
  man <<= zeros;
  let retExp2: i64 = <i64>((217706 * exp10) >> 16) + 64 + 1023 - zeros;
  const row = exp10 - POW10_MIN_EXP10;
  const powHi = unchecked(POW10_HI[row]);
  let xHi = mulhi(man, powHi);
  let xLo = man * powHi;
  // Wider approximation: the high product is within 1/512 of a halfway point.
  if ((xHi & 0x1ff) == 0x1ff && xLo + man < man) {
    const powLo = unchecked(POW10_LO[row]);
    const yHi = mulhi(man, powLo);
    const yLo = man * powLo;
    let mergedHi = xHi;
    const mergedLo = xLo + yHi;
    if (mergedLo < xLo) mergedHi++;
    if ((mergedHi & 0x1ff) == 0x1ff && mergedLo + 1 == 0 && yLo + man < man) return NaN;
    xHi = mergedHi;
    xLo = mergedLo;
  }
  // Shifting to 54 bits.
  const msb = xHi >> 63;
  let mantissa = xHi >> (msb + 9);
  retExp2 -= <i64>(1 ^ msb);
  // Half-way ambiguity.
  if (xLo == 0 && (xHi & 0x1ff) == 0 && (mantissa & 3) == 1) return NaN;
  // From 54 to 53 bits.
  mantissa += mantissa & 1;
  mantissa >>= 1;
  if (mantissa >> 53 > 0) {
    mantissa >>= 1;
    retExp2++;
  }
  if (retExp2 <= 0 || retExp2 >= 0x7ff) return NaN;
  let bits = ((<u64>retExp2) << 52) | (mantissa & 0x000fffffffffffff);
  if (negative) bits |= 0x8000000000000000;
  return reinterpret<f64>(bits);
}
