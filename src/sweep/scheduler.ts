import type { Piscina } from "piscina";
import { thrownRow } from "../estimators/inference.js";
import type { SweepConfig } from "./config.js";
import type { SweepEvent } from "./events.js";
import type { PartOutput, TaskMessage, TaskOutput, TaskResult } from "./messages.js";
import { type Cell, type SeedBits, seedOf, type Task } from "./plan.js";
import { formatResult } from "./replicates.js";
import type { RunSink } from "./run-sink.js";
import type { TaskInputs } from "./task-inputs.js";
import { type Job, TaskQueue } from "./task-queue.js";

/** What `runTasks` runs and where results go. */
export interface Schedule {
  config: SweepConfig;
  grid: readonly Cell[];
  seedBits: SeedBits;
  inputs: TaskInputs;
  threads: number;
  sink: RunSink;
  /** Aborting stops sending tasks; results in flight are still written. */
  signal?: AbortSignal;
  emit: (e: SweepEvent) => void;
}

/**
 * The scheduler of every run (local or a shard): sends `pending` (in the order given) to the pool
 * and hands each chunk's results to the sink, until nothing is left or the sink stops.
 */
export async function runTasks(pool: Piscina, pending: readonly Task[], s: Schedule): Promise<void> {
  const onAbort = () => s.sink.halt("interrupted");
  s.signal?.addEventListener("abort", onAbort);
  try {
    const queue = new TaskQueue(pending, () => s.inputs.parts);
    await runChunks(pool, queue, {
      threads: s.threads,
      message: (t) => ({
        cell: t.cell,
        replicate: t.replicate,
        seed: seedOf(s.config, s.grid[t.cell] as Cell, t.replicate, s.seedBits),
      }),
      crashed: (m, e) => crashed(s.inputs, m, e),
      stopped: () => s.sink.stopped,
      onStart: (t) => s.emit({ type: "task-start", cell: t.cell, replicate: t.replicate }),
      onPart: (r) => s.emit({ type: "part", cell: r.cell, replicate: r.replicate }),
      onResults: (results) => s.sink.write(results),
    });
  } finally {
    s.signal?.removeEventListener("abort", onAbort);
  }
}

/** How `runChunks` builds, reports and records tasks. */
export interface ChunkHooks {
  threads: number;
  /** The message of a task (its seed derived). */
  message: (t: Task) => TaskMessage;
  /** The result of a task whose worker died. */
  crashed: (m: TaskMessage, e: unknown) => TaskOutput;
  /** Whether to stop sending tasks (interrupted, too many failures); tasks in flight finish. */
  stopped: () => boolean;
  onStart: (t: Task) => void;
  /** A chunk's task results, in the order sent; called once per chunk that finished a task. */
  onResults: (results: TaskOutput[]) => void;
  /** A piece of a task came back (its result kept by the queue). */
  onPart?: (r: PartOutput) => void;
}

type Output = TaskOutput | PartOutput;

/** A part task whose worker died comes back without its piece: the task then computes it itself. */
function lostPart(m: TaskMessage, h: ChunkHooks, e: unknown): Output {
  if (!m.part) return h.crashed(m, e);
  return {
    kind: "part",
    cell: m.cell,
    replicate: m.replicate,
    seed: m.seed,
    key: m.part.key,
    result: undefined,
    seconds: 0,
  };
}

/**
 * Sends the jobs of `queue` to the pool in chunks of about 100 ms of work, at most two chunks per
 * thread in flight: a chunk costs the main thread ~0.3 ms (message, promise, two file writes)
 * whatever its size, so cheap tasks go many at a time and slow ones one at a time. Near the end
 * chunks shrink, so that no worker is left with a long last chunk alone. A chunk whose worker died
 * is retried one job at a time, so only the task that kills its worker is recorded as failed.
 * Part tasks' pieces go back to the queue, which then releases their task (src/sweep/parts.ts).
 */
export async function runChunks(pool: Piscina, queue: TaskQueue, h: ChunkHooks): Promise<void> {
  let jobSeconds = 0;
  let jobsTimed = 0;
  const chunkSize = () => {
    if (jobsTimed === 0) return 1;
    const byTime = Math.round(0.1 / (jobSeconds / jobsTimed));
    const byTail = Math.ceil(queue.left / (4 * h.threads));
    return Math.max(1, Math.min(32, byTime, byTail));
  };
  const toMessage = (j: Job): TaskMessage => {
    const m = h.message(j.task);
    if (j.part) return { ...m, part: j.part };
    const parts = queue.piecesOf(j.task);
    return parts ? { ...m, parts } : m;
  };
  const inFlight = new Set<Promise<void>>();
  const runOne = (m: TaskMessage) => (pool.run([m]) as Promise<Output[]>).catch((e: unknown) => [lostPart(m, h, e)]);
  const nextChunk = (): Job[] => {
    const chunk: Job[] = [];
    for (let size = chunkSize(); chunk.length < size; ) {
      // Once stopped, only tasks whose pieces are all back still go (their work is done).
      const job = queue.take(h.stopped());
      if (!job) break;
      chunk.push(job);
    }
    return chunk;
  };
  const launch = () => {
    while (inFlight.size < 2 * h.threads) {
      const chunk = nextChunk();
      if (chunk.length === 0) return;
      for (const j of chunk) if (j.first) h.onStart(j.task);
      const messages = chunk.map(toMessage);
      const p: Promise<void> = (pool.run(messages) as Promise<Output[]>)
        .catch(async (e: unknown) =>
          messages.length === 1
            ? [lostPart(messages[0] as TaskMessage, h, e)]
            : (await Promise.all(messages.map(runOne))).flat(),
        )
        .then((results) => {
          const tasks: TaskOutput[] = [];
          for (const r of results) {
            jobSeconds += r.seconds;
            jobsTimed++;
            if (r.kind === "part") {
              queue.partDone(r, r.key, r.result, r.seconds);
              h.onPart?.(r);
            } else tasks.push(r);
          }
          if (tasks.length > 0) h.onResults(tasks);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };
  launch();
  while (inFlight.size > 0) {
    await Promise.race(inFlight);
    launch();
  }
}

/** A result for a task whose worker died: every estimator `failed` with the message. */
export function crashed(inputs: TaskInputs, m: TaskMessage, e: unknown): TaskOutput {
  const task = inputs.of(m);
  const msg = `worker failed: ${(e as Error).message ?? String(e)}`;
  const r: TaskResult = {
    cell: m.cell,
    replicate: m.replicate,
    seed: m.seed,
    betaTrue: Number(task.params.beta),
    rows: task.estimators.map((s) => thrownRow(s.name, msg)),
    seconds: task.estimators.map(() => 0),
  };
  return formatResult(inputs.lead(m.cell), inputs.extras, r);
}
