import type { Core } from "../core/memory.js";
import { type Frame, frame } from "../data/frame.js";
import { errors } from "../errors.js";
import { type ColumnStore, CoreColumns, JsColumns } from "./column-store.js";
import type { Dropped } from "./complete-cases.js";

/** The most data rows a reader may take, and the error past them (a dataset too large for the core). */
export interface RowLimit {
  readonly rows: number;
  refuse(rows: number): Error;
}

/** Rows the columns hold before the first estimate of the file's row count. */
const FIRST_CAPACITY = 4096;

/** The most bytes of the first block of columns in the core, before any row is read (a cut gzip file can state any size). */
const FIRST_CORE_BYTES = 256 << 20;

/**
 * The numeric columns a reader fills row by row, straight into Float64Arrays (no strings per row,
 * no objects per cell), with the bookkeeping of bad cells that `errors.badCells` reports: how many
 * per column, and the first one's row and text. The row count of a stream is not known up front,
 * so capacity is estimated from the first rows and grows to an estimate from the bytes read so far
 * when the total size is known (a plain file, or the size a .gz file states), by doubling otherwise.
 * With a core, the columns are one block of its arena (see CoreColumns), in the wanted order.
 */
export class ColumnSink {
  /** Data rows taken. */
  n = 0;
  /** Where the columns live. */
  private readonly store: ColumnStore;
  /** One array of trimmed texts per text column (IDs): rows 0..n-1. */
  readonly texts: string[][];
  private readonly bad: number[];
  private readonly firstRow: number[];
  private readonly firstText: string[];
  /**
   * Drop rows with a missing or non-numeric wanted cell instead of refusing them (R's
   * complete.cases, as `--complete-cases` asks); `dropped()` says what went.
   */
  dropIncomplete = false;
  /** Per column, the rows dropped for its cell. */
  private readonly droppedBy: number[];
  /** The index among all data rows (kept or not) of each dropped row, ascending. */
  private readonly droppedRows: number[] = [];

  /**
   * `wanted`: the column names, in the order of the frame; `totalBytes`: the text's size if known;
   * `sample`: the first bytes of data, whose row length sizes the first allocation of a plain file;
   * `textColumns`: how many columns are kept as text; `limit`: the most rows, refused past it
   * (the columns never grow beyond it); `core`: the core whose arena holds the columns (else
   * JavaScript arrays).
   */
  constructor(
    readonly wanted: readonly string[],
    private readonly totalBytes?: number,
    sample?: Uint8Array,
    textColumns = 0,
    private readonly limit?: RowLimit,
    core?: Core,
  ) {
    this.texts = Array.from({ length: textColumns }, () => []);
    let capacity = FIRST_CAPACITY;
    const rows = sample ? countRows(sample) : 0;
    if (totalBytes !== undefined && sample && rows > 0)
      capacity = Math.ceil(((totalBytes * rows) / sample.length) * 1.02) + 16;
    if (limit) capacity = Math.min(capacity, limit.rows);
    if (core) capacity = Math.max(1, Math.min(capacity, Math.floor(FIRST_CORE_BYTES / 8 / Math.max(1, wanted.length))));
    this.core = core;
    this.store = core ? new CoreColumns(core, wanted.length, capacity) : new JsColumns(wanted.length, capacity);
    this.bad = wanted.map(() => 0);
    this.droppedBy = wanted.map(() => 0);
    this.firstRow = wanted.map(() => -1);
    this.firstText = wanted.map(() => "");
  }

  /** With a core: the core whose memory holds the columns (the line kernel writes there). */
  readonly core: Core | undefined;

  /** Rows each column holds: with a core, the stride of its block. */
  get capacity(): number {
    return this.store.capacity;
  }

  /** With a core: the block's address, column j at `ptr + j * capacity * 8` (moves never, but `capacity` changes). */
  get ptr(): number {
    return this.store instanceof CoreColumns ? this.store.ptr : 0;
  }

  /** One column per wanted name; rows 0..n-1 hold the values. Re-read after `reserve`: it may replace them. */
  get columns(): Float64Array[] {
    return this.store.columns;
  }

  /** Makes room for row `n` (call before writing it); `bytesRead` so far sizes the estimate. */
  reserve(bytesRead: number): void {
    const capacity = this.store.capacity;
    if (this.n < capacity) return;
    if (this.limit && this.n >= this.limit.rows) throw this.limit.refuse(this.n + 1);
    let next = capacity * 2;
    if (this.totalBytes !== undefined && bytesRead > 0) {
      const estimate = Math.ceil(((this.totalBytes * this.n) / bytesRead) * 1.02) + 1024;
      next = Math.max(estimate, Math.ceil(capacity * 1.25));
    }
    if (this.limit) next = Math.min(next, this.limit.rows);
    this.store.grow(next, this.n);
  }

  /** Records that column `slot` of data row `row` (0-based) is not a finite number: `text` as trimmed. */
  badCell(slot: number, row: number, text: string): void {
    if (this.bad[slot]++ === 0) {
      this.firstRow[slot] = row;
      this.firstText[slot] = text;
    }
  }

  /** Drops the current row for its bad cells (`dropIncomplete`): [slot, text] of each. */
  dropRow(cells: ReadonlyArray<readonly [number, string]>): void {
    for (const [slot] of cells) this.droppedBy[slot]++;
    this.droppedRows.push(this.n + this.droppedRows.length);
  }

  /**
   * What `dropIncomplete` dropped: rows in all, and per column in `order` (names of `wanted`) the
   * rows whose cell was missing; and the file row number (header = row 1) of kept row i.
   */
  dropped(order: readonly string[]): { dropped: Dropped; rowOf: (i: number) => number } {
    const byColumn = new Map<string, number>();
    for (const name of order) {
      const k = this.droppedBy[this.wanted.indexOf(name)] ?? 0;
      if (k > 0) byColumn.set(name, k);
    }
    const rows = this.droppedRows;
    const rowOf = (i: number) => {
      let r = i;
      for (let k = 0; k < rows.length && (rows[k] as number) <= r; k++) r++;
      return r + 2;
    };
    return { dropped: { rows: rows.length, byColumn }, rowOf };
  }

  /**
   * The frame of the rows taken; the first column in `order` (names of `wanted`; default the
   * wanted order) with bad cells is an input error naming the file, column, count, first row (the
   * header is row 1) and its text.
   */
  finish(file: string, order: readonly string[] = this.wanted): Frame {
    const first = order.find((name) => (this.bad[this.wanted.indexOf(name)] ?? 0) > 0);
    const slot = first === undefined ? -1 : this.wanted.indexOf(first);
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
    const columns = this.store.finish(n);
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
