import type { Core } from "../core/memory.js";
import { type Frame, frame } from "../data/frame.js";

/**
 * A frame's numeric columns copied once into the core's arena, as a sweep task's dataset lives
 * there: every estimator of a fit then reads them in place (`core.at` finds them) instead of
 * copying G in on each call. The columns named `first` (the instruments) lie end to end in role
 * order, so their matrix is a view too. Memory growth detaches views but moves nothing, so
 * `frame()` re-takes them at the same addresses.
 */
export class FrameInCore {
  private readonly ptr: number;
  /** Slot (in columns from `ptr`) of each of the source frame's columns. */
  private readonly slots: number[];

  constructor(
    private readonly core: Core,
    private readonly source: Frame,
    first: readonly string[],
  ) {
    const order = [...new Set(first.filter((name) => source.names.includes(name)))];
    for (const name of source.names) if (!order.includes(name)) order.push(name);
    this.slots = source.names.map((name) => order.indexOf(name));
    const n = source.n;
    this.ptr = core.alloc(n * order.length);
    const heap = core.heap;
    const at = this.ptr >>> 3;
    source.columns.forEach((c, j) => {
      heap.set(c, at + (this.slots[j] as number) * n);
    });
  }

  /** The frame as views of the core's memory (valid until memory next grows). */
  frame(): Frame {
    const { core, source, ptr } = this;
    const n = source.n;
    const entries = source.names.map(
      (name, j) => [name, core.view(ptr + (this.slots[j] as number) * n * 8, n), source.integer[j]] as const,
    );
    return frame(entries, source.bytes ? [...source.bytes] : undefined);
  }
}
