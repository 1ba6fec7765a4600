import type { Core } from "../core/memory.js";
import { toIndividualData } from "../estimators/fit.js";
import { getEstimator } from "../estimators/registry.js";
import type { EstimatorSpec } from "./config.js";
import type { PartOutput } from "./messages.js";
import type { PartRef } from "./part-refs.js";
import { simulateReserved, type TaskInput } from "./run-task.js";

/**
 * Fit parts in sweeps (`FitParts`, src/estimators/types.ts): a task whose estimators declare two or
 * more pieces (inv_repr's λ runs) is sent first as one part task per piece, on any worker, and then
 * as the task itself with the pieces' results, which its fits read instead of computing them.
 * Pieces are deterministic, so the rows are the same whichever worker made them, or none.
 */

/**
 * Runs one piece in this worker: simulates the task's dataset and computes the piece. A piece that
 * throws comes back without a result: the task's fit then computes it and reports what happened.
 */
export function runPart(core: Core, t: TaskInput, part: PartRef): PartOutput {
  const base = core.wasm.mark();
  const t0 = performance.now();
  try {
    const spec = t.estimators[part.spec] as EstimatorSpec;
    const est = getEstimator(spec.id);
    const { sim } = simulateReserved(core, t, base);
    const data = toIndividualData(sim.data, sim.roles, "sweep");
    const memory = core.wasm.memory.buffer;
    let result: unknown;
    try {
      if (est.input === "individual" && est.parts) {
        const truth = { beta: sim.meta.beta_true, betaIndividual: null, design: t.params };
        const ctx = { core, seed: `${t.seed}:${spec.name}`, dataSeed: t.seed, truth };
        result = est.parts.run(data, spec.params, ctx, part.key);
      }
    } catch {
      result = undefined;
    }
    // A piece that outgrew the workspace read detached data: the task recomputes it and reports that.
    if (core.wasm.memory.buffer !== memory) result = undefined;
    const seconds = (performance.now() - t0) / 1000;
    return { kind: "part", cell: t.cell, replicate: t.replicate, seed: t.seed, key: part.key, result, seconds };
  } finally {
    core.wasm.reset(base);
  }
}
