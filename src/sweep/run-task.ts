import type { Core } from "../core/memory.js";
import { Dataset, fitDataset } from "../estimators/dataset.js";
import { toIndividualData } from "../estimators/fit.js";
import { thrownRow } from "../estimators/inference.js";
import { getEstimator } from "../estimators/registry.js";
import type { EstimateRow, Truth } from "../estimators/types.js";
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
    const row = fitDataset(getEstimator(spec.id), data, spec.params, { core, seed: `${t.seed}:${spec.name}`, truth });
    const extras =
      "person_mse" in row.extras ? row.extras : { ...row.extras, person_mse: personMse(row.estimate, truth) };
    return { ...row, estimator: spec.name, extras };
  } catch (e) {
    return thrownRow(spec.name, (e as Error).message);
  }
}

/**
 * Runs one task: simulates the dataset once, into the core's arena, and fits every estimator to it
 * (all estimators see the same data). A fit during which memory grew may have read detached views
 * of the dataset, so the dataset is simulated again (identically) and that fit repeated; this
 * happens only while a worker's memory is still reaching its working size. Everything the task
 * allocated is freed when it returns, and nothing returned refers to the core.
 */
export function runTask(
  core: Core,
  t: TaskInput,
  injectFailure: (estimator: string) => boolean = () => false,
): TaskResult {
  const base = core.wasm.mark();
  try {
    let sim = simulateInCore(core, t, base);
    const individual = sim.meta.beta_individual as number[] | null;
    const truth = { beta: sim.meta.beta_true, betaIndividual: individual ? Float64Array.from(individual) : null };
    let data = new Dataset(toIndividualData(sim.data, sim.roles, "sweep"), core);
    const rows: EstimateRow[] = [];
    const seconds: number[] = [];
    for (const spec of t.estimators) {
      for (;;) {
        const memory = core.wasm.memory.buffer;
        const t0 = performance.now();
        const row = fitRow(core, t, spec, data, truth, injectFailure);
        if (core.wasm.memory.buffer === memory) {
          rows.push(row);
          seconds.push((performance.now() - t0) / 1000);
          break;
        }
        sim = simulateInCore(core, t, base);
        data = new Dataset(toIndividualData(sim.data, sim.roles, "sweep"), core);
      }
    }
    return { cell: t.cell, replicate: t.replicate, seed: t.seed, betaTrue: sim.meta.beta_true, rows, seconds };
  } finally {
    core.wasm.reset(base);
  }
}
