import { column, fromColumns, type Matrix } from "../core/matrix.js";
import { type ByteMatrix, pickByteRows } from "../data/frame.js";
import type { ParamSpec } from "../params.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator, Truth } from "./types.js";

/** Which rows of two-sample data an individual-level estimator fits. */
export type SampleChoice = "first" | "both";

/** The `sample` parameter every individual-level estimator declares. */
export const SAMPLE_PARAM: ParamSpec = {
  name: "sample",
  type: "choice",
  choices: ["first", "both"],
  help: "with two-sample data (the data's sample role: 1s and 2s): first fits sample 1 alone, the one-sample analysis of that sample (default); both pools the two samples. No effect on one-sample data",
};

/** Rows picked from data: a contiguous range [start, start + length), or any ascending indices. */
type Rows = { start: number; length: number } | Int32Array;

/** The rows of sample 1, or null when every row is in it (no sample role, or one sample only). */
function firstSampleRows(data: IndividualData): Rows | null {
  const { sample } = data;
  if (!sample) return null;
  const keep: number[] = [];
  for (let i = 0; i < sample.length; i++) if (sample[i] === 1) keep.push(i);
  if (keep.length === data.n) return null;
  const start = keep[0] ?? 0;
  const contiguous = keep.every((r, k) => r === start + k);
  return contiguous ? { start, length: keep.length } : Int32Array.from(keep);
}

/** The picked rows of `v`: a view for a range (so a column in the core stays there), else a copy. */
function pick(v: Float64Array, rows: Rows): Float64Array {
  if (!(rows instanceof Int32Array)) return v.subarray(rows.start, rows.start + rows.length);
  return Float64Array.from(rows, (i) => v[i] as number);
}

/** The picked rows of every column of `m`. */
function pickMatrix(m: Matrix, rows: Rows): Matrix {
  return fromColumns(
    Array.from({ length: m.cols }, (_, j) => pick(column(m, j), rows)),
    rows.length,
  );
}

/** The sequences of `rows`: a view for a range of rows, a copy for indices. */
function pickBases(m: ByteMatrix, rows: Rows): ByteMatrix {
  if (rows instanceof Int32Array) return pickByteRows(m, rows);
  return { ...m, codes: m.codes.subarray(rows.start * m.width, (rows.start + rows.length) * m.width) };
}

/** The data restricted to `rows`; the instrument matrix is bound on first use, as toIndividualData does. */
function subset(data: IndividualData, rows: Rows): IndividualData {
  const n = rows.length;
  const columns = new Map<string, Float64Array>();
  for (const [name, v] of data.columns) columns.set(name, pick(v, rows));
  let instruments: Matrix | undefined;
  const subsetData: IndividualData = {
    n,
    outcome: pick(data.outcome, rows),
    exposure: pick(data.exposure, rows),
    get instruments() {
      instruments ??= pickMatrix(data.instruments, rows);
      return instruments;
    },
    instrumentNames: data.instrumentNames,
    columns,
    context: data.context,
    // One sample now: the rows picked are all of sample 1.
    sample: null,
    environment: data.environment && pick(data.environment, rows),
    sequence: data.sequence && pick(data.sequence, rows),
    split: data.split && pick(data.split, rows),
    bases: data.bases && pickBases(data.bases, rows),
  };
  // A range of rows lies in the larger data's matrix: readers of G in place need no copy. Not
  // enumerable, so that data spread from these with other instruments ({ ...data, instruments })
  // do not carry a pointer to G that no longer describes them.
  if (!(rows instanceof Int32Array)) {
    let where: IndividualData["instrumentRows"];
    const get = () => {
      where ??= instrumentRowsOf(data, rows.start);
      return where;
    };
    Object.defineProperty(subsetData, "instrumentRows", { get, enumerable: false });
  }
  return subsetData;
}

/** Where rows from `start` of `data`'s instruments lie: in `data`'s own parent when it has one. */
function instrumentRowsOf(data: IndividualData, start: number) {
  const parent = data.instrumentRows;
  return parent ? { of: parent.of, start: parent.start + start } : { of: data.instruments, start };
}

/** Sample 1 of a dataset and its rows, made once per dataset: every estimator of a task shares it. */
const firstSamples = new WeakMap<IndividualData, { data: IndividualData; rows: Rows } | null>();

function firstSample(data: IndividualData): { data: IndividualData; rows: Rows } | null {
  let s = firstSamples.get(data);
  if (s === undefined) {
    const rows = firstSampleRows(data);
    s = rows ? { data: subset(data, rows), rows } : null;
    firstSamples.set(data, s);
  }
  return s;
}

/** The truth of the picked rows (per-person effects are per row). */
function truthOf(truth: Truth | undefined, rows: Rows): Truth | undefined {
  if (!truth?.betaIndividual) return truth;
  return { ...truth, betaIndividual: pick(truth.betaIndividual, rows) };
}

/** Per-person values of the picked rows put back in place among `n` rows; the rows not fitted are NaN. */
function scatter(values: Float64Array, rows: Rows, n: number): Float64Array {
  const out = new Float64Array(n).fill(Number.NaN);
  if (!(rows instanceof Int32Array)) out.set(values, rows.start);
  else for (let k = 0; k < rows.length; k++) out[rows[k] as number] = values[k] as number;
  return out;
}

/**
 * An individual-level estimator that also takes `sample`: with "first" (the default) on two-sample
 * data it fits sample 1 only, since pooling both would make a one-sample analysis of 2n people
 * (its empirical SE 1/sqrt(2) that of the n people a summary estimator's X-G side uses). Per-person
 * outputs (units) come back one per row of the data given, NaN for the rows of sample 2.
 */
export function withSampleChoice<P extends object>(
  est: IndividualEstimator<P>,
): IndividualEstimator<P & { sample: SampleChoice }> {
  return {
    ...est,
    params: [...est.params, SAMPLE_PARAM],
    defaults: { ...est.defaults, sample: "first" },
    fit(data: IndividualData, params: P & { sample: SampleChoice }, ctx: FitContext): EstimateRow {
      const { sample, ...own } = params;
      const first = sample === "first" ? firstSample(data) : null;
      if (!first) return est.fit(data, own as P, ctx);
      const truth = truthOf(ctx.truth, first.rows);
      const row = est.fit(first.data, own as P, truth ? { ...ctx, truth } : ctx);
      if (!row.units) return row;
      const units: Record<string, Float64Array> = {};
      for (const [name, values] of Object.entries(row.units)) units[name] = scatter(values, first.rows, data.n);
      return { ...row, units };
    },
  };
}
