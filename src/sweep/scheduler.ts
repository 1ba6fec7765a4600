import type { Piscina } from "piscina";
import { thrownRow } from "../estimators/inference.js";
import type { TaskMessage, TaskOutput, TaskResult } from "./messages.js";
import type { Task } from "./plan.js";
import { formatResult } from "./replicates.js";
import type { TaskInputs } from "./task-inputs.js";

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
  /** A chunk's results, in the order sent; called once per chunk. */
  onResults: (results: TaskOutput[]) => void;
}

/**
 * Sends `pending` to the pool in chunks of about 100 ms of work, at most two chunks per thread in
 * flight: a chunk costs the main thread ~0.3 ms (message, promise, two file writes) whatever its
 * size, so cheap tasks go many at a time and slow ones one at a time. Near the end chunks shrink,
 * so that no worker is left with a long last chunk alone. A chunk whose worker died is retried one
 * task at a time, so only the task that kills its worker is recorded as failed.
 */
export async function runChunks(pool: Piscina, pending: readonly Task[], h: ChunkHooks): Promise<void> {
  let next = 0;
  let taskSeconds = 0;
  let tasksTimed = 0;
  const chunkSize = () => {
    if (tasksTimed === 0) return 1;
    const byTime = Math.round(0.1 / (taskSeconds / tasksTimed));
    const byTail = Math.ceil((pending.length - next) / (4 * h.threads));
    return Math.max(1, Math.min(32, byTime, byTail));
  };
  const inFlight = new Set<Promise<void>>();
  const runOne = (m: TaskMessage) => (pool.run([m]) as Promise<TaskOutput[]>).catch((e: unknown) => [h.crashed(m, e)]);
  const launch = () => {
    while (!h.stopped() && next < pending.length && inFlight.size < 2 * h.threads) {
      const chunk = pending.slice(next, next + chunkSize());
      next += chunk.length;
      for (const t of chunk) h.onStart(t);
      const messages = chunk.map(h.message);
      const p: Promise<void> = (pool.run(messages) as Promise<TaskOutput[]>)
        .catch(async (e: unknown) =>
          messages.length === 1
            ? [h.crashed(messages[0] as TaskMessage, e)]
            : (await Promise.all(messages.map(runOne))).flat(),
        )
        .then((results) => {
          for (const r of results) {
            taskSeconds += r.seconds;
            tasksTimed++;
          }
          h.onResults(results);
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
