/**
 * Decimal numbers read straight from bytes, correctly rounded to the nearest double as `Number()`
 * and strtod round them, for the grammar data files use (`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`,
 * the one `cellValue` in columns.ts accepts): no hex, binary, octal, `Infinity`, `NaN` or `_`.
 *
 * Three paths, each correctly rounded, so the value never depends on which one runs:
 * - Clinger (1990, "How to read floating point numbers accurately"; fast_float's and Go's first
 *   path): with at most 15 significant digits the digits form an integer w < 10^15 < 2^53, exact
 *   in a double, and for |e| <= 22 the power 10^|e| is exact too, so w * 10^e or w / 10^-e is one
 *   correctly rounded IEEE operation on exact operands.
 * - Eisel-Lemire (the core's assembly/io/eisel-lemire.ts, 64-bit integer multiplies) for up to
 *   19 significant digits and exponents to +-348: the 16-17 digits of shortest round-trip output.
 * - `Number()` on the already-validated ASCII text (correctly rounded by the ECMAScript
 *   specification) for the rest: 20+ digits, subnormal, zero and infinite results, and the rare
 *   halfway cases Eisel-Lemire leaves undecided.
 */

/** 10^0 .. 10^22: every one exact in a double (10^22 = 2^22 * 5^22 and 5^22 < 2^53). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Significant digits that fit in the fast path's exact integer. */
const MAX_DIGITS = 15;

/** Significant digits that fit in Eisel-Lemire's 64-bit mantissa (10^19 < 2^64). */
const MAX_EXACT = 19;

/** Exponent digits beyond this value only decide between 0 and Infinity: Number() does that. */
const EXP_CAP = 100_000;

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const UPPER_E = 0x45;
const LOWER_E = 0x65;

import { getCore } from "../core/load.js";

/** The value of the last `scanDecimal` that matched the grammar (NaN when it did not). */
export let scanned = Number.NaN;

/**
 * Reads the longest prefix of `b[at..end)` that could be a decimal number and returns the index
 * after it; `scanned` is its value, or NaN when that prefix is not a whole decimal number (e.g.
 * ".", "-", "1e", "e5"). The caller checks that the number ends where the field ends: "1.2.3"
 * scans "1.2" and stops at the second point. The value may be +-Infinity for exponents like 1e400.
 */
export function scanDecimal(b: Uint8Array, at: number, end: number): number {
  let i = at;
  let c = i < end ? (b[i] as number) : 0;
  const negative = c === MINUS;
  if (negative || c === PLUS) c = ++i < end ? (b[i] as number) : 0;
  let w = 0; // the first 15 significant digits
  let extra = 0; // significant digits 16 to 19
  let digits = 0; // significant digits in w and extra (leading zeros are not significant)
  let dropped = 0; // significant digits beyond 19: the text goes to Number()
  let exp = 0; // decimal exponent of w's last digit, before the written exponent
  let mantissa = 0; // digits written, significant or not
  while (c >= ZERO && c <= NINE) {
    if (digits < MAX_DIGITS) {
      if (w !== 0 || c !== ZERO) {
        w = w * 10 + (c - ZERO);
        digits++;
      }
    } else if (digits < MAX_EXACT) {
      extra = extra * 10 + (c - ZERO);
      digits++;
    } else dropped++;
    mantissa++;
    c = ++i < end ? (b[i] as number) : 0;
  }
  if (c === DOT) {
    c = ++i < end ? (b[i] as number) : 0;
    while (c >= ZERO && c <= NINE) {
      if (digits < MAX_DIGITS) {
        if (w !== 0 || c !== ZERO) {
          w = w * 10 + (c - ZERO);
          digits++;
        }
        exp--;
      } else if (digits < MAX_EXACT) {
        extra = extra * 10 + (c - ZERO);
        digits++;
        exp--;
      } else dropped++;
      mantissa++;
      c = ++i < end ? (b[i] as number) : 0;
    }
  }
  if (mantissa === 0) {
    scanned = Number.NaN;
    return i;
  }
  if (c === LOWER_E || c === UPPER_E) {
    let j = i + 1;
    let e = j < end ? (b[j] as number) : 0;
    const minus = e === MINUS;
    if (minus || e === PLUS) e = ++j < end ? (b[j] as number) : 0;
    if (!(e >= ZERO && e <= NINE)) {
      // "1e" or "1e+": not a number, and the field does not end at i either.
      scanned = Number.NaN;
      return j;
    }
    let written = 0;
    while (e >= ZERO && e <= NINE) {
      if (written < EXP_CAP) written = written * 10 + (e - ZERO);
      e = ++j < end ? (b[j] as number) : 0;
    }
    exp += minus ? -written : written;
    i = j;
  }
  scanned = dropped > 0 ? Number.NaN : value(negative, w, extra, digits, exp);
  if (Number.isNaN(scanned)) scanned = Number(latin1(b, at, i));
  return i;
}

/** The core's Eisel-Lemire kernel (64-bit integer multiplies), taken when first needed. */
let kernel: ((hi: number, lo: number, exp10: number, negative: number) => number) | null = null;

/** Eisel-Lemire on the mantissa hi * 2^32 + lo: the correctly rounded value, or NaN when undecided. */
function eiselLemire(hi: number, lo: number, exp10: number, negative: boolean): number {
  kernel ??= getCore().wasm.eisel_lemire;
  return kernel(hi, lo, exp10, negative ? 1 : 0);
}

/**
 * The correctly rounded value of sign * m * 10^exp, m = w * 10^(digits - 15) + extra: by
 * Clinger's fast path, else Eisel-Lemire; NaN when neither decides (Number() then does).
 */
function value(negative: boolean, w: number, extra: number, digits: number, exp: number): number {
  if (w === 0) return negative ? -0 : 0;
  if (digits <= MAX_DIGITS) {
    if (exp >= -22 && exp <= 22) {
      const v = exp >= 0 ? w * (POW10[exp] as number) : w / (POW10[-exp] as number);
      return negative ? -v : v;
    }
    const hi = Math.floor(w / 2 ** 32);
    return eiselLemire(hi, w - hi * 2 ** 32, exp, negative);
  }
  // m < 10^19 < 2^64 in 32-bit halves: w < 2^50 splits as a * 2^32 + b, and b * 10^k + extra < 2^46.
  const scale = POW10[digits - MAX_DIGITS] as number;
  const a = Math.floor(w / 2 ** 32);
  const low = (w - a * 2 ** 32) * scale + extra;
  const carry = Math.floor(low / 2 ** 32);
  return eiselLemire(a * scale + carry, low - carry * 2 ** 32, exp, negative);
}

/** Node's one-character-per-byte decoder, called on the bytes without wrapping them in a Buffer. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, from: number, to: number): string })
  .latin1Slice;

/** The bytes as a string, one character per byte (the text is ASCII here). */
function latin1(b: Uint8Array, from: number, to: number): string {
  return latin1Slice.call(b, from, to);
}

/**
 * The number `b[from..to)` spells, exactly as a whole: a finite decimal number, or NaN for
 * anything else (empty, "NA", "0x1F", "Infinity", "1e400", " 1"). Equal to `cellValue` on the text.
 */
export function parseDecimal(b: Uint8Array, from: number, to: number): number {
  const stop = scanDecimal(b, from, to);
  return stop === to && Number.isFinite(scanned) ? scanned : Number.NaN;
}
