import type { MrsweepError } from "../errors.js";
import { booleanCell } from "./booleans.js";
import type { ColumnSink } from "./column-sink.js";
import { cellValue } from "./columns.js";
import { scanDecimal, scanned } from "./decimal.js";
import { LineKernel } from "./line-kernel.js";
import type { RowShapeCheck } from "./row-check.js";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Data rows parsed straight from bytes into a ColumnSink, with the row semantics of fast-csv's
 * parser as readTable configures it (`trim: true`, `ignoreEmpty: false`): rows end at \r\n, \n or
 * \r; fields split at the delimiter and are trimmed as String.prototype.trim trims; a line with no
 * delimiter and nothing but whitespace is an empty row (no fields). Quoted fields are not handled
 * here: `rows` stops before the first line with a double quote, and the caller hands the rest of
 * the file to fast-csv.
 */
export class ByteRows {
  /** The field index -> slot in the sink (-1: a column not wanted). */
  private readonly slots: Int32Array;
  /** The field index -> text column in the sink (-1: not kept as text). */
  private readonly textSlots: Int32Array;
  /** Bad cells of the current row, recorded only once the row proves to be data: [slot, text]. */
  private readonly pending: Array<[number, string]> = [];
  /** Per sink slot, 1 where a boolean cell (TRUE, false, T, ...) reads as 1 or 0. */
  private readonly booleans: Uint8Array;
  /** Bytes consumed before the current buffer, for the sink's size estimate. */
  consumed = 0;
  /** The core's line kernel, when the sink's columns live in the core and no field is kept as text. */
  private readonly kernel: LineKernel | null;
  /** Lines left to TypeScript before the kernel is tried again, and the next such stretch. */
  private pause = 0;
  private backoff = 1;

  constructor(
    private readonly delimiter: number,
    slots: readonly number[],
    private readonly sink: ColumnSink,
    private readonly check: RowShapeCheck,
    textSlots: readonly number[] = [],
    booleanSlots: readonly number[] = [],
  ) {
    this.slots = Int32Array.from(slots);
    this.booleans = Uint8Array.from(sink.wanted, (_, slot) => (booleanSlots.includes(slot) ? 1 : 0));
    this.textSlots = Int32Array.from(slots, (_, j) => textSlots[j] ?? -1);
    const core = sink.core;
    this.kernel =
      core === undefined || this.textSlots.some((t) => t >= 0) ? null : LineKernel.for(core, delimiter, this.slots);
  }

  /**
   * Parses the complete lines of `b[from..to)` (`to` just after a row delimiter, or the end of the
   * file). Returns where it stopped: `to`, or the start of the first line holding a double quote.
   * Throws the first shape error. With the core's line kernel, runs of plain lines go to it and
   * `line` takes each line it leaves (bad cells, quotes, shape errors, the row limit).
   */
  rows(b: Uint8Array, from: number, to: number): number {
    const kernel = this.kernel;
    if (kernel === null) return this.lines(b, from, to);
    kernel.begin();
    let pos = from;
    while (pos < to) {
      // After an empty line, a row of data is an error that only `line` reports.
      if (this.check.holdsEmptyLine) return this.lines(b, pos, to);
      if (this.pause > 0) this.pause--;
      else {
        pos = this.fast(kernel, b, pos, to);
        if (pos >= to) break;
      }
      const next = this.oneLine(b, pos, to);
      if (next === pos) return pos;
      pos = next;
    }
    return to;
  }

  /** The lines of `b[from..to)` one by one in TypeScript (see `rows`). */
  private lines(b: Uint8Array, from: number, to: number): number {
    let pos = from;
    let quote = indexOf(b, QUOTE, pos, to);
    let lf = indexOf(b, LF, pos, to);
    let cr = indexOf(b, CR, pos, to);
    while (pos < to) {
      if (lf < pos) lf = indexOf(b, LF, pos, to);
      if (cr < pos) cr = indexOf(b, CR, pos, to);
      const end = Math.min(lf, cr);
      if (quote < pos) quote = indexOf(b, QUOTE, pos, to);
      if (quote < end) return pos;
      this.line(b, pos, end);
      pos = end + (b[end] === CR && b[end + 1] === LF ? 2 : 1);
    }
    return to;
  }

  /** Takes the line at `pos` in TypeScript; returns the next line's start, or `pos` when it holds a double quote. */
  private oneLine(b: Uint8Array, pos: number, to: number): number {
    let end = pos;
    for (; end < to; end++) {
      const c = b[end] as number;
      if (c === LF || c === CR) break;
      if (c === QUOTE) return pos;
    }
    this.line(b, pos, end);
    return end + (b[end] === CR && b[end + 1] === LF ? 2 : 1);
  }

  /** Runs the kernel from `pos` while the columns have room; returns where it stopped. */
  private fast(kernel: LineKernel, b: Uint8Array, pos: number, to: number): number {
    const { sink } = this;
    // Column j of row r at ptr + (j * capacity + r) * 8 (see ColumnSink); full columns grow in `line`.
    const maxRows = sink.capacity - sink.n;
    if (maxRows <= 0) return pos;
    const stop = kernel.run(b, pos, to, { ptr: sink.ptr, stride: sink.capacity, row0: sink.n, maxRows });
    sink.n += kernel.rows;
    this.check.dataRows(kernel.rows);
    // A kernel that takes nothing is tried again only after a stretch of lines that doubles each time
    // (up to 256): a file whose every line has an NA would otherwise be parsed twice.
    if (kernel.rows > 0) this.backoff = 1;
    else {
      this.pause = this.backoff;
      this.backoff = Math.min(this.backoff * 2, 256);
    }
    return stop;
  }

  /** Takes one line `b[s..e)`, its row delimiter excluded. */
  line(b: Uint8Array, s: number, e: number): void {
    const { delimiter, slots, sink } = this;
    sink.reserve(this.consumed + s);
    const columns = sink.columns;
    const row = sink.n;
    const width = slots.length;
    let field = 0;
    let empty = true;
    let i = s;
    for (;;) {
      const start = i;
      const slot = field < width ? (slots[field] as number) : -1;
      let done = false;
      if (slot >= 0) {
        const whole = wholeNumber(b, i, e, delimiter);
        if (whole >= 0) {
          // The common cell of genotype files (0, 1, 2): no call into the general scanner.
          (columns[slot] as Float64Array)[row] = whole;
          i = wholeEnd;
          empty = false;
          field++;
          if (i >= e) break;
          i++;
          continue;
        }
        while (i < e && isSpace(b[i] as number, delimiter)) i++;
        const from = i;
        i = scanDecimal(b, i, e);
        const v = scanned;
        if (i > from && v - v === 0) {
          while (i < e && isSpace(b[i] as number, delimiter)) i++;
          if (i === e || b[i] === delimiter) {
            (columns[slot] as Float64Array)[row] = v;
            empty = false;
            done = true;
          }
        }
      }
      if (!done) {
        let plain = true;
        while (i < e && b[i] !== delimiter) {
          const c = b[i] as number;
          if (c >= 0x80) plain = false;
          else if (!isSpace(c, delimiter)) empty = false;
          i++;
        }
        const textSlot = slot < 0 && field < width ? (this.textSlots[field] as number) : -1;
        if (slot >= 0 || textSlot >= 0 || (!plain && empty)) {
          const text = Buffer.from(b.buffer, b.byteOffset + start, i - start)
            .toString("utf8")
            .trim();
          if (text !== "") empty = false;
          if (slot >= 0) this.cell(slot, row, text);
          else if (textSlot >= 0) (sink.texts[textSlot] as string[])[row] = text;
        }
      }
      field++;
      if (i >= e) break;
      i++;
    }
    this.finishRow(field === 1 && empty ? 0 : field, empty);
  }

  /**
   * A wanted field's text that the fast path did not take: a number after all (" 1"), a boolean
   * in a boolean column, or a bad cell.
   */
  private cell(slot: number, row: number, text: string): void {
    let v = cellValue(text);
    if (Number.isNaN(v) && this.booleans[slot] === 1) {
      const b = booleanCell(text);
      if (b !== undefined) v = b ? 1 : 0;
    }
    if (Number.isNaN(v)) this.pending.push([slot, text]);
    else (this.sink.columns[slot] as Float64Array)[row] = v;
  }

  /**
   * Checks the row's shape; a data row is kept with its bad cells (or dropped for them, when the
   * sink drops incomplete rows), anything else is dropped.
   */
  private finishRow(fields: number, empty: boolean): void {
    const error: MrsweepError | null = this.check.row(fields, empty);
    if (error) throw error;
    if (fields > 0) {
      if (this.pending.length > 0 && this.sink.dropIncomplete) this.sink.dropRow(this.pending);
      else {
        for (const [slot, text] of this.pending) this.sink.badCell(slot, this.sink.n, text);
        this.sink.n++;
      }
    }
    this.pending.length = 0;
  }

  /**
   * Takes a row fast-csv parsed (strings, trimmed): the same checks and cells as a line of bytes.
   * `columns`: the field index of each slot.
   */
  strings(row: readonly string[], columns: readonly number[]): void {
    this.sink.reserve(0);
    const empty = row.every((c) => c === "");
    if (row.length === this.slots.length) {
      columns.forEach((j, slot) => {
        this.cell(slot, this.sink.n, row[j] as string);
      });
      this.textSlots.forEach((t, j) => {
        if (t >= 0) (this.sink.texts[t] as string[])[this.sink.n] = row[j] as string;
      });
    }
    this.finishRow(row.length, empty);
  }
}

/** Where the last whole number `wholeNumber` matched ends. */
let wholeEnd = 0;

/**
 * The value of a field `b[i..)` that is 1 to 9 plain digits up to the delimiter or the line end
 * (`wholeEnd` then marks where it ends), or -1 for anything else (signs, points, exponents, spaces:
 * the general path). 9 digits stay below 2^53, so the value is exact, as Number() gives it.
 */
function wholeNumber(b: Uint8Array, i: number, e: number, delimiter: number): number {
  let c = i < e ? (b[i] as number) : -1;
  if (c < 0x30 || c > 0x39) return -1;
  let v = c - 0x30;
  let j = i + 1;
  for (; j < e && j - i < 9; j++) {
    c = b[j] as number;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  if (j < e && b[j] !== delimiter) return -1;
  wholeEnd = j;
  return v;
}

/** What String.prototype.trim removes, among ASCII bytes other than row delimiters and the field delimiter. */
function isSpace(c: number, delimiter: number): boolean {
  return (c === 0x20 || (c >= 0x09 && c <= 0x0c)) && c !== delimiter;
}

/** The first index of byte `c` in `b[from..to)`, or `to` when there is none. */
function indexOf(b: Uint8Array, c: number, from: number, to: number): number {
  const at = b.indexOf(c, from);
  return at < 0 || at > to ? to : at;
}
