import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { described, errors, isFileSystemError } from "../errors.js";
import { writeText } from "../io/write-table.js";

import { finaliseRun } from "./finalise.js";
import { acquireLock } from "./lock.js";
import { openRun } from "./manifest.js";
import { tasks } from "./plan.js";
import { shardsOf } from "./shard.js";
import { readShards, type ShardReport } from "./shard-state.js";
import { TaskTable } from "./task-table.js";

/** What a merge did. */
export interface MergeOutcome {
  status: "complete" | "partial";
  done: number;
  total: number;
  failures: number;
  /** Shards left out (a --partial merge). */
  left: ShardReport[];
}

/**
 * `mrsweep merge`: joins a sharded run's shards into the run folder. Every shard is read back and
 * verified like a resume (src/sweep/shard-state.ts), so each task of the plan comes from the one
 * shard that owns it, exactly once; replicates.csv is the tasks in canonical order (the bytes a
 * local run writes), and summary.csv, run.json (and, in the command, figures and report.html) are
 * made from those rows by the same finalisation as every run. Shards that are not done refuse the
 * merge, named, unless `partial`.
 */
export async function mergeRun(dir: string, partial: boolean): Promise<MergeOutcome> {
  const { run, config } = openRun("merge", dir);
  const shards = shardsOf(run);
  if (!shards) {
    throw errors.invalid(
      "merge",
      `the run ${dir}`,
      "a sharded run (made by sweep --shard or slurm submit)",
      described("a run made without --shard"),
    );
  }
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(dir);
  } catch (e) {
    throw isFileSystemError(e) ? errors.fileSystem("merge", dir, e) : e;
  }
  try {
    const read = readShards(dir, run, config, shards.count);
    const left = read.shards.filter((s) => s.state !== "done");
    if (left.length > 0 && !partial) {
      throw errors.invalid(
        "merge",
        `the shards of ${dir}`,
        "all done (merge --partial merges what there is)",
        described(leftText(left)),
      );
    }
    const plan = tasks(config, read.grid);
    const table = new TaskTable(read.grid.length, config.replicates);
    for (const t of plan) {
      const from = read.shards[read.split.shardOf(t.cell, t.replicate) - 1] as ShardReport;
      if (from.table.has(t.cell, t.replicate)) table.copyFrom(from.table, t.cell, t.replicate);
    }
    joinFiles(dir, read.shards, "timings.csv");
    joinFiles(dir, read.shards, "units.csv");
    const merged = new Date().toISOString();
    const status = await finaliseRun({
      dir,
      config,
      grid: read.grid,
      table,
      total: plan.length,
      summary: true,
      manifest: (s) => ({
        ...run,
        status: s === "complete" ? "complete" : "partial",
        merged,
        tasks: { total: plan.length, done: table.size, failed_tasks: table.failures },
        ...(left.length > 0 ? { shards_left_out: left.map((s) => s.index) } : {}),
      }),
    });
    return {
      status: status === "complete" ? "complete" : "partial",
      done: table.size,
      total: plan.length,
      failures: table.failures,
      left,
    };
  } finally {
    lock.release();
  }
}

/** "missing: shard 3, 4; incomplete: shard 2 (17/25 tasks)". */
export function leftText(left: readonly ShardReport[]): string {
  const parts: string[] = [];
  for (const state of ["missing", "running", "incomplete"] as const) {
    const these = left.filter((s) => s.state === state);
    if (these.length === 0) continue;
    const names = these.map((s) => (s.why ? `${s.index} (${s.why})` : String(s.index)));
    parts.push(`${state}: shard${these.length > 1 ? "s" : ""} ${names.join(", ")}`);
  }
  return parts.join("; ");
}

/** Writes `name` in the run folder as the shards' files joined (header once), when any shard has one. */
function joinFiles(dir: string, shards: readonly ShardReport[], name: string): void {
  let header: string | null = null;
  let body = "";
  for (const s of shards) {
    const path = join(s.dir, name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    const cut = text.indexOf("\n") + 1;
    header ??= text.slice(0, cut);
    // A torn last line (a killed shard) is left out.
    body += text.slice(cut, text.lastIndexOf("\n") + 1);
  }
  if (header !== null) writeText(join(dir, name), header + body);
}
