import { workerData } from "piscina";
import { CORE_MEMORY_BYTES } from "../core/capacity.js";
import { getCore } from "../core/load.js";
import { loadPlugin } from "../plugins/load.js";
import type { PartOutput, SweepSetup, TaskMessage, TaskOutput } from "./messages.js";
import { runPart } from "./parts.js";
import { formatResult } from "./replicates.js";
import { runTask } from "./run-task.js";
import { TaskInputs } from "./task-inputs.js";

const data = workerData as { module: WebAssembly.Module; setup: SweepSetup };

// One WASM instance per worker, created when the worker module loads, from the module the main
// thread compiled once; the sweep's shared settings arrive with it.
const core = getCore("release", data.module);

/**
 * Plug-ins register their estimators and DGPs before anything looks them up (TaskInputs finds the
 * DGP when made); a file changed since the main thread hashed it is refused, so that every task of
 * a run runs the same code. Loading is async (import) but must not be a top-level await: Node 20
 * loads this module with require() first, and a module with top-level await then fails to import.
 */
const plugins = data.setup.plugins ?? [];
let inputs: TaskInputs | undefined = plugins.length === 0 ? new TaskInputs(data.setup) : undefined;
const loading: Promise<void> | null =
  plugins.length === 0
    ? null
    : (async () => {
        for (const p of plugins) await loadPlugin("sweep worker", p.path, { sha256: p.sha256 });
        inputs = new TaskInputs(data.setup);
      })();
// A refusal surfaces in every task's result (work() rejects with it), not as an unhandled rejection.
loading?.catch(() => {});

/**
 * Test hook: MRSWEEP_INJECT="fail@CELL:REPLICATE:ESTIMATOR,crash@CELL:REPLICATE" makes that
 * estimator throw, or the worker exit, on that task (cell index from 0, replicate from 1);
 * "exhaust-core" fills the core's memory first, as a machine out of memory would leave it.
 */
const inject = (process.env.MRSWEEP_INJECT ?? "").split(",").filter(Boolean);
if (inject.includes("exhaust-core")) core.alloc(Math.floor((CORE_MEMORY_BYTES - 16 - core.wasm.mark()) / 8));

/**
 * Runs a chunk of tasks in this worker, in order, and formats their CSV rows here, off the main
 * thread; a part task (src/sweep/parts.ts) gives its piece instead.
 */
export default function work(
  chunk: readonly TaskMessage[],
): Array<TaskOutput | PartOutput> | Promise<Array<TaskOutput | PartOutput>> {
  if (inputs) return runChunk(inputs, chunk);
  return (loading as Promise<void>).then(() => runChunk(inputs as TaskInputs, chunk));
}

/** Runs a chunk's tasks in order, once the sweep's inputs exist. */
function runChunk(inputs: TaskInputs, chunk: readonly TaskMessage[]): Array<TaskOutput | PartOutput> {
  const out: Array<TaskOutput | PartOutput> = [];
  for (const m of chunk) {
    const at = `${m.cell}:${m.replicate}`;
    if (m.part) {
      out.push(runPart(core, inputs.of(m), m.part));
      continue;
    }
    if (inject.includes(`crash@${at}`)) process.exit(70);
    const r = runTask(core, inputs.of(m), (name) => inject.includes(`fail@${at}:${name}`));
    out.push(formatResult(inputs.lead(m.cell), inputs.extras, r, inputs.units));
  }
  return out;
}
