import { workerData } from "piscina";
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
// Plug-ins register their estimators and DGPs before anything looks them up; a file changed since
// the main thread hashed it is refused, so that every task of a run runs the same code.
for (const p of data.setup.plugins ?? []) await loadPlugin("sweep worker", p.path, { sha256: p.sha256 });
const inputs = new TaskInputs(data.setup);

/**
 * Test hook: MRSWEEP_INJECT="fail@CELL:REPLICATE:ESTIMATOR,crash@CELL:REPLICATE" makes that
 * estimator throw, or the worker exit, on that task (cell index from 0, replicate from 1).
 */
const inject = (process.env.MRSWEEP_INJECT ?? "").split(",").filter(Boolean);

/**
 * Runs a chunk of tasks in this worker, in order, and formats their CSV rows here, off the main
 * thread; a part task (src/sweep/parts.ts) gives its piece instead.
 */
export default function work(chunk: readonly TaskMessage[]): Array<TaskOutput | PartOutput> {
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
