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

/**
 * One worker's WASM memory: wasm32 addresses 65536 pages of 64 KiB, and the core declares no
 * lower maximum (asconfig.json; the arena in assembly/arena.ts grows it on demand).
 */
export const CORE_MEMORY_BYTES = 2 ** 32;

/**
 * How many times its dataset a task holds in the core at its peak: copies, centred columns,
 * cross-validation folds and encoder activations. Measured up to 3.9 (tsls_lasso on two samples,
 * n = 20000, L = 50); the contextualized estimators reach 3.6 at L = 1.
 */
export const WORKING_SET_FACTOR = 4;

/** Largest dataset (rows x columns x 8 bytes) one task may simulate: the core's memory over the working-set factor. */
export const MAX_DATASET_BYTES = CORE_MEMORY_BYTES / WORKING_SET_FACTOR;

/** Refuses a count above its limit: `<where>: <what> must be at most <limit> (<why>); got <count>`. */
export function checkAtMost(where: string, what: string, count: number, limit: number, why: string): void {
  if (count > limit) throw errors.invalid(where, what, `at most ${limit} (${why})`, count);
}

/** The worker threads to start: never more than there are tasks, and at least one. */
export function effectiveThreads(requested: number, tasks: number): number {
  return Math.max(1, Math.min(requested, tasks));
}

/** Bytes in words: `1.5 GiB`, `640 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : Number(v.toPrecision(3))} ${units[u]}`;
}
