import seedrandom from "seedrandom";
import type { SweepConfig } from "./config.js";
import type { SweepSetup } from "./messages.js";
import { cellLead } from "./replicates.js";

/** One grid cell: its index (0-based), id (`c001`) and values of the grid axes. */
export interface Cell {
  readonly index: number;
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** A short human label, e.g. `n=1000 L=5 context=true`. */
  readonly label: string;
}

/** One unit of work: a replicate of a cell (its seed is derived when it is sent: `seedOf`). */
export interface Task {
  readonly cell: number;
  readonly replicate: number;
}

/** The grid crossed in axis order (the last axis varies fastest). */
export function cells(config: SweepConfig): Cell[] {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const [name, values] of config.grid) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  const width = String(combos.length).length < 3 ? 3 : String(combos.length).length;
  return combos.map((values, index) => ({
    index,
    id: `c${String(index + 1).padStart(width, "0")}`,
    values,
    label: Object.entries(values)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`)
      .join(" "),
  }));
}

/**
 * Bits of a task seed: 53 for new runs (collisions stay negligible at any sweep size: 32-bit seeds
 * collide with probability about 69% among 100,000 tasks, by the birthday bound); 32 for runs
 * started before, whose run.json has no `seed_bits`.
 */
export type SeedBits = 32 | 53;

/** The seed bits of new runs. */
export const SEED_BITS: SeedBits = 53;

/**
 * The seed of a task, derived with seedrandom from the run seed and the task's identity (its cell's
 * grid values, in axis-name order, and its replicate number), never from scheduling: any thread
 * count, any resume, any order of the grid axes and any growth of the grid give the same seed. A
 * non-negative integer below 2^bits (a safe integer, which every random backend takes).
 */
export function taskSeed(runSeed: number, cell: Cell, replicate: number, bits: SeedBits = SEED_BITS): number {
  const identity = Object.keys(cell.values)
    .sort()
    .map((k) => `${k}=${JSON.stringify(cell.values[k])}`)
    .join("&");
  const rng = seedrandom(`${runSeed}|${identity}|${replicate}`);
  const low = rng.int32() >>> 0;
  return bits === 32 ? low : (rng.int32() >>> 11) * 2 ** 32 + low;
}

/** The seed of a replicate of a cell: `taskSeed`, or the DGP's own seed for every task when `seeds` is "dgp". */
export function seedOf(config: SweepConfig, cell: Cell, replicate: number, bits: SeedBits = SEED_BITS): number {
  return config.seeds === "dgp" ? Number(config.params.seed ?? 7) : taskSeed(config.seed, cell, replicate, bits);
}

/** Every task of the plan, in canonical order (cell, then replicate). */
export function tasks(config: SweepConfig, grid: readonly Cell[]): Task[] {
  const out: Task[] = [];
  for (const cell of grid) for (let r = 1; r <= config.replicates; r++) out.push({ cell: cell.index, replicate: r });
  return out;
}

/**
 * Tasks in the order they are sent: replicate by replicate across all cells, so that the costly
 * cells (large n, slow estimators) are spread over the whole run instead of all coming last,
 * and every cell's cost is seen early (the ETA weighs what is left by it). Results are written in
 * canonical order whatever the order of sending.
 */
export function interleaved(pending: readonly Task[]): Task[] {
  return [...pending].sort((a, b) => a.replicate - b.replicate || a.cell - b.cell);
}

/** What every worker of the sweep is given once: the DGP, backend, estimators, extras columns and cells. */
export function sweepSetup(config: SweepConfig, grid: readonly Cell[], extras: readonly string[]): SweepSetup {
  return {
    dgp: config.dgp,
    rng: config.rng,
    estimators: config.estimators,
    extras,
    cells: grid.map((cell) => ({ params: { ...config.params, ...cell.values }, lead: cellLead(config, cell) })),
    ...(config.plugins ? { plugins: config.plugins } : {}),
  };
}
