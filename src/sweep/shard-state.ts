import { existsSync } from "node:fs";
import { join } from "node:path";
import { configJson, type SweepConfig } from "./config.js";
import { relate } from "./config-diff.js";
import { holderAlive, readLock } from "./lock.js";
import { manifestPath, type RunManifest, readManifest } from "./manifest.js";
import { type Cell, cells } from "./plan.js";
import { recover } from "./recover.js";
import { replicateColumns } from "./replicates.js";
import { shardDir } from "./shard.js";
import { type ShardSplit, splitPlan } from "./shard-split.js";
import type { TaskTable } from "./task-table.js";

/**
 * What a shard's folder says: `missing` (no folder, or nothing in it), `running` (a live process
 * holds its lock), `done` (run.json complete, and every task it owns verified, once, and nothing
 * else), or `incomplete` (anything else: resuming the shard finishes it).
 */
export type FolderState = "missing" | "running" | "incomplete" | "done";

/** One shard as read from its folder. */
export interface ShardReport {
  index: number;
  dir: string;
  state: FolderState;
  /** Tasks it owns that are finished and verified. */
  done: number;
  /** Tasks it owns. */
  total: number;
  /** Finished tasks with a failed estimator. */
  failures: number;
  /** Why an incomplete shard is not done, for messages. */
  why: string | null;
  /** Its verified tasks (only those it owns). */
  table: TaskTable;
}

/** A sharded run's plan, split, and shards. */
export interface ShardsRead {
  grid: readonly Cell[];
  split: ShardSplit;
  shards: ShardReport[];
}

/**
 * Reads every shard of a sharded run, verifying each shard's rows like a resume does
 * (src/sweep/recover.ts: every row against the plan, a task kept only if all its rows pass).
 */
export function readShards(dir: string, run: RunManifest, config: SweepConfig, count: number): ShardsRead {
  const grid = cells(config);
  const split = splitPlan(config, grid, count);
  const columns = replicateColumns(config);
  const seedBits = run.seed_bits === 53 ? 53 : 32;
  const shards: ShardReport[] = [];
  for (let index = 1; index <= count; index++) {
    const sdir = shardDir(dir, { index, count });
    const rec = recover(join(sdir, "replicates.csv"), { config, grid, columns, seedBits });
    const own = split.tasksOf(index);
    let done = 0;
    for (const t of own) if (rec.table.has(t.cell, t.replicate)) done++;
    const foreign = rec.table.size - done;
    const report = (state: FolderState, why: string | null): ShardReport => ({
      index,
      dir: sdir,
      state,
      done,
      total: own.length,
      failures: rec.table.failures,
      why,
      table: rec.table,
    });
    const lock = readLock(sdir);
    if (lock && holderAlive(lock) !== "no") {
      shards.push(report("running", null));
      continue;
    }
    const manifest = existsSync(manifestPath(sdir)) ? safeManifest(sdir) : null;
    if (!manifest && !existsSync(join(sdir, "replicates.csv"))) {
      shards.push(report("missing", null));
      continue;
    }
    const why = problem(manifest, config, {
      done,
      total: own.length,
      foreign,
      dropped: rec.droppedRows,
      torn: rec.tornLine,
    });
    shards.push(report(why ? "incomplete" : "done", why));
  }
  return { grid, split, shards };
}

/** A shard's run.json, or a marker when it cannot be read (the shard is then incomplete). */
function safeManifest(dir: string): RunManifest | "unreadable" {
  try {
    return readManifest("merge", dir) ?? "unreadable";
  } catch {
    return "unreadable";
  }
}

/** Why a shard is not done, or null when it is. */
function problem(
  manifest: RunManifest | "unreadable" | null,
  config: SweepConfig,
  c: { done: number; total: number; foreign: number; dropped: number; torn: boolean },
): string | null {
  if (manifest === null) return "no run.json";
  if (manifest === "unreadable") return "an unreadable run.json";
  if (relate(manifest.config, configJson(config)).kind !== "same") return "a run.json of another configuration";
  if (c.foreign > 0) return `${c.foreign} tasks of other shards in its replicates.csv`;
  if (c.dropped > 0 || c.torn) return `${c.dropped} rows that do not verify${c.torn ? " and a torn last line" : ""}`;
  if (c.done < c.total) return `${c.done}/${c.total} tasks`;
  if (manifest.status !== "complete") return `status ${String(manifest.status)}`;
  return null;
}
