import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { described, errors } from "../errors.js";
import { writeJson } from "../io/write-table.js";
import { configHash, configJson, type SweepConfig } from "./config.js";
import { relate } from "./config-diff.js";
import { manifestPath, type RunManifest, readManifest } from "./manifest.js";
import { versions } from "./outputs.js";
import { cells, SEED_BITS } from "./plan.js";
import { SPLIT_RULE, splitPlan } from "./shard-split.js";

/**
 * Shards of a run (`sweep --shard I/N`): shard I of N runs in `<run>/shards/shard-I` (I padded to
 * N's width) with its own lock, replicates.csv, timings.csv and run.json, and resumes like any run.
 * The run folder's own run.json says the run is sharded, into how many shards and by which rule;
 * the first shard (or `slurm submit`) writes it, every other shard checks it.
 *
 * I counts from 1 (1 <= I <= N): SLURM's `--array=1-N` as batchtools writes it, PBS's `-J 1-N`
 * and LSF's `[1-N]` (LSF has no index 0), so the array variable is passed unchanged.
 */

/** One shard: its index (from 1) and the number of shards. */
export interface ShardId {
  readonly index: number;
  readonly count: number;
}

/** The most shards of one run. */
export const MAX_SHARDS = 10_000;

/** What the run folder's run.json says of its shards. */
export interface ShardsInfo {
  count: number;
  split: string;
  /** Which shard owns each task, hashed (src/sweep/shard-split.ts). */
  fingerprint: string;
  [key: string]: unknown;
}

/** Parses `I/N` (the value of --shard). */
export function parseShard(command: string, text: string): ShardId {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw errors.invalid(
      command,
      "--shard",
      `I/N with 1 <= I <= N <= ${MAX_SHARDS} (I counts from 1: sbatch --array=1-N)`,
      text,
    );
  }
  return { index, count };
}

/** Shard I's folder inside the run folder. */
export function shardDir(dir: string, s: ShardId): string {
  return join(dir, "shards", `shard-${String(s.index).padStart(String(s.count).length, "0")}`);
}

/** The shards of a run from its run.json, or null for a run that is not sharded. */
export function shardsOf(run: RunManifest | null): ShardsInfo | null {
  const s = run?.shards as Partial<ShardsInfo> | undefined;
  return s && typeof s.count === "number" && typeof s.split === "string" && typeof s.fingerprint === "string"
    ? (s as ShardsInfo)
    : null;
}

/** The run folder's run.json for a run of `config` in `count` shards. */
export function shardedManifest(config: SweepConfig, count: number) {
  return {
    config: configJson(config),
    config_hash: configHash(config),
    seed: config.seed,
    seed_bits: SEED_BITS,
    versions: versions(),
    status: "sharded",
    started: new Date().toISOString(),
    shards: { count, split: SPLIT_RULE, fingerprint: splitPlan(config, cells(config), count).fingerprint },
  };
}

/**
 * Makes sure `dir` holds a sharded run of `config` in `count` shards: writes its run.json when
 * there is none (by hard link, so that of shards starting together exactly one writes it and the
 * others read it whole), else checks it. Returns the run.json.
 */
export function joinShardedRun(command: string, dir: string, config: SweepConfig, count: number): RunManifest {
  mkdirSync(dir, { recursive: true });
  const path = manifestPath(dir);
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(shardedManifest(config, count), null, 2)}\n`);
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const run = readManifest(command, dir) as RunManifest;
  checkShardedRun(command, dir, run, config, count);
  return run;
}

/** Refuses a run folder that holds something other than this sharded run. */
export function checkShardedRun(
  command: string,
  dir: string,
  run: RunManifest,
  config: SweepConfig,
  count: number,
): void {
  const refuse = (got: string) =>
    errors.invalid(
      command,
      `the output folder ${dir}`,
      `empty or holding the shards of this configuration in ${count} shards (or use another --out)`,
      described(got),
    );
  const relation = relate(run.config, configJson(config));
  if (relation.kind !== "same") throw refuse(`a run whose configuration differs: ${relation.changes.join(", ")}`);
  const shards = shardsOf(run);
  if (!shards) throw refuse("a run made without --shard");
  if (shards.count !== count) throw refuse(`a run in ${shards.count} shards`);
  const mine = splitPlan(config, cells(config), count).fingerprint;
  if (shards.split !== SPLIT_RULE || shards.fingerprint !== mine) {
    throw refuse(
      `shards split otherwise (rule ${shards.split}, ${shards.fingerprint}; this mrsweep: ${SPLIT_RULE}, ${mine})`,
    );
  }
}

/** Updates the run folder's run.json (the slurm jobs submitted, a merge's outcome). */
export function updateRunJson(dir: string, run: RunManifest, changes: Record<string, unknown>): RunManifest {
  const next = { ...run, ...changes };
  writeJson(manifestPath(dir), next);
  return next;
}
