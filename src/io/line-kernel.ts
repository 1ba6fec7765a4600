import type { Core } from "../core/memory.js";

/** Why the core's `read_lines` stopped (assembly/io/read-lines.ts). */
export const READ_END = 0;
export const READ_REFUSED = 1;
export const READ_FULL = 2;

/** The smallest window of line bytes worth a call: a slot table leaving less disables the kernel. */
const MIN_WINDOW = 64 << 10;

/** Where the kernel writes: column j of data row r at `ptr + (j * stride + r) * 8`, rows `row0..row0 + maxRows - 1` free. */
export interface ColumnBlock {
  ptr: number;
  stride: number;
  row0: number;
  maxRows: number;
}

/**
 * The core's line kernel (`read_lines`) driven from TypeScript: the slot table and a window of
 * the caller's bytes go into the core's static scratch block, then the kernel parses whole lines
 * straight into the columns. A window copied once serves every call until the caller moves past
 * it, so a file with a bad line every few rows is not copied again per line. The scratch block is
 * shared by every reader of the thread: call `begin` at the start of each synchronous stretch of
 * calls (another reader may have used the block in between).
 */
export class LineKernel {
  /** Rows the last `run` took. */
  rows = 0;
  /** The slot table's address in the scratch block, and the window's after it. */
  private readonly table: number;
  private readonly window: number;
  private readonly windowBytes: number;
  private readonly read: Core["wasm"]["read_lines"];
  private bytes: Uint8Array;
  /** The bytes of the caller's buffer the window holds: [from, to) of `source`. */
  private source: Uint8Array | null = null;
  private from = 0;
  private to = 0;

  private constructor(
    private readonly core: Core,
    private readonly delimiter: number,
    private readonly slots: Int32Array,
    scalar: boolean,
  ) {
    this.table = core.wasm.read_scratch() >>> 0;
    const tableBytes = Math.ceil((slots.length * 4) / 16) * 16;
    this.window = this.table + tableBytes;
    this.windowBytes = core.wasm.read_scratch_bytes() - tableBytes;
    this.read = scalar ? core.wasm.read_lines_scalar : core.wasm.read_lines;
    this.bytes = new Uint8Array(core.wasm.memory.buffer);
  }

  /**
   * A kernel for lines of `slots.length` fields (slot of each field, -1: not wanted), or null when
   * it cannot serve them: no wanted field (only TypeScript tells a blank line from data then), or
   * a slot table so wide that too little of the scratch block is left for lines.
   */
  static for(core: Core, delimiter: number, slots: Int32Array, scalar = false): LineKernel | null {
    if (!slots.some((s) => s >= 0)) return null;
    if (core.wasm.read_scratch_bytes() - slots.length * 4 - 16 < MIN_WINDOW) return null;
    return new LineKernel(core, delimiter, slots, scalar);
  }

  /** Forgets the window (the scratch block may have been used by another reader since). */
  begin(): void {
    this.source = null;
  }

  /**
   * Parses the lines of `b[pos..to)` from `pos` (a line start) into `block`; `rows` is set to the
   * rows taken. Returns where it stopped: `to`, or the start of the first line the kernel did not
   * take (TypeScript takes it), which is also where it stops at `block.maxRows` rows.
   */
  run(b: Uint8Array, pos: number, to: number, block: ColumnBlock): number {
    this.rows = 0;
    let at = pos;
    let maxRows = block.maxRows;
    for (;;) {
      if (this.source !== b || at < this.from || at >= this.to) this.fill(b, at, to);
      const len = this.to - at;
      const status = this.read(
        this.window + (at - this.from),
        len,
        this.delimiter,
        this.table,
        this.slots.length,
        block.ptr,
        block.stride,
        block.row0 + this.rows,
        maxRows,
      );
      const rows = this.core.wasm.read_lines_rows();
      const next = at + this.core.wasm.read_lines_stop();
      this.rows += rows;
      maxRows -= rows;
      // Used up but for an unfinished line at the window's end: copy again from its start, unless
      // the window held the caller's last bytes or the line is longer than the window.
      if (status !== READ_END || this.to >= to || next === this.from) return next;
      at = next;
      this.source = null;
    }
  }

  /** Copies the slot table and `b[at..)` up to `to` or the window's size into the scratch block. */
  private fill(b: Uint8Array, at: number, to: number): void {
    if (this.bytes.buffer !== this.core.wasm.memory.buffer) this.bytes = new Uint8Array(this.core.wasm.memory.buffer);
    new Int32Array(this.bytes.buffer, this.table, this.slots.length).set(this.slots);
    const end = Math.min(to, at + this.windowBytes);
    this.bytes.set(b.subarray(at, end), this.window);
    this.source = b;
    this.from = at;
    this.to = end;
  }
}
