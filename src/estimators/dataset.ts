import type { Core } from "../core/memory.js";
import { perSnpStats, type SnpStatsFailure, type SummaryData } from "../summary/data.js";
import { covariateColumns } from "./covariates.js";
import { failedRow } from "./inference.js";
import type { EstimateRow, Estimator, FitContext, IndividualData } from "./types.js";

/**
 * One dataset as every estimator of a fit or sweep task sees it: the individual-level data, and
 * the per-variant summary statistics made from them on first request and shared by every
 * summary-level estimator (one set per list of covariates they adjust for).
 */
export class Dataset {
  private readonly stats = new Map<string, SummaryData | SnpStatsFailure>();

  constructor(
    readonly individual: IndividualData,
    private readonly core: Core,
  ) {}

  /**
   * The per-variant statistics adjusted for `covariates`, or why they could not be made. A
   * covariate the data lack is an input error of `where` (not cached: each asker gets its own).
   */
  summary(covariates: readonly string[], where: string): SummaryData | SnpStatsFailure {
    const key = JSON.stringify(covariates);
    let s = this.stats.get(key);
    if (s === undefined) {
      s = perSnpStats(this.core, this.individual, covariateColumns(where, this.individual, covariates));
      this.stats.set(key, s);
    }
    return s;
  }
}

/** The `covariates` parameter of a summary-level estimator, or none when it has no such parameter. */
function covariatesOf(params: object): readonly string[] {
  return ((params as { covariates?: readonly string[] }).covariates ?? []) as readonly string[];
}

/**
 * Fits one estimator to a dataset through its input kind: individual-level data as they are;
 * summary statistics from the dataset's shared ones (a failure to make them is the row's status).
 */
export function fitDataset(est: Estimator<object>, dataset: Dataset, params: object, ctx: FitContext): EstimateRow {
  if (est.input === "individual") return est.fit(dataset.individual, params, ctx);
  const stats = dataset.summary(covariatesOf(params), est.id);
  return "reason" in stats ? failedRow(est.id, stats.reason, est.extras) : est.fit(stats, params, ctx);
}
