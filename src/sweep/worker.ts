import { workerData } from "piscina";
import { getCore } from "../core/load.js";
import type { FormattedResult, TaskMessage } from "./messages.js";
import { formatResult } from "./replicates.js";
import { runTask } from "./run-task.js";

// One WASM instance per worker, created when the worker module loads, from the module the main
// thread compiled once.
const core = getCore("release", (workerData as { module?: WebAssembly.Module } | undefined)?.module);

/**
 * Test hook: MRSWEEP_INJECT="fail@CELL:REPLICATE:ESTIMATOR,crash@CELL:REPLICATE" makes that
 * estimator throw, or the worker exit, on that task (cell index from 0, replicate from 1).
 */
const inject = (process.env.MRSWEEP_INJECT ?? "").split(",").filter(Boolean);

/** Runs a chunk of tasks in this worker, in order, and formats their CSV rows here, off the main thread. */
export default function work(chunk: readonly TaskMessage[]): FormattedResult[] {
  const out: FormattedResult[] = [];
  for (const task of chunk) {
    const at = `${task.cell}:${task.replicate}`;
    if (inject.includes(`crash@${at}`)) process.exit(70);
    const r = runTask(core, task, (name) => inject.includes(`fail@${at}:${name}`));
    out.push({ ...r, ...formatResult(task.lead, task.extras, r) });
  }
  return out;
}
