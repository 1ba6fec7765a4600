import type { PartRef } from "./part-refs.js";
import type { Task } from "./plan.js";

/** One job for the pool: a task, or one piece of it (a part task). */
export interface Job {
  readonly task: Task;
  readonly part?: PartRef;
  /** The first job of its task sent (the task starts). */
  readonly first: boolean;
}

/** Pieces of one task: how many are still out, and what came back. */
interface Waiting {
  left: number;
  results: Record<string, unknown>;
  seconds: Record<string, number>;
}

/**
 * The order of a sweep's jobs: tasks in the given order, each preceded by its part tasks when it has
 * pieces (src/sweep/parts.ts); a task whose pieces are all back goes before any new job, so that
 * finished work is recorded soon and few tasks wait half-done.
 */
export class TaskQueue {
  private next = 0;
  private readonly queued: Job[] = [];
  private readonly ready: Task[] = [];
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly pending: readonly Task[],
    private readonly partsOf: (t: Task) => readonly PartRef[],
  ) {}

  /**
   * The next job to send, or undefined when none is ready (more may become ready as pieces
   * return); `readyOnly`: only a task whose pieces are all back (a stopping sweep finishes those).
   */
  take(readyOnly = false): Job | undefined {
    const done = this.ready.shift();
    if (done) return { task: done, first: false };
    if (readyOnly) return undefined;
    const queued = this.queued.shift();
    if (queued) return queued;
    const task = this.pending[this.next++];
    if (!task) return undefined;
    const parts = this.partsOf(task);
    if (parts.length < 2) return { task, first: true };
    this.waiting.set(id(task), { left: parts.length, results: {}, seconds: {} });
    this.queued.push(...parts.map((part, i) => ({ task, part, first: i === 0 })));
    return this.queued.shift();
  }

  /** Tasks not yet sent whole (pieces out or not yet sent count as one). */
  get left(): number {
    return this.pending.length - this.next + this.waiting.size;
  }

  /** A piece came back (without a result when it failed: the task computes it itself). */
  partDone(task: Task, key: string, result: unknown, seconds: number): void {
    const w = this.waiting.get(id(task));
    if (!w) throw new Error(`part ${key} of cell ${task.cell} replicate ${task.replicate} was not expected (bug)`);
    if (result !== undefined) {
      w.results[key] = result;
      w.seconds[key] = seconds;
    }
    if (--w.left === 0) this.ready.push(task);
  }

  /** The pieces of a task whose parts are all back (and forgets them); undefined for a task without parts. */
  piecesOf(task: Task): { results: Record<string, unknown>; seconds: Record<string, number> } | undefined {
    const w = this.waiting.get(id(task));
    if (!w) return undefined;
    this.waiting.delete(id(task));
    return { results: w.results, seconds: w.seconds };
  }
}

function id(t: Task): string {
  return `${t.cell}:${t.replicate}`;
}
