import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Piscina } from "piscina";
import { errors } from "../errors.js";
import { Appender } from "../io/append-file.js";
import { writeJson } from "../io/write-table.js";
import { configHash, configJson, type SweepConfig } from "./config.js";
import type { SweepEvent } from "./events.js";
import type { TaskMessage, TaskOutput, TaskResult } from "./messages.js";
import { versions, writeSummaryGroups } from "./outputs.js";
import { type Cell, cells, seedOf, sweepSetup, tasks } from "./plan.js";
import { createPool } from "./pool.js";
import {
  extraColumns,
  formatResult,
  ReplicatesWriter,
  recover,
  replicateColumns,
  summaryGroupsOf,
} from "./replicates.js";
import { failedResultRow } from "./run-task.js";
import { TaskInputs } from "./task-inputs.js";

/** Options of a sweep run. */
export interface SweepOptions {
  config: SweepConfig;
  dir: string;
  threads: number;
  /** Start afresh even if the directory holds a run of another configuration. */
  force?: boolean;
  /** Stop cleanly after this many failed tasks. */
  maxFailures?: number;
  /** Aborting stops submitting; results in flight are still written. */
  signal?: AbortSignal;
  onEvent?: (e: SweepEvent) => void;
}

/** Refuses a directory holding a run of a different configuration, unless forced (then clears it). */
function claimDirectory(dir: string, hash: string, force: boolean): void {
  const runFile = join(dir, "run.json");
  if (!existsSync(runFile)) return;
  const previous = JSON.parse(readFileSync(runFile, "utf8")) as { config_hash?: string };
  if (previous.config_hash === hash) return;
  if (!force) {
    throw errors.invalid(
      "sweep",
      `the output folder ${dir}`,
      "empty or holding a run of the same configuration (use --force to start afresh, or another --out)",
      `a run with configuration ${previous.config_hash}`,
    );
  }
  for (const f of ["replicates.csv", "summary.csv", "timings.csv", "run.json"]) rmSync(join(dir, f), { force: true });
}

/** A result for a task whose worker died: every estimator `failed` with the message. */
function crashed(inputs: TaskInputs, m: TaskMessage, e: unknown): TaskOutput {
  const task = inputs.of(m);
  const msg = `worker failed: ${(e as Error).message ?? String(e)}`;
  const r: TaskResult = {
    cell: m.cell,
    replicate: m.replicate,
    seed: m.seed,
    betaTrue: Number(task.params.beta),
    rows: task.estimators.map((s) => failedResultRow(s.name, msg)),
    seconds: task.estimators.map(() => 0),
  };
  return formatResult(inputs.lead(m.cell), inputs.extras, r);
}

/**
 * Runs (or resumes) a sweep into `dir`: replicates.csv incrementally, then sorted; summary.csv,
 * timings.csv and run.json. Finished tasks found in replicates.csv are not run again.
 */
export async function runSweep(o: SweepOptions): Promise<SweepOutcome> {
  const hash = configHash(o.config);
  mkdirSync(o.dir, { recursive: true });
  claimDirectory(o.dir, hash, o.force ?? false);
  const grid = cells(o.config);
  const columns = replicateColumns(o.config);
  const setup = sweepSetup(o.config, grid, extraColumns(columns));
  // The workers start (load their modules, instantiate the core) while this thread plans and recovers.
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
    return await sweepOn(pool, o, hash, { grid, columns, inputs: new TaskInputs(setup), release });
  } finally {
    await release();
  }
}

/** How a sweep ended. */
export interface SweepOutcome {
  status: "complete" | "stopped";
  failures: number;
}

/** The sweep's cells, replicates.csv columns, the task inputs its workers build, and how to shut the pool. */
interface Layout {
  grid: readonly Cell[];
  columns: readonly string[];
  inputs: TaskInputs;
  release: () => Promise<void>;
}

/** The sweep proper, on a pool that the caller destroys. */
async function sweepOn(pool: Piscina, o: SweepOptions, hash: string, layout: Layout): Promise<SweepOutcome> {
  const { config, dir } = o;
  const { grid, columns, inputs, release } = layout;
  const emit = o.onEvent ?? (() => {});
  const plan = tasks(config, grid);
  const csv = join(dir, "replicates.csv");
  const { table } = await recover(csv, columns, config, grid);
  const writer = ReplicatesWriter.open(csv, columns, table);
  const started = new Date();
  const runInfo = {
    config: configJson(config),
    config_hash: hash,
    seed: config.seed,
    threads: o.threads,
    versions: versions(),
    started: started.toISOString(),
  };
  writeJson(join(dir, "run.json"), { ...runInfo, status: "running" });
  const pending = plan.filter((t) => !table.has(t.cell, t.replicate));
  const perCell = grid.map((c) => ({
    id: c.id,
    label: c.label,
    tasks: config.replicates,
    done: table.doneIn(c.index),
  }));
  emit({
    type: "start",
    run: dir,
    total: plan.length,
    resumed: plan.length - pending.length,
    threads: o.threads,
    cells: perCell,
  });
  if (!existsSync(join(dir, "timings.csv")))
    appendFileSync(join(dir, "timings.csv"), "cell_id,replicate,estimator,seconds\n");
  const timings = new Appender(join(dir, "timings.csv"));

  let failures = 0;
  let stop = false;
  const onAbort = () => {
    if (!stop) emit({ type: "stopping", reason: "interrupted" });
    stop = true;
  };
  o.signal?.addEventListener("abort", onAbort);
  const record = (cell: Cell, r: TaskOutput) => {
    table.set(r.cell, r.replicate, r.csv, r.numbers);
    const failed = r.failures;
    for (const f of failed)
      emit({
        type: "failure",
        cellId: cell.id,
        replicate: r.replicate,
        seed: r.seed,
        estimator: f.estimator,
        message: f.message,
      });
    if (failed.length > 0 && ++failures >= (o.maxFailures ?? Number.POSITIVE_INFINITY) && !stop) {
      stop = true;
      emit({ type: "stopping", reason: `${failures} failed tasks (--max-failures)` });
    }
    emit({
      type: "task",
      cell: r.cell,
      replicate: r.replicate,
      failed: failed.length,
      seconds: r.seconds,
    });
    const c = perCell[r.cell] as { done: number; tasks: number };
    if (++c.done === c.tasks) emit({ type: "cell-done", cell: r.cell });
  };
  let next = 0;
  let taskSeconds = 0;
  let tasksTimed = 0;
  // Chunks of about 100 ms of work: a chunk costs the main thread ~0.3 ms (message, promise,
  // two file writes) whatever its size, so cheap tasks go many at a time and slow ones one at a
  // time. Near the end chunks shrink, so that no worker is left with a long last chunk alone.
  const chunkSize = () => {
    if (tasksTimed === 0) return 1;
    const byTime = Math.round(0.1 / (taskSeconds / tasksTimed));
    const byTail = Math.ceil((pending.length - next) / (4 * o.threads));
    return Math.max(1, Math.min(32, byTime, byTail));
  };
  const inFlight = new Set<Promise<void>>();
  const launch = () => {
    while (!stop && next < pending.length && inFlight.size < 2 * o.threads) {
      const chunk = pending.slice(next, next + chunkSize());
      next += chunk.length;
      for (const t of chunk) emit({ type: "task-start", cell: t.cell, replicate: t.replicate });
      const messages = chunk.map(
        (t): TaskMessage => ({
          cell: t.cell,
          replicate: t.replicate,
          seed: seedOf(config, grid[t.cell] as Cell, t.replicate),
        }),
      );
      // A chunk whose worker died is retried one task at a time, so only the task that kills its
      // worker is recorded as failed.
      const runOne = (m: TaskMessage) =>
        (pool.run([m]) as Promise<TaskOutput[]>).catch((e: unknown) => [crashed(inputs, m, e)]);
      const p: Promise<void> = (pool.run(messages) as Promise<TaskOutput[]>)
        .catch(async (e: unknown) =>
          messages.length === 1
            ? [crashed(inputs, messages[0] as TaskMessage, e)]
            : (await Promise.all(messages.map(runOne))).flat(),
        )
        .then((results) => {
          // One write per file for the whole chunk: a task's rows stay together, and a torn write
          // loses only tasks that recovery then runs again.
          writer.append(results.map((r) => r.csv).join(""));
          timings.append(results.map((r) => r.timings).join(""));
          for (const r of results) {
            taskSeconds += r.seconds;
            tasksTimed++;
            record(grid[r.cell] as Cell, r);
          }
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };
  try {
    launch();
    while (inFlight.size > 0) {
      await Promise.race(inFlight);
      launch();
    }
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    void release();
    writer.close();
    timings.close();
  }
  writer.finalize(table);
  const status = table.size === plan.length ? "complete" : "stopped";
  // The rows as read back from the sorted replicates.csv, without parsing it again.
  await writeSummaryGroups(dir, summaryGroupsOf(config, grid, table), config);
  const ended = new Date();
  writeJson(join(dir, "run.json"), {
    ...runInfo,
    status,
    ended: ended.toISOString(),
    seconds: (ended.getTime() - started.getTime()) / 1000,
    tasks: { total: plan.length, done: table.size, resumed: plan.length - pending.length, failed_tasks: failures },
  });
  emit({
    type: "end",
    status,
    done: table.size,
    total: plan.length,
    failures,
    seconds: (ended.getTime() - started.getTime()) / 1000,
    dir,
  });
  return { status, failures };
}
