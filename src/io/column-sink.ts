import type { Core } from "../core/memory.js";
import { type Frame, frame } from "../data/frame.js";
import { errors } from "../errors.js";

/** The most data rows a reader may take, and the error past them (a dataset too large for the core). */
export interface RowLimit {
  readonly rows: number;
  refuse(rows: number): Error;
}

/** Rows the columns hold before the first estimate of the file's row count. */
const FIRST_CAPACITY = 4096;

/** The most bytes of the first block of columns in the core, before any row is read. */
const FIRST_CORE_BYTES = 256 << 20;

/**
 * The numeric columns a reader fills row by row, straight into Float64Arrays (no strings per row,
 * no objects per cell), with the bookkeeping of bad cells that `errors.badCells` reports: how many
 * per column, and the first one's row and text. The row count of a stream is not known up front,
 * so capacity is estimated from the first rows and grows to an estimate from the bytes read so far
 * when the total size is known (a plain file, or the size a .gz file states), by doubling otherwise.
 */
export class ColumnSink {
  /** Data rows taken. */
  n = 0;
  /** One array of trimmed texts per text column (IDs): rows 0..n-1. */
  readonly texts: string[][];
  /** Rows each column holds. */
  capacity: number;
  /** With a core: the block of the columns in its memory, column j at `ptr + j * capacity * 8`. */
  ptr = 0;
  private views: Float64Array[];
  private readonly bad: number[];
  private readonly firstRow: number[];
  private readonly firstText: string[];

  /**
   * `wanted`: the column names, in the order of the frame; `totalBytes`: the text's size if known;
   * `sample`: the first bytes of data, whose row length sizes the first allocation of a plain file;
   * `textColumns`: how many columns are kept as text; `limit`: the most rows, refused past it
   * (the columns never grow beyond it); `core`: the core whose memory holds the columns as one
   * block (the line kernel writes there).
   */
  constructor(
    readonly wanted: readonly string[],
    private readonly totalBytes?: number,
    sample?: Uint8Array,
    textColumns = 0,
    private readonly limit?: RowLimit,
    readonly core?: Core,
  ) {
    this.texts = Array.from({ length: textColumns }, () => []);
    this.capacity = FIRST_CAPACITY;
    const rows = sample ? countRows(sample) : 0;
    if (totalBytes !== undefined && sample && rows > 0)
      this.capacity = Math.ceil(((totalBytes * rows) / sample.length) * 1.02) + 16;
    if (limit) this.capacity = Math.min(this.capacity, limit.rows);
    // A gzip trailer can state any size (a cut file): the core's first block stays modest, and grows.
    if (core)
      this.capacity = Math.max(
        1,
        Math.min(this.capacity, Math.floor(FIRST_CORE_BYTES / 8 / Math.max(1, wanted.length))),
      );
    this.views = this.place(this.capacity, []);
    this.bad = wanted.map(() => 0);
    this.firstRow = wanted.map(() => -1);
    this.firstText = wanted.map(() => "");
  }

  /** Makes room for row `n` (call before writing it); `bytesRead` so far sizes the estimate. */
  reserve(bytesRead: number): void {
    if (this.n < this.capacity) return;
    if (this.limit && this.n >= this.limit.rows) throw this.limit.refuse(this.n + 1);
    let next = this.capacity * 2;
    if (this.totalBytes !== undefined && bytesRead > 0) {
      const estimate = Math.ceil(((this.totalBytes * this.n) / bytesRead) * 1.02) + 1024;
      next = Math.max(estimate, Math.ceil(this.capacity * 1.25));
    }
    if (this.limit) next = Math.min(next, this.limit.rows);
    this.views = this.place(next, this.columns);
    this.capacity = next;
  }

  /** One column per wanted name, `capacity` long; rows 0..n-1 hold the values. */
  get columns(): Float64Array[] {
    // Views of the core's memory die when it grows: take them again.
    const core = this.core;
    if (core !== undefined && this.views[0]?.buffer !== core.wasm.memory.buffer)
      this.views = this.wanted.map((_, j) => core.view(this.ptr + j * this.capacity * 8, this.capacity));
    return this.views;
  }

  /** New columns of `rows` rows holding the values of `old` (in the core: a new block, the old one left to the caller's arena scope). */
  private place(rows: number, old: readonly Float64Array[]): Float64Array[] {
    const core = this.core;
    if (core === undefined)
      return this.wanted.map((_, j) => {
        const c = new Float64Array(rows);
        if (old[j]) c.set(old[j] as Float64Array);
        return c;
      });
    const ptr = core.alloc(rows * this.wanted.length);
    for (let j = 0; j < old.length; j++) core.copyTo(ptr + j * rows * 8, this.ptr + j * this.capacity * 8, this.n);
    this.ptr = ptr;
    return this.wanted.map((_, j) => core.view(ptr + j * rows * 8, rows));
  }

  /** Records that column `slot` of data row `row` (0-based) is not a finite number: `text` as trimmed. */
  badCell(slot: number, row: number, text: string): void {
    if (this.bad[slot]++ === 0) {
      this.firstRow[slot] = row;
      this.firstText[slot] = text;
    }
  }

  /**
   * The frame of the rows taken; the first column (in wanted order) with bad cells is an input
   * error naming the file, column, count, first row (the header is row 1) and its text.
   */
  finish(file: string): Frame {
    const slot = this.bad.findIndex((count) => count > 0);
    if (slot >= 0)
      throw errors.badCells(
        file,
        this.wanted[slot] as string,
        this.bad[slot] as number,
        (this.firstRow[slot] as number) + 2,
        this.firstText[slot] as string,
      );
    const n = this.n;
    for (const t of this.texts) t.length = n;
    // A view when the estimate was close; a copy frees the slack when it was not (doubling), and
    // leaves the core's memory (whose growth would detach a view).
    const columns = this.columns.map((c) =>
      this.core !== undefined || c.length > n * 1.1 + 1024 ? c.slice(0, n) : c.subarray(0, n),
    );
    return frame(this.wanted.map((name, j) => [name, columns[j] as Float64Array, isWhole(columns[j] as Float64Array)]));
  }
}

/** Line feeds in `b`: its complete rows, near enough for an estimate. */
function countRows(b: Uint8Array): number {
  let rows = 0;
  for (let at = b.indexOf(0x0a); at >= 0; at = b.indexOf(0x0a, at + 1)) rows++;
  return rows;
}

/** Whether every value is a whole number (written back without a decimal point). */
function isWhole(c: Float64Array): boolean {
  for (let i = 0; i < c.length; i++) if (!Number.isInteger(c[i])) return false;
  return true;
}
