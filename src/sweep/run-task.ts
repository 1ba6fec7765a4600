import { CORE_MEMORY_BYTES, formatBytes } from "../core/capacity.js";
import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { Dataset, fitDataset } from "../estimators/dataset.js";
import { toIndividualData } from "../estimators/fit.js";
import { thrownRow } from "../estimators/inference.js";
import { getEstimator } from "../estimators/registry.js";
import type { EstimateRow, Truth } from "../estimators/types.js";
import { largestWorkspace } from "../estimators/workspace.js";
import { CoreArrays } from "../sim/arrays.js";
import { simulateResolved } from "../sim/simulate.js";
import type { Dgp, Simulated } from "../sim/types.js";
import type { EstimatorSpec } from "./config.js";
import type { TaskResult } from "./messages.js";

/** A task ready to run: its DGP and resolved parameters (the task's seed included), backend and estimators. */
export interface TaskInput {
  readonly cell: number;
  readonly replicate: number;
  readonly seed: number;
  readonly dgp: Dgp<object>;
  /** The DGP's parameters as `resolveParams` gives them, with the task's seed. */
  readonly params: Record<string, unknown>;
  readonly rng: string;
  /** Estimators with their resolved parameters (a parsed sweep config's). */
  readonly estimators: readonly EstimatorSpec[];
  /** Pieces of the fits computed by part tasks, by key (src/sweep/parts.ts). */
  readonly parts?: ReadonlyMap<string, unknown>;
  /** Seconds of those pieces, per estimator (added to its fit time). */
  readonly partSeconds?: readonly number[];
}

/** Each core's allocator of dataset arrays in its arena (one per core, made once). */
const arenas = new WeakMap<Core, CoreArrays>();

/**
 * The task's dataset, simulated into the core's arena from `base` up (the arena is reset there
 * first). Memory that grows while it is drawn detaches the views handed out before, so the draw is
 * repeated until memory held still: the same seed at the same addresses gives the same dataset.
 */
export function simulateInCore(core: Core, t: TaskInput, base: number): Simulated {
  let arrays = arenas.get(core);
  if (!arrays) {
    arrays = new CoreArrays(core);
    arenas.set(core, arrays);
  }
  for (;;) {
    core.wasm.reset(base);
    const memory = core.wasm.memory.buffer;
    try {
      const sim = simulateResolved(t.dgp, t.params, { rng: t.rng, core, alloc: arrays.take });
      if (core.wasm.memory.buffer === memory) return sim;
    } catch (e) {
      if (core.wasm.memory.buffer === memory) throw e;
    }
  }
}

/**
 * A constant estimate's per-person error, mean_i (estimate - beta_i)^2, where beta_i is the
 * simulation's per-person effect (beta for everyone when the effect is homogeneous, as the ctx_*
 * estimators score their own per-person effects): with it every estimator's person_mse compares
 * with a contextualized fit's.
 */
export function personMse(estimate: number, truth: Truth): number {
  const b = truth.betaIndividual;
  if (!b) return (estimate - truth.beta) ** 2;
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (estimate - (b[i] as number)) ** 2;
  return s / b.length;
}

/** One estimator's row; an estimator that throws (a bug, by the estimator contract) gives a failed row. */
function fitRow(
  core: Core,
  t: TaskInput,
  spec: EstimatorSpec,
  data: Dataset,
  truth: Truth,
  injectFailure: (estimator: string) => boolean,
): EstimateRow {
  try {
    if (injectFailure(spec.name)) throw new Error(`injected failure in ${spec.name}`);
    const ctx = {
      core,
      seed: `${t.seed}:${spec.name}`,
      dataSeed: t.seed,
      truth,
      ...(t.parts ? { parts: t.parts } : {}),
    };
    const row = fitDataset(getEstimator(spec.id), data, spec.params, ctx);
    const extras =
      "person_mse" in row.extras ? row.extras : { ...row.extras, person_mse: personMse(row.estimate, truth) };
    return { ...row, estimator: spec.name, extras };
  } catch (e) {
    return thrownRow(spec.name, (e as Error).message);
  }
}

/** The largest workspace the task's estimators declare for this dataset (bytes of the core's arena). */
function taskWorkspace(t: TaskInput, sim: Simulated): number {
  const shape = {
    n: sim.data.n,
    columns: sim.data.names.length,
    instruments: sim.roles.instruments.length,
    twoSample: sim.roles.sample !== undefined,
  };
  const chosen = t.estimators.map((spec) => ({
    name: spec.name,
    estimator: getEstimator(spec.id),
    params: spec.params,
  }));
  return largestWorkspace(shape, chosen).bytes;
}

/**
 * The task's dataset in the core's arena from `base` up, with room reserved above it for the largest
 * workspace its estimators declare. Reserving may grow memory, which detaches the dataset's views:
 * the dataset is then drawn again (same seed, same addresses, same values).
 */
export function simulateReserved(core: Core, t: TaskInput, base: number): { sim: Simulated; reserved: number } {
  let sim = simulateInCore(core, t, base);
  // Never more than wasm32 can address (the plan's checkCoreCapacity leaves room for the workspace).
  const reserved = Math.min(taskWorkspace(t, sim), CORE_MEMORY_BYTES - core.wasm.mark() - (1 << 16));
  if (core.reserve(reserved)) sim = simulateInCore(core, t, base);
  return { sim, reserved };
}

/** The message of a fit that grew memory: its estimator's workspace rule is too small (a bug). */
function outgrown(name: string, reserved: number, from: number, to: number): string {
  return errors.run(
    "sweep",
    `estimator ${name}: its fit must stay within the workspace reserved before it (${formatBytes(reserved)}); got memory growth from ${formatBytes(from)} to ${formatBytes(to)}`,
  ).message;
}

/**
 * Runs one task: simulates the dataset once with its workspace reserved (`simulateReserved`), and
 * fits every estimator to it (all see the same data). A fit that grows memory anyway
 * has outgrown its declared workspace: its row fails with that message, and so do the rows after
 * it (their data were detached). Everything the task allocated is freed when it returns, and
 * nothing returned refers to the core.
 */
export function runTask(
  core: Core,
  t: TaskInput,
  injectFailure: (estimator: string) => boolean = () => false,
): TaskResult {
  const base = core.wasm.mark();
  try {
    const { sim, reserved } = simulateReserved(core, t, base);
    const individual = sim.meta.beta_individual as number[] | null;
    const units = sim.meta.unit_truths;
    const truth = {
      beta: sim.meta.beta_true,
      betaIndividual: individual ? Float64Array.from(individual) : null,
      ...(units ? { units: new Map(units.rows.map((r, i) => [r, units.values[i] as number])) } : {}),
      design: t.params,
    };
    const data = new Dataset(toIndividualData(sim.data, sim.roles, "sweep"), core);
    const rows: EstimateRow[] = [];
    const seconds: number[] = [];
    let detached = "";
    for (const [k, spec] of t.estimators.entries()) {
      const memory = core.wasm.memory.buffer;
      const size = memory.byteLength;
      const t0 = performance.now();
      let row = detached ? thrownRow(spec.name, detached) : fitRow(core, t, spec, data, truth, injectFailure);
      seconds.push((performance.now() - t0) / 1000 + (t.partSeconds?.[k] ?? 0));
      if (!detached && core.wasm.memory.buffer !== memory) {
        detached = outgrown(spec.name, reserved, size, core.wasm.memory.buffer.byteLength);
        row = thrownRow(spec.name, detached);
      }
      rows.push(row);
    }
    return { cell: t.cell, replicate: t.replicate, seed: t.seed, betaTrue: sim.meta.beta_true, rows, seconds };
  } finally {
    core.wasm.reset(base);
  }
}
