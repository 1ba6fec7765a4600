import { described, errors } from "../errors.js";

/**
 * One core's memory: wasm32 addresses 65536 pages of 64 KiB, and the core declares no lower
 * maximum (asconfig.json; the arena in assembly/arena.ts grows it on demand).
 */
export const CORE_MEMORY_BYTES = 2 ** 32;

/**
 * What a core holds besides one dataset and its fits' workspace: static data and tables (under
 * 1 MiB), random streams' state and small buffers kept across tasks; a generous margin over them.
 */
export const CORE_OVERHEAD_BYTES = 64 * 2 ** 20;

/** The most a dataset and the workspace of the fits on it may take together in one core. */
export const CORE_CAPACITY_BYTES = CORE_MEMORY_BYTES - CORE_OVERHEAD_BYTES;

/** What a computation needs of the core: a dataset of `rows` x `columns` doubles and a workspace above it. */
export interface CoreNeed {
  readonly rows: number;
  readonly columns: number;
  /** Bytes of the arena the fits use beyond the dataset (0 for a simulation alone). */
  readonly workspace: number;
  /** Whose workspace it is, for the message (`tsls_lasso`). */
  readonly by?: string;
}

/** Bytes of a dataset as the core holds it: rows x columns doubles. */
export function datasetBytes(rows: number, columns: number): number {
  return rows * columns * 8;
}

/**
 * Refuses, before any work, a dataset that cannot fit in one core with its fits' workspace:
 * `<where>: the dataset and its workspace must be at most 3.94 GiB (...); got 4.7 GiB (...)`.
 * Input error (exit 2): a smaller n, fewer columns or other estimators fit.
 */
export function checkCoreCapacity(where: string, need: CoreNeed): void {
  const data = datasetBytes(need.rows, need.columns);
  if (data + need.workspace <= CORE_CAPACITY_BYTES) return;
  const shape = `${need.rows} rows x ${need.columns} columns x 8 bytes`;
  const why = `the WASM core addresses ${formatBytes(CORE_MEMORY_BYTES)}, ${formatBytes(CORE_OVERHEAD_BYTES)} of it kept for itself`;
  if (need.workspace === 0)
    throw errors.invalid(
      where,
      "the dataset",
      `at most ${formatBytes(CORE_CAPACITY_BYTES)} (${why})`,
      described(`${formatBytes(data)} (${shape})`),
    );
  throw errors.invalid(
    where,
    "the dataset and its fits' workspace",
    `at most ${formatBytes(CORE_CAPACITY_BYTES)} together (${why})`,
    described(
      `${formatBytes(data + need.workspace)} (${formatBytes(data)} of data: ${shape}; ${formatBytes(need.workspace)} of workspace${need.by ? ` for ${need.by}` : ""})`,
    ),
  );
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
