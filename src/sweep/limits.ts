import { errors } from "../errors.js";

/** Most replicates per cell a sweep accepts. */
export const MAX_REPLICATES = 1_000_000;

/** Most grid cells (the product of the grid's list lengths) a sweep accepts. */
export const MAX_CELLS = 100_000;

/**
 * Most tasks (cells x replicates): the main thread keeps a slot, a message and a finished record
 * per task in memory.
 */
export const MAX_TASKS = 1_000_000;

/**
 * Most rows of replicates.csv (tasks x estimators): the main thread keeps every row's text and
 * rewrites the file from one string at the end, and V8 strings stop at 2^29 - 24 characters. A
 * row of the quick preset is 254 bytes (measured), so about 2.1 million rows fit; the limit leaves
 * room for wider rows (up to 350 bytes).
 */
export const MAX_ROWS = 1_500_000;

/** Most worker threads `--threads` accepts (each worker holds its own WASM core and V8 heap). */
export const MAX_THREADS = 256;

/** Refuses a count above its limit: `<where>: <what> must be at most <limit> (<why>); got <count>`. */
export function checkAtMost(where: string, what: string, count: number, limit: number, why: string): void {
  if (count > limit) throw errors.invalid(where, what, `at most ${limit} (${why})`, count);
}

/** The worker threads to start: never more than there are tasks, and at least one. */
export function effectiveThreads(requested: number, tasks: number): number {
  return Math.max(1, Math.min(requested, tasks));
}
