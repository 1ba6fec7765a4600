import { described, errors } from "../errors.js";
import type { FitContext, IndividualData } from "./types.js";

/** Pieces the contextualized estimators (ctx_*) share: the context matrix and summaries of per-person effects. */

/** Mean and population SD (divisor n) of the first n values of `col`, in two passes. */
export function populationMoments(col: ArrayLike<number>, n: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) s += col[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((col[i] as number) - mean) ** 2;
  return [mean, Math.sqrt(ss / n)];
}

/**
 * The context columns an estimator fits with: its `context` parameter, or when that is empty the
 * data's context role; refused when both are empty (an estimator that declares `uses: ["context"]`).
 */
export function contextNames(where: string, given: readonly string[], data: IndividualData): readonly string[] {
  const names = given.length > 0 ? given : data.context;
  if (names.length === 0) {
    throw errors.invalid(
      where,
      "parameter context (or the data's context role)",
      "at least one column",
      described("none"),
    );
  }
  return names;
}

/** C as n x p row-major, each column standardised with the population SD (a constant column becomes 0). */
export function contextMatrix(where: string, data: IndividualData, names: readonly string[]): Float64Array {
  const n = data.n;
  const p = names.length;
  const c = new Float64Array(n * p);
  names.forEach((name, j) => {
    const col = data.columns.get(name);
    if (!col) throw errors.missingColumn(where, name, [...data.columns.keys()]);
    const [mean, sd] = populationMoments(col, n);
    for (let i = 0; i < n; i++) c[i * p + j] = sd > 0 ? ((col[i] as number) - mean) / sd : 0;
  });
  return c;
}

/** Mean and sample SD. */
export function meanSd(v: ArrayLike<number>): [number, number] {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((v[i] as number) - mean) ** 2;
  return [mean, Math.sqrt(ss / (n - 1))];
}

/** The q-quantile of sorted values by linear interpolation (numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Mean squared error of the per-person effects against the truth (NaN without it). */
export function personMse(beta: Float64Array, truth: FitContext["truth"]): number {
  if (!truth) return Number.NaN;
  let s = 0;
  for (let i = 0; i < beta.length; i++) s += ((beta[i] as number) - (truth.betaIndividual?.[i] ?? truth.beta)) ** 2;
  return s / beta.length;
}

/** The re-split spread: SD and numpy-style 2.5/97.5 percentiles of the fits' mean beta (NaN with one fit). */
export function resplitSpread(bootMeans: readonly number[]): Record<string, number> {
  if (bootMeans.length < 2) return { resplit_sd: Number.NaN, resplit_lower: Number.NaN, resplit_upper: Number.NaN };
  const sorted = [...bootMeans].sort((a, b) => a - b);
  return {
    resplit_sd: meanSd(sorted)[1],
    resplit_lower: quantile(sorted, 0.025),
    resplit_upper: quantile(sorted, 0.975),
  };
}
