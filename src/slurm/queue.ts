import { spawnSync } from "node:child_process";
import { errors } from "../errors.js";

/**
 * Talking to SLURM through its commands (sbatch, squeue, sacct), never its libraries: what a user
 * would type. squeue and sacct are optional (status falls back on the shard folders); sbatch is
 * needed to submit.
 */

/** A job submitted for a run, as run.json's `slurm.jobs` records it. */
export interface SubmittedJob {
  id: string;
  /** The array indices (shards) it runs, as given to --array. */
  array: string;
  submitted: string;
}

/** What the scheduler says of a shard: still queued or running, or ended badly. */
export type QueueState = "pending" | "running" | "failed";

/** Runs a SLURM command; null when it is not installed or fails (an optional query). */
function query(command: string, args: readonly string[]): string | null {
  const r = spawnSync(command, args, { encoding: "utf8" });
  return r.status === 0 && !r.error ? r.stdout : null;
}

/** Submits `script` with sbatch (`--array` overriding the script's); returns the job id. */
export function sbatch(script: string, array: string): string {
  const args = ["--parsable", `--array=${array}`, script];
  const r = spawnSync("sbatch", args, { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = r.error ? ((r.error as NodeJS.ErrnoException).code ?? r.error.message) : r.stderr.trim().split("\n")[0];
    throw errors.run(
      "slurm",
      `sbatch ${args.join(" ")} must succeed (is SLURM's sbatch on PATH?); got ${why || `exit ${r.status}`}`,
    );
  }
  const id = r.stdout.trim().split(";")[0] ?? "";
  if (!/^[0-9]+$/.test(id))
    throw errors.run("slurm", `sbatch --parsable must print a job id; got ${JSON.stringify(r.stdout.trim())}`);
  return id;
}

const ACTIVE: Record<string, QueueState> = {
  PENDING: "pending",
  RUNNING: "running",
  CONFIGURING: "running",
  COMPLETING: "running",
  SUSPENDED: "running",
  REQUEUED: "pending",
};
const FAILED = new Set([
  "FAILED",
  "TIMEOUT",
  "CANCELLED",
  "OUT_OF_MEMORY",
  "NODE_FAIL",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
]);

/**
 * The scheduler's state of each shard (array index) of the given jobs, latest job first: squeue
 * for queued and running ones, then sacct (when accounting is on) for failed ones. `available`
 * is false when squeue could not be asked.
 */
export function queueStates(jobs: readonly SubmittedJob[]): { states: Map<number, QueueState>; available: boolean } {
  const states = new Map<number, QueueState>();
  if (jobs.length === 0) return { states, available: true };
  const ids = jobs.map((j) => j.id).join(",");
  const queued = query("squeue", ["-h", "-r", "-j", ids, "-o", "%A|%a|%T"]);
  // A job no longer known makes squeue fail: ask for each job alone then.
  const lines = queued ?? jobs.map((j) => query("squeue", ["-h", "-r", "-j", j.id, "-o", "%A|%a|%T"]) ?? "").join("");
  for (const line of lines.split("\n")) {
    const [, index, state] = line.trim().split("|");
    const s = ACTIVE[state ?? ""];
    if (s && /^[0-9]+$/.test(index ?? "") && !states.has(Number(index))) states.set(Number(index), s);
  }
  const accounted = query("sacct", ["-n", "-X", "-P", "-j", ids, "-o", "JobID,State"]);
  for (const line of (accounted ?? "").split("\n")) {
    const [jobId, state] = line.trim().split("|");
    const index = /_([0-9]+)$/.exec(jobId ?? "")?.[1];
    const word = (state ?? "").split(" ")[0] ?? "";
    if (index && FAILED.has(word) && !states.has(Number(index))) states.set(Number(index), "failed");
  }
  return { states, available: queued !== null || query("squeue", ["-h", "-o", "%i"]) !== null };
}

/** Shard indices as an --array list, runs joined: 1-3,5,7-8. */
export function arrayList(indices: readonly number[]): string {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}
