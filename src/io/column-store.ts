import type { Core } from "../core/memory.js";

/**
 * Where a reader's numeric columns live while it fills them: `columns[j]` holds column j's rows
 * 0..capacity-1. `grow` makes room for more rows keeping those written; `finish` returns the first
 * n rows of each column as the frame's columns.
 */
export interface ColumnStore {
  readonly columns: Float64Array[];
  readonly capacity: number;
  grow(capacity: number, rows: number): void;
  finish(rows: number): Float64Array[];
}

/** Columns as separate JavaScript Float64Arrays. */
export class JsColumns implements ColumnStore {
  columns: Float64Array[];

  constructor(
    width: number,
    public capacity: number,
  ) {
    this.columns = Array.from({ length: width }, () => new Float64Array(capacity));
  }

  grow(capacity: number): void {
    this.columns = this.columns.map((c) => {
      const grown = new Float64Array(capacity);
      grown.set(c);
      return grown;
    });
    this.capacity = capacity;
  }

  finish(rows: number): Float64Array[] {
    // A view when the estimate was close; a copy frees the slack when it was not (doubling).
    return this.columns.map((c) => (c.length > rows * 1.1 + 1024 ? c.slice(0, rows) : c.subarray(0, rows)));
  }
}

/**
 * Columns as one block of the core's arena, column j at `ptr + j * capacity * 8`, so that a fit
 * finds the data where an estimator reads it and never copies it (src/estimators/in-core.ts).
 * The block is the arena's top while it is filled: it grows in place (columns moved up, the last
 * first, within the extended block) and is compacted to `rows` per column at the end, the slack
 * returned to the arena. Rows never written are never touched, so an over-estimated capacity costs
 * address space only. Views are re-taken after every growth (it detaches the old ones).
 */
export class CoreColumns implements ColumnStore {
  private views: Float64Array[] = [];
  readonly ptr: number;
  capacity: number;

  constructor(
    private readonly core: Core,
    private readonly width: number,
    capacity: number,
  ) {
    // An even capacity keeps the block a multiple of the arena's 16-byte alignment, so that an
    // extension allocated at the top starts exactly at the block's end.
    this.capacity = even(capacity);
    this.ptr = core.alloc(Math.max(1, width * this.capacity));
    this.retake();
  }

  grow(capacity: number, rows: number): void {
    const next = even(capacity);
    const { core, width, ptr } = this;
    const end = ptr + width * this.capacity * 8;
    if (core.wasm.mark() !== end)
      throw new Error("CoreColumns: the arena grew above the columns while they were read (bug)");
    if (core.alloc(width * (next - this.capacity)) !== end)
      throw new Error("CoreColumns: extension not contiguous (bug)");
    const heap = core.heap;
    const at = ptr >>> 3;
    for (let j = width - 1; j > 0; j--)
      heap.copyWithin(at + j * next, at + j * this.capacity, at + j * this.capacity + rows);
    this.capacity = next;
    this.retake();
  }

  finish(rows: number): Float64Array[] {
    const { core, width, ptr } = this;
    const heap = core.heap;
    const at = ptr >>> 3;
    for (let j = 1; j < width; j++)
      heap.copyWithin(at + j * rows, at + j * this.capacity, at + j * this.capacity + rows);
    if (core.wasm.mark() === ptr + width * this.capacity * 8) {
      core.wasm.reset(ptr);
      core.alloc(Math.max(1, width * rows));
    }
    this.capacity = rows;
    this.retake();
    return this.columns;
  }

  /** The columns' views, re-taken when the core's memory has grown since (growth detaches them). */
  get columns(): Float64Array[] {
    if (this.views[0]?.buffer !== this.core.wasm.memory.buffer) this.retake();
    return this.views;
  }

  private retake(): void {
    this.views = Array.from({ length: this.width }, (_, j) =>
      this.core.view(this.ptr + j * this.capacity * 8, this.capacity),
    );
  }
}

function even(rows: number): number {
  return rows + (rows & 1);
}
