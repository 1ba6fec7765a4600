/**
 * mrsweep as a library: simulate MR datasets from registered DGPs and fit registered estimators.
 *
 * ```ts
 * import { simulate, fit } from "mrsweep";
 * const sim = simulate("study", { n: 2000, L: 10, context: true, seed: 1 });
 * const rows = fit(sim.data, sim.roles, { estimators: ["ols", "tsls"] });
 * ```
 */
export { compileCore, getCore } from "./core/load.js";
export type { Matrix } from "./core/matrix.js";
export type { Core } from "./core/memory.js";
export { type ByteMatrix, byteRowText, type Frame, getBytes } from "./data/frame.js";
export { MrsweepError } from "./errors.js";
export { type FitOptions, type FitRoles, fit, toIndividualData } from "./estimators/fit.js";
export { estimators, getEstimator } from "./estimators/registry.js";
export type {
  EstimateRow,
  Estimator,
  FitContext,
  FitStatus,
  IndividualData,
  IndividualEstimator,
  InputKind,
  RowStatus,
  SummaryEstimator,
} from "./estimators/types.js";
export { numericFrame } from "./io/columns.js";
export { type NumericTable, openNumericTable } from "./io/numeric-reader.js";
export { readTable } from "./io/read-table.js";
export { writeFrame } from "./io/write-table.js";
export type { ParamSpec } from "./params.js";
export { numpyStream, Pcg64Stream, seedrandomStream } from "./sim/numpy/stream.js";
export { dgps, getDgp } from "./sim/registry.js";
export type { RandomStream } from "./sim/rng.js";
export { type SimulateOptions, simulate } from "./sim/simulate.js";
export { CONTEXT_NAMES, type StudyParams } from "./sim/study.js";
export type { Dgp, Roles, SimMeta, Simulated } from "./sim/types.js";
