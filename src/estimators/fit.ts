import { CORE_CAPACITY_BYTES, CORE_MEMORY_BYTES, checkCoreCapacity } from "../core/capacity.js";
import { getCore } from "../core/load.js";
import { fromColumns, type Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import { type ByteMatrix, type Frame, getBytes, getColumn } from "../data/frame.js";
import type { Roles } from "../data/roles.js";
import { described, errors } from "../errors.js";
import { resolveParams } from "../params.js";
import { Dataset, fitDataset } from "./dataset.js";
import { FrameInCore } from "./in-core.js";
import { estimators, getEstimator } from "./registry.js";
import type { EstimateRow, FitContext, IndividualData, Truth } from "./types.js";
import { type ChosenEstimator, type DataShape, largestWorkspace } from "./workspace.js";

/** Which columns of a frame play which role (the roles a DGP declares, or `mrsweep fit`'s column flags). */
export type FitRoles = Roles;

/** Options of `fit`. */
export interface FitOptions {
  /** Estimator ids (default: every individual-level estimator of this release: ols, tsls). */
  estimators?: readonly string[];
  /** Parameters given to every estimator that has them (e.g. `covariates`). */
  params?: Record<string, unknown>;
  /** Per-estimator parameters, keyed by estimator id; they win over `params`. */
  estimatorParams?: Record<string, Record<string, unknown>>;
  seed?: number | string;
  core?: Core;
  /** The true effects, when known (simulations), for metrics such as person_mse. */
  truth?: Truth;
}

/**
 * Builds the estimators' view of a frame: every role's columns looked up once, so that estimators
 * read roles and never column names. A named column the frame lacks is an input error.
 */
export function toIndividualData(data: Frame, roles: FitRoles, where = "fit"): IndividualData {
  const instrumentColumns: Float64Array[] = [];
  for (const name of roles.instruments) instrumentColumns.push(requireColumn(data, name, where));
  const columns = new Map<string, Float64Array>();
  for (let j = 0; j < data.names.length; j++) columns.set(data.names[j] as string, data.columns[j] as Float64Array);
  const context = roles.context ?? [];
  for (const name of context) requireColumn(data, name, where);
  const label = (name: string | undefined) => (name === undefined ? null : requireColumn(data, name, where));
  let instruments: Matrix | undefined;
  return {
    n: data.n,
    outcome: requireColumn(data, roles.outcome, where),
    exposure: requireColumn(data, roles.exposure, where),
    // Bound into one matrix on first use only: estimators without instruments never pay for the copy.
    get instruments() {
      instruments ??= fromColumns(instrumentColumns, data.n);
      return instruments;
    },
    instrumentNames: [...roles.instruments],
    columns,
    context: [...context],
    sample: label(roles.sample),
    environment: label(roles.environment),
    sequence: label(roles.sequence),
    split: label(roles.split),
    bases: roles.bases === undefined ? null : requireBytes(data, roles.bases, where),
  };
}

/** The byte matrix called `name` (the bases role); its absence is an input error of `where`. */
function requireBytes(data: Frame, name: string, where: string): ByteMatrix {
  const m = getBytes(data, name);
  if (!m) {
    const known = (data.bytes ?? []).map((b) => b.name).join(", ") || "none";
    throw errors.invalid(where, "role bases", `the name of a byte matrix of the data (${known})`, name);
  }
  return m;
}

/** The column called `name`; its absence is an input error of `where`. */
function requireColumn(data: Frame, name: string, where: string): Float64Array {
  const c = getColumn(data, name);
  if (!c) throw errors.missingColumn(where, name, data.names);
  return c;
}

/** An estimator's parameters: the shared ones it declares, then its own (which win), resolved. */
function estimatorParams(id: string, opts: FitOptions): Record<string, unknown> {
  const est = getEstimator(id);
  const given: Record<string, unknown> = {};
  for (const spec of est.params) {
    if (opts.params && spec.name in opts.params) given[spec.name] = opts.params[spec.name];
  }
  Object.assign(given, opts.estimatorParams?.[id]);
  return resolveParams(id, est.params, est.defaults, given) as Record<string, unknown>;
}

/** Whether an estimator adjusts for covariates (declares the `covariates` parameter). */
function takesCovariates(id: string): boolean {
  return getEstimator(id).params.some((p) => p.name === "covariates");
}

/**
 * Shared covariates reach only the estimators that declare them, so asking for them with one that
 * does not (the LassoCV and contextualized families) would quietly fit an unadjusted model: an
 * input error naming those estimators instead.
 */
function refuseIgnoredCovariates(ids: readonly string[], params: Record<string, unknown> | undefined): void {
  const covs = params?.covariates;
  if (!Array.isArray(covs) || covs.length === 0) return;
  const ignoring = ids.filter((id) => !takesCovariates(id));
  if (ignoring.length === 0) return;
  const adjusting = [...estimators.keys()].filter(takesCovariates);
  throw errors.invalid(
    "fit",
    "covariates",
    `used only with estimators that adjust for them (${adjusting.join(", ")})`,
    described(`${covs.join(", ")} with ${ignoring.join(", ")}, which would ignore them`),
  );
}

/**
 * Refuses, before anything is copied or fitted, data of this shape that cannot fit in the core with
 * the largest workspace of the chosen estimators (`fit` checks again once the data are read; the
 * CLI checks PLINK input from its .fam and .bim, before reading the genotypes).
 */
export function checkFitCapacity(where: string, shape: DataShape, ids: readonly string[], opts: FitOptions): void {
  const workspace = largestWorkspace(shape, chosenOf(ids, opts));
  checkCoreCapacity(where, { rows: shape.n, columns: shape.columns, workspace: workspace.bytes, by: workspace.by });
}

/** The chosen estimators with their resolved parameters. */
function chosenOf(ids: readonly string[], opts: FitOptions): ChosenEstimator[] {
  return ids.map((id) => ({ name: id, estimator: getEstimator(id), params: estimatorParams(id, opts) }));
}

/**
 * The most rows data of this width may have to pass `checkFitCapacity`, as a reader's row limit:
 * a file too large is refused as soon as its rows pass it, not after it has all been read. Found
 * by bisection (the need grows with the rows).
 */
export function fitRowLimit(where: string, width: Omit<DataShape, "n">, ids: readonly string[], opts: FitOptions) {
  const chosen = chosenOf(ids, opts);
  const need = (n: number) => n * width.columns * 8 + largestWorkspace({ ...width, n }, chosen).bytes;
  let lo = 0;
  let hi = Math.floor(CORE_CAPACITY_BYTES / 8 / Math.max(1, width.columns)) + 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (need(mid) <= CORE_CAPACITY_BYTES) lo = mid;
    else hi = mid;
  }
  const refuse = (rows: number) => {
    try {
      checkFitCapacity(`${where} (stopped reading at data row ${rows})`, { ...width, n: rows }, ids, opts);
    } catch (e) {
      return e as Error;
    }
    return new Error(`fit: ${rows} rows passed the core's capacity check past the row limit (bug)`);
  };
  return { rows: lo, refuse };
}

/**
 * A frame read straight into the core (its columns end to end, instruments first: see
 * CoreColumns) made ready to be checked and fitted where it lies: the largest workspace of the
 * chosen estimators, and of the design check (`validateDesign` runs tsls's first stage), is
 * reserved above it now, so that nothing between reading and fitting grows memory, which would
 * detach the frame's views. Returns the frame with fresh views; any other frame as it is.
 */
export function settleInCore(data: Frame, roles: FitRoles, ids: readonly string[], opts: FitOptions = {}): Frame {
  const core = opts.core ?? getCore();
  if (!data.columns.every((c) => core.holds(c))) return data;
  const placed = new FrameInCore(core, data, roles.instruments);
  const shape = {
    n: data.n,
    columns: data.names.length,
    instruments: roles.instruments.length,
    twoSample: roles.sample !== undefined,
  };
  const need = largestWorkspace(shape, chosenOf([...ids, "tsls"], opts)).bytes;
  core.reserve(Math.min(need, CORE_MEMORY_BYTES - core.wasm.mark() - (1 << 16)));
  return placed.frame();
}

/**
 * Fits each requested estimator to `data` and returns one row per estimator, in the order asked,
 * each with the estimator's declaration of what its interval is. The data are copied into the core
 * once, with the largest workspace reserved above them, and every estimator reads them there (as a
 * sweep task does); the core's arena is freed when the fits are done.
 */
export function fit(data: Frame, roles: FitRoles, opts: FitOptions = {}): EstimateRow[] {
  const ids = opts.estimators ?? ["ols", "tsls"];
  refuseIgnoredCovariates(ids, opts.params);
  const shape = {
    n: data.n,
    columns: data.names.length,
    instruments: roles.instruments.length,
    twoSample: roles.sample !== undefined,
  };
  checkFitCapacity("fit", shape, ids, opts);
  const core = opts.core ?? getCore();
  const chosen = chosenOf(ids, opts);
  const base = core.wasm.mark();
  try {
    const placed = new FrameInCore(core, data, roles.instruments);
    // Reserved before any view is taken: growth during a fit would detach the data's views.
    core.reserve(Math.min(largestWorkspace(shape, chosen).bytes, CORE_MEMORY_BYTES - core.wasm.mark() - (1 << 16)));
    const ctx: FitContext = { core, seed: opts.seed ?? 1, ...(opts.truth ? { truth: opts.truth } : {}) };
    return fitPlaced(placed, roles, chosen, ctx);
  } finally {
    core.wasm.reset(base);
  }
}

/**
 * Fits each chosen estimator to the placed data. A fit that grew memory anyway (its workspace rule
 * is too small) may have read detached views part way, or thrown on them: it is fitted again on
 * views re-taken at the same addresses, with the same seed, in the memory it has now (the core
 * never shrinks, so the retry usually has room; the loop ends as memory cannot grow past 4 GiB).
 */
function fitPlaced(placed: FrameInCore, roles: FitRoles, chosen: readonly ChosenEstimator[], ctx: FitContext) {
  const datasetNow = () => new Dataset(toIndividualData(placed.frame(), roles), ctx.core);
  let dataset = datasetNow();
  const top = ctx.core.wasm.mark();
  const rows: EstimateRow[] = [];
  for (const c of chosen) {
    for (;;) {
      const buffer = ctx.core.wasm.memory.buffer;
      let row: EstimateRow | undefined;
      let error: unknown;
      try {
        row = fitDataset(c.estimator, dataset, c.params, ctx);
      } catch (e) {
        error = e;
      }
      if (ctx.core.wasm.memory.buffer === buffer) {
        if (row === undefined) throw error;
        rows.push({ ...row, interval: c.estimator.interval(c.params) });
        break;
      }
      // What the failed attempt left in the arena goes, so that the retry fits in the grown memory.
      ctx.core.wasm.reset(top);
      dataset = datasetNow();
    }
  }
  return rows;
}
