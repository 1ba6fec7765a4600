import { eiselLemire64 } from "./eisel-lemire";

// One wanted field of a line, parsed from bytes as src/io/decimal.ts parses it (the same grammar,
// the same significant digits and exponent, the same choice of Clinger's path or Eisel-Lemire),
// for read-lines.ts. It refuses what decimal.ts hands to Number() and anything not a number.
// see: fast_float's parse_eight_digits_unrolled (eight digits per 64-bit word).

const LF: u32 = 0x0a;
const CR: u32 = 0x0d;
const PLUS: u32 = 0x2b;
const MINUS: u32 = 0x2d;
const DOT: u32 = 0x2e;
const ZERO: u32 = 0x30;

/** Significant digits that fit the exact integer of Clinger's path (< 2^53) and of Eisel-Lemire (< 2^64). */
const CLINGER_DIGITS: i32 = 15;
const MAX_DIGITS: i32 = 19;
/** Written exponent digits stop accumulating past this value, as in decimal.ts (EXP_CAP). */
const EXP_CAP: i32 = 100_000;

/** 10^0 .. 10^22, each exact in a double. */
const POW10F: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
/** 10^0 .. 10^8 as integers, to append a run of up to eight digits. */
const POW10U: StaticArray<u64> = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

/** `field`'s result for anything it refuses (real positions are addresses far above it). */
export const REFUSED: usize = 0;

/** The last field's value, and its significant digits (value, count) while it is parsed. */
export let parsed: f64 = 0;
let acc: u64 = 0;
let sig: i32 = 0;

/** The byte at q, or 0 past the end (0 is no part of any number, space or delimiter). */
function at(q: usize, end: usize): u32 {
  return q < end ? <u32>load<u8>(q) : 0;
}

/** What String.prototype.trim removes among ASCII bytes inside a line, the delimiter aside. */
function isSpace(c: u32, delimiter: u32): bool {
  return (c == 0x20 || c == 0x09 || c == 0x0b || c == 0x0c) && c != delimiter;
}

function isDigit(c: u32): bool {
  return c - ZERO <= 9;
}

/**
 * A wanted field at q: its value in `parsed`; returns where it ends (at the delimiter, \n or \r, or
 * `end`), or REFUSED for anything but a number of the kernel's cases.
 */
export function field(start: usize, end: usize, delimiter: u32): usize {
  let q = start;
  let c = at(q, end);
  // The commonest cell of genotype files: one digit, then the delimiter.
  if (isDigit(c) && q + 1 < end && <u32>load<u8>(q, 1) == delimiter) {
    parsed = <f64>(c - ZERO);
    return q + 1;
  }
  while (isSpace(c, delimiter)) c = at(++q, end);
  const negative = c == MINUS;
  if (negative || c == PLUS) c = at(++q, end);
  acc = 0;
  sig = 0;
  const intStart = q;
  while (c == ZERO) c = at(++q, end);
  q = digits(q, end);
  if (q == REFUSED) return REFUSED;
  let mantissa = <i32>(q - intStart);
  let exp: i32 = 0;
  c = at(q, end);
  if (c == DOT) {
    const fracStart = ++q;
    if (acc == 0) while (at(q, end) == ZERO) q++;
    q = digits(q, end);
    if (q == REFUSED) return REFUSED;
    exp = -(<i32>(q - fracStart));
    mantissa -= exp;
    c = at(q, end);
  }
  if (mantissa == 0) return REFUSED;
  if ((c | 0x20) == 0x65) {
    c = at(++q, end);
    const minus = c == MINUS;
    if (minus || c == PLUS) c = at(++q, end);
    if (!isDigit(c)) return REFUSED;
    let written: i32 = 0;
    while (isDigit(c)) {
      if (written < EXP_CAP) written = written * 10 + <i32>(c - ZERO);
      c = at(++q, end);
    }
    exp += minus ? -written : written;
  }
  while (isSpace(c, delimiter)) c = at(++q, end);
  if (q < end && c != delimiter && c != LF && c != CR) return REFUSED;
  const v = value(negative, exp);
  if (Number.isNaN(v)) return REFUSED; // undecided: Number() decides in TypeScript
  parsed = v;
  return q;
}

/**
 * The correctly rounded sign * acc * 10^exp, as decimal.ts's `value` gives it: zero, Clinger's
 * path (<= 15 digits, |exp| <= 22), else Eisel-Lemire; NaN when undecided.
 */
function value(negative: bool, exp: i32): f64 {
  if (acc == 0) return negative ? -0.0 : 0.0;
  if (sig <= CLINGER_DIGITS && exp >= -22 && exp <= 22) {
    let v = <f64>acc;
    v = exp >= 0 ? v * unchecked(POW10F[exp]) : v / unchecked(POW10F[-exp]);
    return negative ? -v : v;
  }
  return eiselLemire64(acc, exp, negative);
}

/**
 * Appends the run of digits at q to (acc, sig), eight at a time where eight bytes remain; returns
 * where the run ends, or REFUSED past 19 significant digits (decimal.ts then calls Number()).
 * Call with acc = 0 only at a non-zero digit: leading zeros are not significant.
 */
function digits(start: usize, end: usize): usize {
  let q = start;
  while (q + 8 <= end) {
    const x = load<u64>(q);
    const k = leadingDigits(x);
    if (k == 0) return q;
    sig += k;
    if (sig > MAX_DIGITS) return REFUSED;
    acc = acc * unchecked(POW10U[k]) + eightDigits(x, k);
    q += <usize>k;
    if (k < 8) return q;
  }
  for (let c = at(q, end); isDigit(c); c = at(++q, end)) {
    if (++sig > MAX_DIGITS) return REFUSED;
    acc = acc * 10 + <u64>(c - ZERO);
  }
  return q;
}

/** How many of the 8 bytes of x (first byte lowest) are ASCII digits before the first that is not. */
function leadingDigits(x: u64): i32 {
  const t = x ^ 0x3030303030303030;
  // A byte is a digit iff t < 10: neither its high bit nor that of (t & 0x7f) + 0x76 is set (no carries).
  const other = (t | ((t & 0x7f7f7f7f7f7f7f7f) + 0x7676767676767676)) & 0x8080808080808080;
  return <i32>(ctz(other) >> 3);
}

/** The number the first k (1..8) bytes of x spell, all digits: fast_float's parse_eight_digits_unrolled. */
function eightDigits(x: u64, k: i32): u64 {
  // Shifting the other bytes out leaves zeros in front: k digits read as an 8-digit number.
  let v = (x - 0x3030303030303030) << (<u64>(64 - (k << 3)));
  v = v * 10 + (v >> 8);
  v =
    ((v & 0x000000ff000000ff) * (100 + (1000000 << 32)) + ((v >> 16) & 0x000000ff000000ff) * (1 + (10000 << 32))) >> 32;
  return v & 0xffffffff;
}
