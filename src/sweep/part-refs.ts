import { getEstimator } from "../estimators/registry.js";
import type { EstimatorSpec } from "./config.js";
import type { TaskMessage } from "./messages.js";

/**
 * Which pieces of a task's fits part tasks compute (src/sweep/parts.ts runs them in workers): what
 * the main thread plans and costs with, without loading the simulation and fitting code.
 */

/** One piece of a task: the estimator (index into the task's) that first asks for it, and its key. */
export interface PartRef {
  readonly spec: number;
  readonly key: string;
}

/** The distinct pieces the estimators ask for, each under the first estimator naming its key. */
export function partsOf(estimators: readonly EstimatorSpec[]): PartRef[] {
  const seen = new Set<string>();
  const out: PartRef[] = [];
  estimators.forEach((spec, i) => {
    const est = getEstimator(spec.id);
    if (est.input !== "individual" || !est.parts) return;
    for (const key of est.parts.keys(spec.params)) {
      if (!seen.has(key)) out.push({ spec: i, key });
      seen.add(key);
    }
  });
  return out;
}

/** The seconds of each piece, added to the first estimator (in task order) that asks for it, as a serial fit would. */
export function partSecondsByEstimator(estimators: readonly EstimatorSpec[], m: TaskMessage): number[] {
  const seconds = estimators.map(() => 0);
  if (!m.parts) return seconds;
  for (const ref of partsOf(estimators)) {
    const s = m.parts.seconds[ref.key];
    if (s !== undefined) seconds[ref.spec] = (seconds[ref.spec] as number) + s;
  }
  return seconds;
}
