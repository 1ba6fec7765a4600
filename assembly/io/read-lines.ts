import { field, parsed, REFUSED } from "./decimal-field";

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
// The SIMD variant scans unwanted fields 16 bytes at a time and takes eight one-digit fields per
// step; `read_lines_scalar` is its twin. Numbers are parsed by decimal-field.ts.

const LF: u32 = 0x0a;
const CR: u32 = 0x0d;
const QUOTE: u32 = 0x22;

/** Why `read_lines` stopped. */
const READ_END: i32 = 0; // the buffer is used up, but for an unfinished last line
const READ_REFUSED: i32 = 1; // at a line the TypeScript path must take
const READ_FULL: i32 = 2; // `maxRows` rows taken

/** `line`'s sentinel for an unfinished line (REFUSED is 0; real positions are far above both). */
const UNFINISHED: usize = 1;

/** Bytes of the static block the reader copies its slot table and lines into (zero pages cost nothing until used). */
const SCRATCH_BYTES: i32 = 512 << 10;
const scratch: usize = memory.data(SCRATCH_BYTES, 16);

/** Rows taken and the offset where the last call stopped. */
let rowsTaken: i32 = 0;
let stopAt: i32 = 0;

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
  const d = i8x16.sub(v, i8x16.splat(0x30));
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
