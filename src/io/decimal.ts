/**
 * Decimal numbers read straight from bytes, correctly rounded to the nearest double as `Number()`
 * and strtod round them, for the grammar data files use (`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`,
 * the one `cellValue` in columns.ts accepts): no hex, binary, octal, `Infinity`, `NaN` or `_`.
 *
 * Fast path (Clinger 1990, "How to read floating point numbers accurately"; the same path as
 * fast_float and Go's strconv): with at most 15 significant digits the digits form an integer w <
 * 10^15 < 2^53, exact in a double, and for |e| <= 22 the power 10^|e| is exact too, so w * 10^e or
 * w / 10^-e is one correctly rounded IEEE operation on exact operands: the correctly rounded
 * value. Anything else (16+ significant digits, larger exponents) is handed to `Number()` on the
 * already-validated ASCII text, which is correctly rounded by the ECMAScript specification.
 */

/** 10^0 .. 10^22: every one exact in a double (10^22 = 2^22 * 5^22 and 5^22 < 2^53). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Significant digits that fit in the fast path's exact integer. */
const MAX_DIGITS = 15;

/** Exponent digits beyond this value only decide between 0 and Infinity: Number() does that. */
const EXP_CAP = 100_000;

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const UPPER_E = 0x45;
const LOWER_E = 0x65;

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
  let w = 0;
  let digits = 0; // significant digits in w (leading zeros are not significant)
  let dropped = 0; // significant digits not in w: the text goes to Number()
  let exp = 0; // decimal exponent of w's last digit, before the written exponent
  let mantissa = 0; // digits written, significant or not
  while (c >= ZERO && c <= NINE) {
    if (digits < MAX_DIGITS) {
      if (w !== 0 || c !== ZERO) {
        w = w * 10 + (c - ZERO);
        digits++;
      }
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
  scanned = value(b, at, i, negative, w, exp, dropped);
  return i;
}

/** The correctly rounded value of sign * w * 10^exp, or of the text when the fast path does not apply. */
function value(b: Uint8Array, from: number, to: number, negative: boolean, w: number, exp: number, dropped: number) {
  if (w === 0 && dropped === 0) return negative ? -0 : 0;
  if (dropped === 0 && exp >= -22 && exp <= 22) {
    const v = exp >= 0 ? w * (POW10[exp] as number) : w / (POW10[-exp] as number);
    return negative ? -v : v;
  }
  return Number(latin1(b, from, to));
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
