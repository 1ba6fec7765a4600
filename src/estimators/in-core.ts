import type { Core } from "../core/memory.js";
import { type Frame, frame } from "../data/frame.js";

/**
 * A frame's numeric columns copied once into the core's arena, as a sweep task's dataset lives
 * there: every estimator of a fit then reads them in place (`core.at` finds them) instead of
 * copying G in on each call. The columns named `first` (the instruments) lie end to end in role
 * order, so their matrix is a view too. A frame already laid out so in the core (a file read into
 * the core, see CoreColumns) is taken where it lies, without a copy. Memory growth detaches views
 * but moves nothing, so `frame()` re-takes them at the same addresses.
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
    const placed = placedAt(core, source, this.slots);
    if (placed !== null) {
      this.ptr = placed;
      return;
    }
    this.ptr = core.alloc(n * order.length);
    const heap = core.heap;
    const at = this.ptr >>> 3;
    source.columns.forEach((c, j) => {
      if (c.length !== n)
        throw new Error(`FrameInCore: column ${source.names[j]} has ${c.length} values, not ${n} (a detached view?)`);
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

/**
 * The address at which the frame's columns already lie end to end in the core in `slots` order
 * (column j at ptr + slots[j] * n * 8), or null when they do not.
 */
function placedAt(core: Core, source: Frame, slots: readonly number[]): number | null {
  const n = source.n;
  const j0 = slots.indexOf(0);
  const first = source.columns[j0];
  if (n === 0 || !first || !core.holds(first)) return null;
  const ptr = first.byteOffset;
  const ok = source.columns.every(
    (c, j) => core.holds(c) && c.length === n && c.byteOffset === ptr + (slots[j] as number) * n * 8,
  );
  return ok ? ptr : null;
}
