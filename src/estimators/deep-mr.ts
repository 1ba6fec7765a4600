import { datasetCache } from "./dataset-cache.js";
import { DEEP_MR_DEFAULTS, DEEP_MR_PARAMS, type DeepMrParams } from "./deep-mr-params.js";
import {
  type Member,
  memberKeys,
  memberSeconds,
  runStage,
  type Stage,
  trainMember,
  workspaceBytes,
} from "./deep-mr-stage.js";
import { failedRow } from "./inference.js";
import type { EstimateRow, FitContext, FitParts, FitStatus, IndividualData, IndividualEstimator } from "./types.js";

/**
 * Deep MR (deep-mr.md §2, §5, §9): MR on a trained sequence model's in-silico mutagenesis. Both
 * estimators read one model stage per dataset (deep-mr-stage.ts): `deep_mr_egger` the
 * random-effects meta-analysis of the per-sequence MR-Egger slopes, `deep_mr_naive` the mean of the
 * per-sequence mean ratios.
 */

const EGGER_EXTRAS = [
  "tau",
  "band_lower",
  "band_upper",
  "n_sequences",
  "mean_instruments",
  "n_dropped",
  "n_robust_missing",
  "local_coverage",
  "local_coverage_authors",
  "epochs_mean",
];

const NAIVE_EXTRAS = ["naive_sd", "band_lower", "band_upper", "n_sequences", "epochs_mean"];

/** Members and stages made on a dataset, by seed and settings, shared by every Deep MR fit of it in this thread. */
const cache = datasetCache<Member | Stage | FitStatus>();

function cached<T extends Member | Stage | FitStatus>(data: IndividualData, key: string, make: () => T): T {
  return cache(data, key, make) as T;
}

/** The members of a fit: given (ctx.parts), trained already in this thread (configurations differing in MR settings only), or now. */
function members(data: IndividualData, p: DeepMrParams, ctx: FitContext): Member[] {
  const seed = ctx.dataSeed ?? ctx.seed;
  return memberKeys(p).map(
    (key) =>
      (ctx.parts?.get(key) as Member) ?? cached(data, `member|${seed}|${key}`, () => trainMember(data, ctx, key)),
  );
}

function stage(data: IndividualData, p: DeepMrParams, ctx: FitContext): Stage | FitStatus {
  // The per-sequence truths only feed local coverage, but a fit without them must not read one with them.
  const key = JSON.stringify([ctx.dataSeed ?? ctx.seed, p, ctx.truth?.units?.size ?? 0]);
  return cached(data, `stage|${key}`, () => runStage(data, p, ctx, members(data, p, ctx)));
}

/** Per-sequence outputs (units.csv with `sweep --units`), one unit per analysed test sequence in test order. */
const SEQUENCE_UNITS = [
  "sequence_row",
  "instruments",
  "local_estimate",
  "local_se",
  "local_ci_lower",
  "local_ci_upper",
  "local_naive",
  "local_truth",
];

function sequenceUnits(r: Stage["round"]): Record<string, Float64Array> {
  const col = (f: (q: (typeof r.sequences)[number]) => number) => Float64Array.from(r.sequences, f);
  return {
    sequence_row: col((q) => q.id + 1),
    instruments: col((q) => q.instruments),
    local_estimate: col((q) => q.estimate),
    local_se: col((q) => q.se),
    local_ci_lower: col((q) => q.ci_lower),
    local_ci_upper: col((q) => q.ci_upper),
    local_naive: col((q) => q.naive),
    local_truth: col((q) => q.truth),
  };
}

function eggerRow(s: Stage): EstimateRow {
  const r = s.round;
  const status = r.status === "no_sequences" ? "too_few_rows" : r.status;
  return {
    estimator: "deep_mr_egger",
    estimate: r.TE,
    se: r.SE,
    ci_lower: r.ci_lower,
    ci_upper: r.ci_upper,
    p_value: r.p_value,
    status,
    extras: {
      tau: r.tau,
      band_lower: r.band_lower,
      band_upper: r.band_upper,
      n_sequences: r.n_sequences,
      mean_instruments: r.mean_instruments,
      n_dropped: r.n_dropped,
      n_robust_missing: r.n_robust_missing,
      local_coverage: r.local_coverage.share,
      local_coverage_authors: r.local_coverage_authors.share,
      epochs_mean: s.epochsMean,
    },
    units: sequenceUnits(r),
  };
}

function naiveRow(s: Stage): EstimateRow {
  const r = s.round;
  return {
    estimator: "deep_mr_naive",
    estimate: r.naive,
    se: Number.NaN,
    ci_lower: Number.NaN,
    ci_upper: Number.NaN,
    p_value: Number.NaN,
    status: Number.isFinite(r.naive) ? "ok" : "too_few_rows",
    extras: {
      naive_sd: r.naive_sd,
      band_lower: r.naive_band_lower,
      band_upper: r.naive_band_upper,
      n_sequences: r.n_sequences,
      epochs_mean: s.epochsMean,
    },
  };
}

const parts: FitParts<DeepMrParams> = {
  keys: memberKeys,
  run: (data, _p, ctx, key) => trainMember(data, ctx, key),
  cost: memberSeconds,
};

/** A Deep MR estimator reading the shared stage and turning it into its row. */
function deepMr(
  id: string,
  label: string,
  description: string,
  extras: string[],
  row: (s: Stage) => EstimateRow,
  units?: string[],
) {
  const est: IndividualEstimator<DeepMrParams> = {
    id,
    label,
    description,
    params: DEEP_MR_PARAMS,
    defaults: DEEP_MR_DEFAULTS,
    input: "individual",
    uses: ["split"],
    extras,
    ...(units ? { units, unitKind: "sequence" as const } : {}),
    fit: (data, p, ctx) => {
      const s = stage(data, p, ctx);
      return typeof s === "string" ? failedRow(id, s, extras) : row(s);
    },
    interval: () => (id === "deep_mr_egger" ? "asymptotic" : "none"),
    parts,
    workspace: (shape, p) => workspaceBytes(shape, p),
  };
  return est;
}

export const deepMrEgger = deepMr(
  "deep_mr_egger",
  "Deep MR (MR-Egger, random effects)",
  "an ensemble CNN of sequence to (exposure, outcome), recalibrated (or one CNN with MC dropout); per test sequence with the exposure motif, MR-Egger on its single-base mutants' predicted effects (robust MM fit above 10 instruments); a REML random-effects meta-analysis of the local slopes",
  EGGER_EXTRAS,
  eggerRow,
  SEQUENCE_UNITS,
);

export const deepMrNaive = deepMr(
  "deep_mr_naive",
  "Deep MR naive ratio",
  "the same model stage as deep_mr_egger; per sequence the mean ratio of outcome to exposure effects over the kept mutants, then their mean (band ±2 SD, not a confidence interval)",
  NAIVE_EXTRAS,
  naiveRow,
);
