import { createHash } from "node:crypto";
import type { SweepConfig } from "./config.js";
import { taskSecondsByCell } from "./cost.js";
import type { Cell, Task } from "./plan.js";

/**
 * How the plan is split into shards (`sweep --shard I/N`): a deterministic function of the
 * configuration and N alone, so every array task computes the same split without talking to the
 * others. The version is recorded in run.json; a change of the rule must change it.
 */
export const SPLIT_RULE = "stratified-v2";

/** The plan split into `count` shards, numbered from 1. */
export interface ShardSplit {
  readonly count: number;
  /** The shard (1..count) that owns a task. */
  shardOf(cell: number, replicate: number): number;
  /** A shard's tasks, in canonical order (cell, then replicate). */
  tasksOf(index: number): Task[];
  /** Each shard's expected seconds (index 0 is shard 1). */
  readonly cost: readonly number[];
  /** The expected seconds of one task of each cell. */
  readonly taskCost: readonly number[];
  /**
   * A hash of which shard owns each task, recorded in run.json: a later mrsweep whose cost model
   * splits the plan differently refuses the run instead of mixing two splits.
   */
  readonly fingerprint: string;
}

/**
 * Splits the plan so that shards take the same time even where the cost model is wrong. Each
 * cell's replicates are dealt across the shards in contiguous blocks of ⌊R/N⌋ or ⌈R/N⌉ (the larger
 * blocks rotate from cell to cell), so every shard gets nearly the same mix of cells and a cell
 * whose cost the model misjudges slows every shard alike; keeping cells whole would put a
 * misjudged cell's whole error on one shard (measured on `quick` in 2 shards: 12.5 s against
 * 16.5 s). Then single tasks move from the most to the least loaded shard by expected cost
 * (src/sweep/cost.ts `taskSecondsByCell`) while that narrows the gap, which ends at most one task's
 * cost (moving a task cheaper than the gap always narrows it, so the moves end); fewer is not
 * always possible (three equal tasks on two shards).
 */
export function splitPlan(config: SweepConfig, grid: readonly Cell[], count: number): ShardSplit {
  const reps = config.replicates;
  const taskCost = taskSecondsByCell(config, grid).map((s) => Math.max(s, 1e-9));
  const owner = new Int32Array(grid.length * reps);
  const load = new Array<number>(count).fill(0);
  const place = (cell: number, replicate: number, shard: number) => {
    owner[cell * reps + replicate - 1] = shard;
    load[shard] = (load[shard] as number) + (taskCost[cell] as number);
  };
  let start = 0;
  for (let cell = 0; cell < grid.length; cell++) {
    const q = Math.floor(reps / count);
    const extra = reps % count;
    let replicate = 1;
    for (let j = 0; j < count; j++) {
      const shard = (start + j) % count;
      const size = q + (j < extra ? 1 : 0);
      for (let k = 0; k < size; k++) place(cell, replicate++, shard);
    }
    start = (start + extra) % count;
  }
  rebalance(owner, load, taskCost, reps);
  const lists: Task[][] = load.map(() => []);
  for (let i = 0; i < owner.length; i++)
    (lists[owner[i] as number] as Task[]).push({ cell: Math.floor(i / reps), replicate: (i % reps) + 1 });
  return {
    count,
    shardOf: (cell, replicate) => (owner[cell * reps + replicate - 1] as number) + 1,
    tasksOf: (index) => lists[index - 1] ?? [],
    cost: load,
    taskCost,
    fingerprint: createHash("sha256").update(owner).digest("hex").slice(0, 16),
  };
}

/**
 * Moves tasks from the most to the least loaded shard while the gap exceeds the dearest task:
 * each move is of a task cheaper than the gap, so the sum of squared loads falls and the loop
 * ends. The task moved is the most loaded shard's last in canonical order (its cells' edges move,
 * not their middles), found from a cursor per shard that only moves down.
 */
function rebalance(owner: Int32Array, load: number[], taskCost: readonly number[], reps: number): void {
  const dearest = Math.max(...taskCost);
  const cursor = load.map(() => owner.length - 1);
  for (;;) {
    const hi = argMax(load);
    const lo = argMin(load);
    if ((load[hi] as number) - (load[lo] as number) <= dearest) return;
    let i = cursor[hi] as number;
    while (i >= 0 && owner[i] !== hi) i--;
    // Only tasks moved in since lie above the cursor: take one of those.
    if (i < 0) i = owner.lastIndexOf(hi);
    cursor[hi] = i - 1;
    const c = taskCost[Math.floor(i / reps)] as number;
    owner[i] = lo;
    load[hi] = (load[hi] as number) - c;
    load[lo] = (load[lo] as number) + c;
  }
}

function argMin(xs: readonly number[]): number {
  let k = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) < (xs[k] as number)) k = i;
  return k;
}

function argMax(xs: readonly number[]): number {
  let k = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) > (xs[k] as number)) k = i;
  return k;
}
