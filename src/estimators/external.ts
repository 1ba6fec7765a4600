import { column } from "../core/matrix.js";
import { errors } from "../errors.js";
import { externalBridge } from "../external/bridge.js";
import { processFailure, replyRow, type TaskHeader, taskSize, writeTask } from "../external/protocol.js";
import type { ParamSpec } from "../params.js";
import { COVARIATES_PARAM, covariateColumns } from "./covariates.js";
import {
  type EstimateRow,
  type FitContext,
  INTERVAL_KINDS,
  type IndividualData,
  type IndividualEstimator,
  type IntervalKind,
} from "./types.js";

/** Parameters of `external`. */
export interface ExternalParams {
  /** The program and its arguments, e.g. ["Rscript", "my_method.R"]. */
  command: readonly string[];
  /** The folder it runs in: a sweep configuration's folder (set when the file is read), else the current folder. */
  cwd: string | null;
  timeout_ms: number;
  startup_timeout_ms: number;
  /** Columns sent besides the roles' (outcome, exposure, instruments, context). */
  covariates: readonly string[];
  /** Names of the extras the method reports (columns of replicates.csv). */
  extras: readonly string[];
  interval: IntervalKind;
}

const PARAMS: ParamSpec[] = [
  {
    name: "command",
    type: "texts",
    help: 'the program and its arguments, e.g. ["Rscript", "my_method.R"]; it speaks the protocol of docs/external-protocol.md',
  },
  {
    name: "cwd",
    type: "text",
    nullable: true,
    help: "the folder the program runs in (default: the sweep configuration's folder, or the current one)",
  },
  {
    ...COVARIATES_PARAM,
    help: "columns sent besides the roles' (outcome, exposure, instruments, context), e.g. for the method to adjust for",
  },
  {
    name: "timeout_ms",
    type: "int",
    min: 1,
    help: "milliseconds a task may take before the process is killed (and restarted for the next task)",
  },
  {
    name: "startup_timeout_ms",
    type: "int",
    min: 1,
    help: "milliseconds the process may take to start (to write its hello line)",
  },
  { name: "extras", type: "texts", help: "names of the extra numbers the method reports, in column order" },
  { name: "interval", type: "choice", choices: INTERVAL_KINDS, help: "what the method's ci_lower/ci_upper are" },
];

/** The name of the column of `data` that holds `values` (a view of the same memory), or `fallback`. */
function nameOf(data: IndividualData, values: Float64Array, fallback: string): string {
  for (const [name, v] of data.columns) {
    if (
      v === values ||
      (v.buffer === values.buffer && v.byteOffset === values.byteOffset && v.length === values.length)
    )
      return name;
  }
  return fallback;
}

/**
 * The task's header and its columns: outcome, exposure, instruments, the context role's columns and
 * the covariates asked for; the data's other columns stay here (the study DGP's ten context columns
 * would add 60% to every message).
 */
function taskOf(
  data: IndividualData,
  params: ExternalParams,
  ctx: FitContext,
  id: number,
): { header: TaskHeader; columns: Float64Array[] } {
  const outcome = nameOf(data, data.outcome, "outcome");
  const exposure = nameOf(data, data.exposure, "exposure");
  const names = [outcome, exposure, ...data.instrumentNames];
  const columns = [data.outcome, data.exposure];
  for (let j = 0; j < data.instruments.cols; j++) columns.push(column(data.instruments, j));
  const others = [...data.context, ...params.covariates];
  const values = covariateColumns("external", data, others);
  others.forEach((name, k) => {
    if (names.includes(name)) return;
    names.push(name);
    columns.push(values[k] as Float64Array);
  });
  const header: TaskHeader = {
    type: "task",
    id,
    n: data.n,
    seed: ctx.seed,
    data_seed: ctx.dataSeed ?? ctx.seed,
    columns: names,
    roles: {
      outcome,
      exposure,
      instruments: data.instrumentNames,
      context: data.context,
      covariates: params.covariates,
    },
  };
  return { header, columns };
}

/** Task ids only tell a reply from a stale one, so one counter per thread will do. */
let taskId = 0;

/** Sends the dataset to the method's process and reads its row; every failure is a failed row with why. */
function fitExternal(data: IndividualData, params: ExternalParams, ctx: FitContext): EstimateRow {
  if (params.command.length === 0) {
    return processFailure(
      errors.missing("external", "parameter command", "a program and its arguments").message,
      params.extras,
    );
  }
  const { header, columns } = taskOf(data, params, ctx, ++taskId);
  const { head, size } = taskSize(header);
  const bridge = externalBridge();
  const length = writeTask(bridge.buffer(size), head, data.n, columns);
  const spec = {
    command: params.command,
    cwd: params.cwd ?? process.cwd(),
    timeoutMs: params.timeout_ms,
    startupMs: params.startup_timeout_ms,
  };
  const answer = bridge.call(spec, header.id, length);
  if ("error" in answer) return processFailure(answer.error, params.extras);
  try {
    return replyRow(`external process ${JSON.stringify(params.command.join(" "))}`, answer.reply, params.extras);
  } catch (e) {
    return processFailure((e as Error).message, params.extras);
  }
}

/** An estimator computed by another program (R, Python, ...) over stdin/stdout: docs/external-protocol.md. */
export const external: IndividualEstimator<ExternalParams> = {
  id: "external",
  label: "external",
  description: "an estimator in another program (R, Python, ...) kept running per worker, over stdin/stdout",
  params: PARAMS,
  defaults: {
    command: [],
    cwd: null,
    covariates: [],
    timeout_ms: 60_000,
    startup_timeout_ms: 60_000,
    extras: [],
    interval: "asymptotic",
  },
  input: "individual",
  extras: [],
  extrasOf: (params) => params.extras,
  interval: (params) => params.interval,
  fit: fitExternal,
};
