import { getEstimator } from "../estimators/registry.js";
import type { DataShape } from "../estimators/workspace.js";
import { resolveParams } from "../params.js";
import { getDgp } from "../sim/registry.js";
import type { SweepConfig } from "./config.js";
import { partsOf } from "./part-refs.js";
import { type Cell, cells } from "./plan.js";

/**
 * A sweep's expected cost before it starts: the pieces of its fits that declare a cost (inv_repr's
 * λ runs), summed over the tasks still to run; estimators without one count as free (they take
 * milliseconds to seconds per task). Rough: a model of the work, calibrated on the development machine.
 */
export function expectedSeconds(config: SweepConfig, grid: readonly Cell[], tasksPerCell: (cell: number) => number) {
  const refs = partsOf(config.estimators);
  if (refs.length === 0) return 0;
  const dgp = getDgp(config.dgp);
  let seconds = 0;
  for (const cell of grid) {
    const p = resolveParams(dgp.id, dgp.params, dgp.defaults, { ...config.params, ...cell.values });
    const shape: DataShape = { n: dgp.rows(p), columns: dgp.width(p), instruments: dgp.roles(p).instruments.length };
    let task = 0;
    for (const ref of refs) {
      const spec = config.estimators[ref.spec];
      const est = spec ? getEstimator(spec.id) : undefined;
      if (est?.input === "individual") task += est.parts?.cost?.(shape, ref.key) ?? 0;
    }
    seconds += task * tasksPerCell(cell.index);
  }
  return seconds;
}

/**
 * Seconds per estimator per row of the dataset for fits that declare no cost, plus a fixed part:
 * the quick preset's baselines and fast contextualized fit on the development machine (about
 * 0.9 ms per estimator at n = 1000 and 7 ms at n = 10,000, with 5 or 15 instruments alike: rows,
 * not columns, decide their cost).
 */
const FREE_FIT = { perRow: 7e-7, fixed: 2e-4 };

/**
 * The expected seconds of one task of each cell (indexed like the grid): its costed pieces, as
 * `expectedSeconds` counts them, plus a rough size model for every other fit. Only ratios matter
 * here: it is what shards are balanced by (src/sweep/shard-split.ts).
 */
export function taskSecondsByCell(config: SweepConfig, grid: readonly Cell[]): number[] {
  const dgp = getDgp(config.dgp);
  const costed = new Set(partsOf(config.estimators).map((ref) => ref.spec));
  return grid.map((cell) => {
    const p = resolveParams(dgp.id, dgp.params, dgp.defaults, { ...config.params, ...cell.values });
    const rows = dgp.rows(p);
    const free = config.estimators.filter((_, i) => !costed.has(i)).length;
    const pieces = expectedSeconds(config, [{ ...cell, index: 0 }], () => 1);
    return pieces + free * (FREE_FIT.fixed + FREE_FIT.perRow * rows);
  });
}

/** "2.3 core-hours (1.2 h on 2 threads)", "40 core-minutes (20 min on 2 threads)". */
export function formatCost(seconds: number, threads: number): string {
  const wall = seconds / threads;
  const unit = (s: number) => (s >= 3600 ? [s / 3600, "h"] : [s / 60, "min"]) as [number, string];
  const [core, coreUnit] = unit(seconds);
  const [w, wUnit] = unit(wall);
  const coreText = `${core.toPrecision(2)} core-${coreUnit === "h" ? "hours" : "minutes"}`;
  return `${coreText} (${w.toPrecision(2)} ${wUnit} on ${threads} thread${threads === 1 ? "" : "s"})`;
}

/** The note a sweep prints before it starts, when its costed pieces come to a minute or more; else null. */
export function costNote(seconds: number, threads: number): string | null {
  if (seconds < 60) return null;
  return `expected cost: about ${formatCost(seconds, threads)}, rough: the fit pieces only (inv_repr's λ runs, the Deep MR members; the other estimators are not counted)`;
}

/** What `mrsweep sweep --plan` prints: the size of the run and its expected cost. */
export function planText(config: SweepConfig, threads: number): string {
  const grid = cells(config);
  const tasks = grid.length * config.replicates;
  const seconds = expectedSeconds(config, grid, () => config.replicates);
  const pieces = partsOf(config.estimators).length;
  const lines = [
    `${grid.length} cells x ${config.replicates} replicates = ${tasks} tasks, ${config.estimators.length} estimators each`,
    pieces > 0
      ? `expected cost: about ${formatCost(seconds, threads)}; rough: ${pieces} fit pieces per task (inv_repr's λ runs, the Deep MR members), the other estimators not counted`
      : "expected cost: not modelled (no estimator of this configuration declares one; the quick presets take minutes)",
  ];
  return lines.join("\n");
}
