import type { Core } from "../core/memory.js";
import { fit } from "../estimators/fit.js";
import { simulate } from "../sim/simulate.js";
import { Slab } from "../sim/slab.js";
import type { ResultRow, TaskMessage, TaskResult } from "./messages.js";

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
  t: TaskMessage,
  injectFailure: (estimator: string) => boolean = () => false,
): TaskResult {
  slab.reset();
  const sim = simulate(t.dgp, t.params, { rng: t.rng, core, alloc: slab.take });
  const individual = sim.meta.beta_individual as number[] | null;
  const truth = { beta: sim.meta.beta_true, betaIndividual: individual ? Float64Array.from(individual) : null };
  const rows: ResultRow[] = [];
  const seconds: number[] = [];
  for (const spec of t.estimators) {
    const t0 = performance.now();
    try {
      if (injectFailure(spec.name)) throw new Error(`injected failure in ${spec.name}`);
      const [row] = fit(sim.data, sim.roles, {
        estimators: [spec.id],
        estimatorParams: { [spec.id]: spec.params as Record<string, unknown> },
        seed: `${t.seed}:${spec.name}`,
        core,
        truth,
      });
      if (!row) throw new Error(`estimator ${spec.id} returned no row`);
      const { extras, estimate, se, ci_lower, ci_upper, p_value, status } = row;
      rows.push({ estimator: spec.name, estimate, se, ci_lower, ci_upper, p_value, status, message: "", extras });
    } catch (e) {
      rows.push(failedResultRow(spec.name, (e as Error).message));
    }
    seconds.push((performance.now() - t0) / 1000);
  }
  return { cell: t.cell, replicate: t.replicate, seed: t.seed, betaTrue: sim.meta.beta_true, rows, seconds };
}
