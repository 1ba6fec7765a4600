/**
 * mrsweep as a library: simulate MR datasets from registered DGPs and fit registered estimators.
 *
 * ```ts
 * import { simulate, fit } from "mrsweep";
 * const sim = simulate("study", { n: 2000, L: 10, context: true, seed: 1 });
 * const rows = fit(sim.data, sim.roles, { estimators: ["ols", "tsls"] });
 * ```
 *
 * Sweeps: `runSweep(config, { onEvent, signal })`. Your own estimators and DGPs: a module exporting
 * `estimators` and/or `dgps` made with `defineEstimator`/`defineDgp`, named in a configuration's
 * `plugins` or loaded with `loadPlugins` (see examples/js-plugin/).
 */
export {
  type EstimatorEntry,
  type RunSweepOptions,
  type RunSweepResult,
  runSweep,
  type SweepConfigInput,
} from "./api/run-sweep.js";
export {
  cholesky,
  cholSolve,
  crossprod,
  dot,
  eigenSym,
  gemv,
} from "./core/linalg.js";
export { compileCore, getCore } from "./core/load.js";
export { column, fromColumns, type Matrix, zeros } from "./core/matrix.js";
export type { Core } from "./core/memory.js";
export { type ByteMatrix, byteRowText, type Frame, frame, getBytes, getColumn } from "./data/frame.js";
export { MrsweepError } from "./errors.js";
export { type FitOptions, type FitRoles, fit, toIndividualData } from "./estimators/fit.js";
export { failedRow, tRow } from "./estimators/inference.js";
export { estimators, getEstimator } from "./estimators/registry.js";
export type {
  EstimateRow,
  Estimator,
  FitContext,
  FitStatus,
  IndividualData,
  IndividualEstimator,
  InputKind,
  IntervalKind,
  RowStatus,
  SummaryEstimator,
} from "./estimators/types.js";
export { numericFrame } from "./io/columns.js";
export { type NumericTable, openNumericTable } from "./io/numeric-reader.js";
export { readTable } from "./io/read-table.js";
export { writeFrame } from "./io/write-table.js";
export type { ParamSpec } from "./params.js";
export {
  type DgpDefinition,
  type DgpParamsOf,
  defineDgp,
  defineEstimator,
  type IndividualDefinition,
  type ParamsOf,
  type ParamValueOf,
  type SummaryDefinition,
} from "./plugins/define.js";
export { type LoadedPlugin, loadedPlugins, loadPlugins, type PluginRef } from "./plugins/load.js";
export { numpyStream, Pcg64Stream, seedrandomStream } from "./sim/numpy/stream.js";
export type { DgpParamMap, DgpParamsInput } from "./sim/param-types.js";
export { dgps, getDgp } from "./sim/registry.js";
export type { RandomStream } from "./sim/rng.js";
export { type SimulateOptions, simulate } from "./sim/simulate.js";
export { CONTEXT_NAMES, type StudyParams } from "./sim/study.js";
export type { Dgp, Roles, SimContext, SimMeta, Simulated } from "./sim/types.js";
export { normalCdf, normalQuantile } from "./stats/normal.js";
