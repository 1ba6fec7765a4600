import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Piscina } from "piscina";
import { errors, isFileSystemError } from "../errors.js";
import { externalRecord } from "../external/config.js";
import { writeJson } from "../io/write-table.js";
import { configHash, configJson, type SweepConfig } from "./config.js";
import { costNote, expectedSeconds } from "./cost.js";
import type { SweepEvent } from "./events.js";
import { finaliseRun } from "./finalise.js";
import { versions } from "./outputs.js";
import { type Cell, cells, interleaved, sweepSetup, type Task } from "./plan.js";
import { createPool } from "./pool.js";
import { extraColumns, replicateColumns } from "./replicates.js";
import { type Claim, claimRunDir } from "./run-dir.js";
import { RunSink } from "./run-sink.js";
import { runTasks } from "./scheduler.js";
import { keepOwn, type RunScope, runScope } from "./scope.js";
import type { ShardId } from "./shard.js";
import { spotCheck } from "./spot-check.js";
import { TaskInputs } from "./task-inputs.js";
import { unitColumns } from "./units.js";

/** Options of a sweep run. */
export interface SweepOptions {
  config: SweepConfig;
  dir: string;
  threads: number;
  /** Start afresh even if the directory holds a run of another configuration. */
  force?: boolean;
  /** Run again the finished tasks that have a failed estimator. */
  retryFailed?: boolean;
  /** Also write units.csv, the estimators' per-unit outputs (src/sweep/units.ts). */
  units?: boolean;
  /** Stop cleanly after this many failed tasks. */
  maxFailures?: number;
  /** Aborting stops submitting; results in flight are still written. */
  signal?: AbortSignal;
  onEvent?: (e: SweepEvent) => void;
  /** Run only this shard of the plan, in its folder inside `dir` (src/sweep/shard.ts). */
  shard?: ShardId;
}

/**
 * Runs (or resumes, or extends) a sweep into `dir`: replicates.csv incrementally, then sorted;
 * summary.csv, timings.csv and run.json. Verified finished tasks found in replicates.csv are not
 * run again; one sweep at a time holds the folder's lock.
 */
export async function runSweep(o: SweepOptions): Promise<SweepOutcome> {
  const grid = cells(o.config);
  const scope = runScope(o.dir, o.config, grid, o.shard);
  const claim = claimRunDir(scope.dir, o.config, { force: o.force ?? false, grid });
  try {
    if (o.retryFailed)
      for (const t of claim.recovered.table.failedTasks()) claim.recovered.table.delete(t.cell, t.replicate);
    const foreign = o.shard ? keepOwn(claim, scope, grid, o.config.replicates) : 0;
    const { table } = claim.recovered;
    const total = scope.tasks.length;
    const clean = claim.recovered.droppedRows === 0 && foreign === 0;
    if (table.size === total && claim.previous?.status === "complete" && clean) {
      if (!scope.summary || existsSync(join(scope.dir, "summary.csv"))) {
        return { status: "complete", failures: table.failures, done: total, total, nothingToDo: true };
      }
    }
    return await sweepPool(o, grid, claim, scope);
  } catch (e) {
    if (isFileSystemError(e)) {
      throw errors.fileSystem(
        "sweep",
        e.path,
        e,
        "the run keeps what it finished and resumes when run again once this is fixed",
      );
    }
    throw e;
  } finally {
    claim.lock.release();
  }
}

/** Starts the pool and runs the sweep on it; the pool is destroyed whatever happens. */
async function sweepPool(o: SweepOptions, grid: readonly Cell[], claim: Claim, scope: RunScope): Promise<SweepOutcome> {
  const columns = replicateColumns(o.config);
  const setup = {
    ...sweepSetup(o.config, grid, extraColumns(columns)),
    ...(o.units ? { units: unitColumns(o.config) } : {}),
  };
  // The workers start (load their modules, instantiate the core) while this thread plans.
  const pool = createPool(o.threads, setup);
  let closing: Promise<void> | undefined;
  // Called as soon as no task is left, so the workers shut down while this thread writes the
  // outputs; awaited (once) before returning, whatever happened.
  const release = () => {
    if (!closing) {
      closing = pool.destroy();
      closing.catch(() => {});
    }
    return closing;
  };
  try {
    return await sweepOn(pool, o, claim, { grid, columns, inputs: new TaskInputs(setup), release, scope });
  } finally {
    await release();
  }
}

/** How a sweep ended: `failures` counts the tasks in replicates.csv with a failed estimator. */
export interface SweepOutcome {
  status: "complete" | "stopped";
  failures: number;
  done: number;
  total: number;
  /** The run was complete already: nothing was run or written. */
  nothingToDo?: boolean;
}

/** The sweep's cells, replicates.csv columns, the task inputs its workers build, and how to shut the pool. */
interface Layout {
  grid: readonly Cell[];
  columns: readonly string[];
  inputs: TaskInputs;
  release: () => Promise<void>;
  scope: RunScope;
}

/** The sweep proper, on a pool that the caller destroys: claim checks, the scheduler, the sink, the end. */
async function sweepOn(pool: Piscina, o: SweepOptions, claim: Claim, layout: Layout): Promise<SweepOutcome> {
  const { config } = o;
  const { grid, columns, inputs, release, scope } = layout;
  const { dir } = scope;
  const emit = o.onEvent ?? (() => {});
  const plan = scope.tasks;
  const { table } = claim.recovered;
  if (!claim.previous && table.size > 0) await spotCheck(pool, { config, dir }, claim, grid);
  const started = new Date();
  const info = { ...runInfo(o, claim, started), ...scope.manifest };
  writeJson(join(dir, "run.json"), { ...info, status: "running" });
  const pending = interleaved(plan.filter((t) => !table.has(t.cell, t.replicate)));
  const perCell = grid.map((c) => ({
    id: c.id,
    label: c.label,
    tasks: config.replicates,
    done: table.doneIn(c.index),
  }));
  announce(o, claim, grid, pending, emit);
  emit({
    type: "start",
    run: dir,
    total: plan.length,
    resumed: plan.length - pending.length,
    threads: o.threads,
    cells: perCell.map((c) => ({ ...c })),
  });
  const sink = RunSink.open({
    dir,
    grid,
    columns,
    table,
    perCell,
    emit,
    ...(inputs.units ? { units: inputs.units } : {}),
    ...(o.maxFailures === undefined ? {} : { maxFailures: o.maxFailures }),
  });
  const schedule = { config, grid, seedBits: claim.seedBits, inputs, threads: o.threads, sink, emit };
  try {
    await runTasks(pool, pending, o.signal ? { ...schedule, signal: o.signal } : schedule);
  } finally {
    void release();
    sink.close();
  }
  let ended = started;
  const status = await finaliseRun({
    dir,
    config,
    grid,
    table,
    total: plan.length,
    summary: scope.summary,
    manifest: (status) => {
      ended = new Date();
      return {
        ...info,
        status,
        ended: ended.toISOString(),
        seconds: (ended.getTime() - started.getTime()) / 1000,
        tasks: {
          total: plan.length,
          done: table.size,
          resumed: plan.length - pending.length,
          failed_tasks: table.failures,
          failed_this_run: sink.failures,
        },
      };
    },
  });
  emit({
    type: "end",
    status,
    done: table.size,
    total: plan.length,
    failures: table.failures,
    seconds: (ended.getTime() - started.getTime()) / 1000,
    dir,
  });
  return { status, failures: table.failures, done: table.size, total: plan.length };
}

/** run.json's fields that say what made the run: configuration, seeds, threads, versions, start times. */
function runInfo(o: SweepOptions, claim: Claim, started: Date): Record<string, unknown> {
  return {
    config: configJson(o.config),
    config_hash: configHash(o.config),
    seed: o.config.seed,
    seed_bits: claim.seedBits,
    threads: o.threads,
    versions: versions(),
    started: claim.previous?.started ?? started.toISOString(),
    last_started: started.toISOString(),
    ...externalRecord(o.config),
  };
}

/** The notes before a run starts: the claim's, the expected cost of what is left, rows dropped on resume. */
function announce(
  o: SweepOptions,
  claim: Claim,
  grid: readonly Cell[],
  pending: readonly Task[],
  emit: (e: SweepEvent) => void,
): void {
  for (const text of claim.notes) emit({ type: "note", text });
  const left = grid.map(() => 0);
  for (const t of pending) left[t.cell] = (left[t.cell] as number) + 1;
  const cost = costNote(
    expectedSeconds(o.config, grid, (cell) => left[cell] as number),
    o.threads,
  );
  if (cost) emit({ type: "note", text: cost });
  const { droppedRows, tornLine, firstProblem } = claim.recovered;
  if (droppedRows > 0 || tornLine) {
    emit({
      type: "note",
      text: `dropped ${droppedRows} rows of replicates.csv that did not verify${tornLine ? " and a torn last line" : ""} (first at ${firstProblem ?? "the end of the file"}); their tasks run again`,
    });
  }
}
