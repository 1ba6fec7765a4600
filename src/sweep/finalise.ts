import { join } from "node:path";
import { writeJson } from "../io/write-table.js";
import type { SweepConfig } from "./config.js";
import { writeSummaryGroups } from "./outputs.js";
import type { Cell } from "./plan.js";
import { replicateColumns, summaryGroupsOf, writeReplicates } from "./replicates.js";
import type { TaskTable } from "./task-table.js";

/** How a run, a shard or a merge ended: every task it owns done, or not. */
export type RunStatus = "complete" | "stopped";

/** What the end of a run writes. */
export interface Finalise {
  dir: string;
  config: SweepConfig;
  grid: readonly Cell[];
  table: TaskTable;
  /** How many tasks the run owns (all the plan's, or a shard's). */
  total: number;
  /** Also write summary.csv (a shard leaves it to the merge). */
  summary: boolean;
  /** run.json's contents for the status reached. */
  manifest: (status: RunStatus) => Record<string, unknown>;
}

/**
 * The end of every run, shard and merge alike: replicates.csv rewritten from the table's slots in
 * canonical order (no sort), summary.csv from the tasks' summary numbers (never from averaged
 * summaries), then run.json with the status reached. Returns the status.
 */
export async function finaliseRun(f: Finalise): Promise<RunStatus> {
  writeReplicates(join(f.dir, "replicates.csv"), replicateColumns(f.config), f.table);
  const status: RunStatus = f.table.size === f.total ? "complete" : "stopped";
  if (f.summary) await writeSummaryGroups(f.dir, summaryGroupsOf(f.config, f.grid, f.table), f.config);
  writeJson(join(f.dir, "run.json"), f.manifest(status));
  return status;
}
