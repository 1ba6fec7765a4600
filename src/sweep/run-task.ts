import type { Core } from "../core/memory.js";
import { toIndividualData } from "../estimators/fit.js";
import { getEstimator } from "../estimators/registry.js";
import { simulateResolved } from "../sim/simulate.js";
import { Slab } from "../sim/slab.js";
import type { Dgp } from "../sim/types.js";
import type { EstimatorSpec } from "./config.js";
import type { ResultRow, TaskResult } from "./messages.js";

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

/** A failed row: NaN numbers, status `failed` and the error's message. */
export function failedResultRow(estimator: string, message: string): ResultRow {
  const nan = Number.NaN;
  return {
    estimator,
    estimate: nan,
    se: nan,
    ci_lower: nan,
    ci_upper: nan,
    p_value: nan,
    status: "failed",
    message,
    extras: {},
  };
}

/** This thread's storage for task datasets: each task's dataset overwrites the previous one's. */
const slab = new Slab();

/**
 * Runs one task: simulates the dataset once and fits every estimator to it (all estimators see
 * the same data). An estimator that throws (a bug, by the estimator contract) gives a `failed`
 * row with the message, and the other estimators still run. The dataset lives in this thread's
 * slab, so nothing returned refers to it.
 */
export function runTask(
  core: Core,
  t: TaskInput,
  injectFailure: (estimator: string) => boolean = () => false,
): TaskResult {
  slab.reset();
  const sim = simulateResolved(t.dgp, t.params, { rng: t.rng, core, alloc: slab.take });
  const individual = sim.meta.beta_individual as number[] | null;
  const truth = { beta: sim.meta.beta_true, betaIndividual: individual ? Float64Array.from(individual) : null };
  const data = toIndividualData(sim.data, sim.roles, "sweep");
  const rows: ResultRow[] = [];
  const seconds: number[] = [];
  for (const spec of t.estimators) {
    const t0 = performance.now();
    try {
      if (injectFailure(spec.name)) throw new Error(`injected failure in ${spec.name}`);
      const row = getEstimator(spec.id).fit(data, spec.params, { core, seed: `${t.seed}:${spec.name}`, truth });
      const { extras, estimate, se, ci_lower, ci_upper, p_value, status } = row;
      rows.push({ estimator: spec.name, estimate, se, ci_lower, ci_upper, p_value, status, message: "", extras });
    } catch (e) {
      rows.push(failedResultRow(spec.name, (e as Error).message));
    }
    seconds.push((performance.now() - t0) / 1000);
  }
  return { cell: t.cell, replicate: t.replicate, seed: t.seed, betaTrue: sim.meta.beta_true, rows, seconds };
}
