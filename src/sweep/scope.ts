import { described, errors } from "../errors.js";
import type { SweepConfig } from "./config.js";
import { type RunManifest, readManifest } from "./manifest.js";
import { type Cell, type Task, tasks } from "./plan.js";
import type { Claim } from "./run-dir.js";
import { joinShardedRun, type ShardId, shardDir, shardsOf } from "./shard.js";
import { SPLIT_RULE, splitPlan } from "./shard-split.js";

/** The part of the plan a run owns, and where it runs: all of it in the run folder, or a shard. */
export interface RunScope {
  dir: string;
  /** The tasks it owns, in canonical order. */
  tasks: readonly Task[];
  /** Whether the run writes summary.csv (a shard leaves it to the merge). */
  summary: boolean;
  /** What its run.json adds (a shard's index, count and expected cost). */
  manifest: Record<string, unknown>;
}

/**
 * The scope of a sweep into `dir`: the whole plan, or with `shard` the shard's folder and tasks
 * (the run folder's run.json written or checked first: src/sweep/shard.ts).
 */
export function runScope(dir: string, config: SweepConfig, grid: readonly Cell[], shard?: ShardId): RunScope {
  const all = tasks(config, grid);
  if (!shard) {
    refuseUnmerged(dir);
    return { dir, tasks: all, summary: true, manifest: {} };
  }
  if (shard.count > all.length) {
    throw errors.invalid(
      "sweep",
      "--shard",
      `I/N with N at most the plan's ${all.length} tasks`,
      `${shard.index}/${shard.count}`,
    );
  }
  joinShardedRun("sweep", dir, config, shard.count);
  const split = splitPlan(config, grid, shard.count);
  const own = split.tasksOf(shard.index);
  return {
    dir: shardDir(dir, shard),
    tasks: own,
    summary: false,
    manifest: {
      shard: {
        index: shard.index,
        count: shard.count,
        split: SPLIT_RULE,
        tasks: own.length,
        expected_seconds: split.cost[shard.index - 1],
      },
    },
  };
}

/**
 * A local run into the folder of a sharded run that is not merged yet would run every task again
 * beside its shards: refused, saying what to do. (Once merged, the folder is a complete run.)
 */
function refuseUnmerged(dir: string): void {
  let run: RunManifest | null = null;
  try {
    run = readManifest("sweep", dir);
  } catch {
    return; // the claim reports an unreadable run.json
  }
  const shards = shardsOf(run);
  if (!shards || run?.status === "complete") return;
  throw errors.invalid(
    "sweep",
    `the output folder ${dir}`,
    `empty or holding a run without shards (this one has ${shards.count}: run sweep --shard I/${shards.count}, or mrsweep merge ${dir})`,
    described(`a sharded run, status ${String(run?.status)}`),
  );
}

/**
 * Forgets the recovered tasks a scope does not own (rows of another shard in a shard's file);
 * returns how many, and adds a note when there were some.
 */
export function keepOwn(claim: Claim, scope: RunScope, grid: readonly Cell[], replicates: number): number {
  const own = new Uint8Array(grid.length * replicates);
  for (const t of scope.tasks) own[t.cell * replicates + t.replicate - 1] = 1;
  const { table } = claim.recovered;
  let foreign = 0;
  for (let cell = 0; cell < grid.length; cell++) {
    for (let r = 1; r <= replicates; r++) {
      if (own[cell * replicates + r - 1] || !table.has(cell, r)) continue;
      table.delete(cell, r);
      foreign++;
    }
  }
  if (foreign > 0) claim.notes.push(`dropped ${foreign} tasks of replicates.csv that belong to other shards`);
  return foreign;
}
