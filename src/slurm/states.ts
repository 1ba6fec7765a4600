import type { SweepConfig } from "../sweep/config.js";
import type { RunManifest } from "../sweep/manifest.js";
import type { ShardsInfo } from "../sweep/shard.js";
import { readShards, type ShardReport, type ShardsRead } from "../sweep/shard-state.js";
import { queueStates, type SubmittedJob } from "./queue.js";

/** A shard's state, from its folder and, when SLURM can be asked, from the queue. */
export type ShardState = "pending" | "running" | "done" | "failed" | "incomplete" | "missing";

/** A run's SLURM record in run.json. */
export interface SlurmRecord {
  script: string;
  jobs: SubmittedJob[];
}

/** The `slurm` record of a run.json, or null. */
export function slurmOf(run: RunManifest): SlurmRecord | null {
  const s = run.slurm as Partial<SlurmRecord> | undefined;
  return s && typeof s.script === "string" && Array.isArray(s.jobs) ? (s as SlurmRecord) : null;
}

/** Every shard with its state. */
export interface ShardStates extends ShardsRead {
  states: Array<{ report: ShardReport; state: ShardState }>;
  /** Whether squeue answered (else the states come from the folders alone). */
  queue: boolean;
}

/**
 * Each shard's state: queued or running by squeue, else done or running by its folder, else
 * failed by sacct, or because a job ran it and it is neither queued nor done, else what its folder
 * says (incomplete or missing).
 */
export function shardStates(dir: string, run: RunManifest, config: SweepConfig, shards: ShardsInfo): ShardStates {
  const read = readShards(dir, run, config, shards.count);
  const jobs = [...(slurmOf(run)?.jobs ?? [])].reverse();
  const { states: queued, available } = queueStates(jobs);
  const submitted = new Set<number>();
  for (const j of jobs) for (const i of expand(j.array)) submitted.add(i);
  const states = read.shards.map((report) => {
    const q = queued.get(report.index);
    let state: ShardState;
    if (q === "pending" || q === "running") state = q;
    else if (report.state === "running" || report.state === "done") state = report.state;
    else if (q === "failed" || (available && submitted.has(report.index))) state = "failed";
    else state = report.state;
    return { report, state };
  });
  return { ...read, states, queue: available && jobs.length > 0 };
}

/** The indices of an --array list (1-3,5). */
function expand(array: string): number[] {
  const out: number[] = [];
  for (const part of array.split(",")) {
    const [a, b] = part.split("-").map(Number);
    if (a === undefined || !Number.isInteger(a)) continue;
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}
