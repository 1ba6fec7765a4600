import { eiselLemire64 } from "./eisel-lemire";

// Lines of a delimited numeric file parsed from bytes straight into column-major f64 columns: the
// fast path under src/io/byte-rows.ts (ByteRows.line stays the reference). A line is taken only
// when every field is a case handled here exactly as ByteRows.line handles it: a wanted field is a
// decimal number of decimal.ts's grammar (`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`) with at most 19
// significant digits whose value Clinger's fast path or Eisel-Lemire decides, optionally between
// spaces, \t, \v or \f (what String.prototype.trim trims among ASCII bytes that are not row
// delimiters, the field delimiter aside); an unwanted field is anything without a double quote;
// the line has exactly `width` fields and ends with \n, \r\n or \r. The kernel stops BEFORE the
// first line that is not such a line, before an unfinished line at the end of the buffer (a final
// \r too: it may be half of \r\n), and at the row limit; TypeScript takes that line and calls again.
// see: Lemire, "Number Parsing at a Gigabyte per Second", SPE 51 (2021), and fast_float's
// parse_eight_digits_unrolled (eight digits per 64-bit word); simdcsv's v128 byte classification.
// The SIMD variant scans unwanted fields 16 bytes at a time; `read_lines_scalar` is its twin.

const LF: u32 = 0x0a;
const CR: u32 = 0x0d;
const QUOTE: u32 = 0x22;
const PLUS: u32 = 0x2b;
const MINUS: u32 = 0x2d;
const DOT: u32 = 0x2e;
const ZERO: u32 = 0x30;

/** Significant digits that fit the exact integer of Clinger's path (< 2^53) and of Eisel-Lemire (< 2^64). */
const CLINGER_DIGITS: i32 = 15;
const MAX_DIGITS: i32 = 19;
/** Written exponent digits stop accumulating past this value, as in decimal.ts (EXP_CAP). */
const EXP_CAP: i32 = 100_000;

/** Why `read_lines` stopped. */
const READ_END: i32 = 0; // the buffer is used up, but for an unfinished last line
const READ_REFUSED: i32 = 1; // at a line the TypeScript path must take
const READ_FULL: i32 = 2; // `maxRows` rows taken

/** Sentinels of `line` (real positions are addresses in the scratch block, far above them). */
const REFUSED: usize = 0;
const UNFINISHED: usize = 1;

/** Bytes of the static block the reader copies its slot table and lines into (zero pages cost nothing until used). */
const SCRATCH_BYTES: i32 = 512 << 10;
const scratch: usize = memory.data(SCRATCH_BYTES, 16);

/** 10^0 .. 10^22, each exact in a double. */
const POW10F: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
/** 10^0 .. 10^8 as integers, to append a run of up to eight digits. */
const POW10U: StaticArray<u64> = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

/** Rows taken and the offset where the last call stopped. */
let rowsTaken: i32 = 0;
let stopAt: i32 = 0;
/** The last field's value, and its significant digits (value, count) while it is parsed. */
let parsed: f64 = 0;
let acc: u64 = 0;
let sig: i32 = 0;

/** The address of the reader's static scratch block (`read_scratch_bytes` long, 16-byte aligned). */
export function read_scratch(): usize {
  return scratch;
}

/** The size of the scratch block in bytes. */
export function read_scratch_bytes(): i32 {
  return SCRATCH_BYTES;
}

/** Data rows the last `read_lines` took. */
export function read_lines_rows(): i32 {
  return rowsTaken;
}

/** The offset in `buf` where the last `read_lines` stopped: the start of the first line it did not take. */
export function read_lines_stop(): i32 {
  return stopAt;
}

/**
 * Parses the lines of `buf[0..len)` into columns: field f of data row r goes to
 * `cols + (slots[f] * stride + row0 + r) * 8` when `slots[f]` (i32) >= 0. `width` fields per line,
 * at most `maxRows` rows. Returns READ_END (0), READ_REFUSED (1) or READ_FULL (2); the rows taken
 * and where it stopped are read by `read_lines_rows` and `read_lines_stop`. A slot table with no
 * wanted field takes nothing (an all-unwanted line may be blank, which only TypeScript decides).
 */
export function read_lines(
  buf: usize,
  len: i32,
  delimiter: u32,
  slots: usize,
  width: i32,
  cols: usize,
  stride: i32,
  row0: i32,
  maxRows: i32,
): i32 {
  return readLines(buf, len, delimiter, slots, width, cols, stride, row0, maxRows, true);
}

/** Scalar twin of `read_lines`. */
export function read_lines_scalar(
  buf: usize,
  len: i32,
  delimiter: u32,
  slots: usize,
  width: i32,
  cols: usize,
  stride: i32,
  row0: i32,
  maxRows: i32,
): i32 {
  return readLines(buf, len, delimiter, slots, width, cols, stride, row0, maxRows, false);
}

function readLines(
  buf: usize,
  len: i32,
  delimiter: u32,
  slots: usize,
  width: i32,
  cols: usize,
  stride: i32,
  row0: i32,
  maxRows: i32,
  simd: bool,
): i32 {
  const end = buf + <usize>len;
  let pos = buf;
  let rows = 0;
  let status = READ_END;
  if (!anyWanted(slots, width)) status = READ_REFUSED;
  while (status == READ_END && pos < end) {
    if (rows >= maxRows) {
      status = READ_FULL;
      break;
    }
    const rowAt = cols + ((<usize>(row0 + rows)) << 3);
    const next = line(pos, end, delimiter, slots, width, rowAt, (<usize>stride) << 3, simd);
    // A line cut by the buffer's end may look refused ("1e" of "1e5"): only a whole line is.
    if (next == REFUSED && ended(pos, end)) status = READ_REFUSED;
    else if (next <= UNFINISHED) break;
    else {
      rows++;
      pos = next;
    }
  }
  rowsTaken = rows;
  stopAt = <i32>(pos - buf);
  return status;
}

/** Whether a row delimiter follows q before `end`. */
function ended(q: usize, end: usize): bool {
  for (let p = q; p < end; p++) {
    const c = <u32>load<u8>(p);
    if (c == LF || c == CR) return true;
  }
  return false;
}

/** Whether any of the `width` slots is wanted. */
function anyWanted(slots: usize, width: i32): bool {
  for (let f = 0; f < width; f++) if (load<i32>(slots + ((<usize>f) << 2)) >= 0) return true;
  return false;
}

/**
 * Takes the line at `q`, writing wanted field values at `rowAt + slot * colBytes`; returns the
 * start of the next line, REFUSED or UNFINISHED.
 */
function line(
  start: usize,
  end: usize,
  delimiter: u32,
  slots: usize,
  width: i32,
  rowAt: usize,
  colBytes: usize,
  simd: bool,
): usize {
  let q = start;
  for (let f = 0; ; ) {
    // Eight one-digit fields, each followed by the delimiter (genotype files), in one step.
    if (
      simd &&
      f + 8 < width &&
      q + 16 <= end &&
      eightGenotypes(q, delimiter, slots + ((<usize>f) << 2), rowAt, colBytes)
    ) {
      f += 8;
      q += 16;
      continue;
    }
    const slot = load<i32>(slots + ((<usize>f) << 2));
    if (slot >= 0) {
      q = field(q, end, delimiter);
      if (q == REFUSED) return REFUSED;
      store<f64>(rowAt + <usize>slot * colBytes, parsed);
    } else {
      q = skip(q, end, delimiter, simd);
      if (q == REFUSED) return REFUSED;
    }
    if (q >= end) return UNFINISHED;
    // `field` and `skip` stop only at the delimiter, \n or \r.
    const c = <u32>load<u8>(q);
    if (c == delimiter) {
      if (++f == width) return REFUSED;
      q++;
      continue;
    }
    if (f != width - 1) return REFUSED;
    if (c == CR) {
      if (q + 1 >= end) return UNFINISHED;
      if (<u32>load<u8>(q, 1) == LF) q++;
    }
    return q + 1;
  }
}

/**
 * When the 16 bytes at q are eight (digit, delimiter) pairs: writes the digits of the wanted fields
 * among the next eight (slot table at `slots`) and returns true; else writes nothing.
 */
function eightGenotypes(q: usize, delimiter: u32, slots: usize, rowAt: usize, colBytes: usize): bool {
  const v = v128.load(q);
  const d = i8x16.sub(v, i8x16.splat(<i8>ZERO));
  const isDigit = i8x16.lt_u(d, i8x16.splat(10));
  const isDelimiter = i8x16.eq(v, i8x16.splat(<i8>delimiter));
  const even = i16x8.splat(0x00ff);
  if (!i8x16.all_true(v128.bitselect(isDigit, isDelimiter, even))) return false;
  genotype(slots, 0, i8x16.extract_lane_u(d, 0), rowAt, colBytes);
  genotype(slots, 1, i8x16.extract_lane_u(d, 2), rowAt, colBytes);
  genotype(slots, 2, i8x16.extract_lane_u(d, 4), rowAt, colBytes);
  genotype(slots, 3, i8x16.extract_lane_u(d, 6), rowAt, colBytes);
  genotype(slots, 4, i8x16.extract_lane_u(d, 8), rowAt, colBytes);
  genotype(slots, 5, i8x16.extract_lane_u(d, 10), rowAt, colBytes);
  genotype(slots, 6, i8x16.extract_lane_u(d, 12), rowAt, colBytes);
  genotype(slots, 7, i8x16.extract_lane_u(d, 14), rowAt, colBytes);
  return true;
}

/** Writes `digit`, field k of the eight, to its column when that field is wanted. */
function genotype(slots: usize, k: i32, digit: u32, rowAt: usize, colBytes: usize): void {
  const slot = load<i32>(slots + ((<usize>k) << 2));
  if (slot >= 0) store<f64>(rowAt + <usize>slot * colBytes, <f64>digit);
}

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
function field(start: usize, end: usize, delimiter: u32): usize {
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

/**
 * An unwanted field at q: returns where it ends (the delimiter, \n, \r, or `end`), or REFUSED at a
 * double quote (the line is fast-csv's). With `simd`, 16 bytes per step.
 */
function skip(start: usize, end: usize, delimiter: u32, simd: bool): usize {
  let q = start;
  if (simd) {
    const d = i8x16.splat(<i8>delimiter);
    const lf = i8x16.splat(<i8>LF);
    const cr = i8x16.splat(<i8>CR);
    const quote = i8x16.splat(<i8>QUOTE);
    while (q + 16 <= end) {
      const v = v128.load(q);
      const hit = v128.or(v128.or(i8x16.eq(v, d), i8x16.eq(v, lf)), v128.or(i8x16.eq(v, cr), i8x16.eq(v, quote)));
      const bits = i8x16.bitmask(hit);
      if (bits != 0) {
        q += <usize>ctz(bits);
        return <u32>load<u8>(q) == QUOTE ? REFUSED : q;
      }
      q += 16;
    }
  }
  for (; q < end; q++) {
    const c = <u32>load<u8>(q);
    if (c == QUOTE) return REFUSED;
    if (c == delimiter || c == LF || c == CR) return q;
  }
  return q;
}
