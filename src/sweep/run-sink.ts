import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Appender } from "../io/append-file.js";
import type { SweepEvent } from "./events.js";
import type { TaskOutput } from "./messages.js";
import type { Cell } from "./plan.js";
import { ReplicatesWriter } from "./replicates.js";
import type { TaskTable } from "./task-table.js";
import { openUnits } from "./units.js";

/** What a run sink writes to and reports with. */
export interface SinkOptions {
  dir: string;
  grid: readonly Cell[];
  /** replicates.csv's columns. */
  columns: readonly string[];
  /** The verified tasks found, rewritten first; every result is recorded into it. */
  table: TaskTable;
  /** Per cell, the tasks this run owns and how many are done (a shard owns only some). */
  perCell: Array<{ tasks: number; done: number }>;
  /** units.csv's output columns (sweep --units), else none. */
  units?: readonly string[];
  maxFailures?: number;
  emit: (e: SweepEvent) => void;
}

/**
 * Where a run's task results go as they come back: replicates.csv, timings.csv and units.csv,
 * one write per file per chunk (a task's rows stay together, so a torn write loses only tasks
 * that recovery runs again), the TaskTable, and the progress events. It also decides when the run
 * stops sending tasks (interrupted, or --max-failures reached).
 */
export class RunSink {
  /** Tasks with a failed estimator recorded by this run. */
  failures = 0;
  private stop = false;

  private constructor(
    private readonly o: SinkOptions,
    private readonly writer: ReplicatesWriter,
    private readonly timings: Appender,
    private readonly units: Appender | null,
  ) {}

  /** Rewrites replicates.csv with the recovered tasks, then opens the files for appending. */
  static open(o: SinkOptions): RunSink {
    const writer = ReplicatesWriter.open(join(o.dir, "replicates.csv"), o.columns, o.table);
    const timingsPath = join(o.dir, "timings.csv");
    if (!existsSync(timingsPath)) appendFileSync(timingsPath, "cell_id,replicate,estimator,seconds\n");
    const timings = new Appender(timingsPath);
    const units = o.units ? openUnits(join(o.dir, "units.csv"), o.units) : null;
    return new RunSink(o, writer, timings, units);
  }

  /** Whether to stop sending tasks; tasks in flight still finish and are written. */
  get stopped(): boolean {
    return this.stop;
  }

  /** Stops sending tasks, saying why once. */
  halt(reason: string): void {
    if (!this.stop) this.o.emit({ type: "stopping", reason });
    this.stop = true;
  }

  /** Writes a chunk's results (whole tasks, in the order sent) and records each one. */
  write(results: readonly TaskOutput[]): void {
    this.writer.append(results.map((r) => r.csv).join(""));
    this.timings.append(results.map((r) => r.timings).join(""));
    this.units?.append(results.map((r) => r.units ?? "").join(""));
    for (const r of results) this.record(r);
  }

  private record(r: TaskOutput): void {
    const { table, grid, emit } = this.o;
    const cell = grid[r.cell] as Cell;
    table.set(r.cell, r.replicate, r.csv, r.numbers, r.failures.length > 0);
    for (const f of r.failures)
      emit({
        type: "failure",
        cellId: cell.id,
        replicate: r.replicate,
        seed: r.seed,
        estimator: f.estimator,
        message: f.message,
      });
    if (r.failures.length > 0 && ++this.failures >= (this.o.maxFailures ?? Number.POSITIVE_INFINITY) && !this.stop)
      this.halt(`${this.failures} failed tasks (--max-failures)`);
    emit({ type: "task", cell: r.cell, replicate: r.replicate, failed: r.failures.length, seconds: r.seconds });
    const c = this.o.perCell[r.cell] as { done: number; tasks: number };
    if (++c.done === c.tasks) emit({ type: "cell-done", cell: r.cell });
  }

  /** Closes the appended files (the run's end rewrites replicates.csv: src/sweep/finalise.ts). */
  close(): void {
    this.writer.close();
    this.timings.close();
    this.units?.close();
  }
}
