import { perSnpStats } from "../summary/data.js";
import { EGGER_EXTRAS, eggerRow as summaryEggerRow } from "../summary/estimators.js";
import { ENVIRONMENT_AS_PARAM, type EnvironmentAs, environmentControls } from "./environment.js";
import { failedRow } from "./inference.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";

/**
 * Individual-level MR-Egger of the invariance design (invariance-mr.md section 3.1): per-variant
 * regressions of X and of Y on [1, Z_j, C] (C: the environment for `egger_z_po_k`, none for
 * `egger_z`), then the summary-level `mr_egger` of src/summary/methods.ts on those statistics with
 * MendelianRandomization's conventions: orientation to positive bx, weights sy^-2 (the authors add
 * 1e-10 to sy^2, a difference far below rounding of any realistic sy), SE divided by
 * min(sigma, 1), normal 95% interval. sy is the SE of the Z_j coefficient on n - 2 - |C| df.
 */

/** Parameters of `egger_z_po_k`. */
export interface EggerPoKParams {
  environment_as: EnvironmentAs;
}

const EXTRAS = EGGER_EXTRAS;

/** MR-Egger on the per-variant statistics of `data` adjusted for `controls`. */
function eggerRow(id: string, data: IndividualData, controls: readonly Float64Array[], ctx: FitContext): EstimateRow {
  // The statistics first, as for mr_egger through a Dataset: the same status on the same data.
  const stats = perSnpStats(ctx.core, data, controls);
  if ("reason" in stats) return failedRow(id, stats.reason, EXTRAS);
  if (stats.bx.length < 3) return failedRow(id, "too_few_variants", EXTRAS);
  return summaryEggerRow(id, stats);
}

/** MR-Egger on per-variant regressions of X and Y on each observed instrument. */
export const eggerZ: IndividualEstimator<Record<string, never>> = {
  id: "egger_z",
  label: "Egger(Z)",
  description: "MR-Egger (MendelianRandomization conventions) on per-variant regressions of X and Y on each Z_j",
  params: [],
  defaults: {},
  input: "individual",
  extras: EXTRAS,
  fit: (data, _p, ctx) => eggerRow("egger_z", data, [], ctx),
  // bx and by come from the same sample: the nominal interval treats the first stage as known.
  interval: () => "ignores_first_stage",
};

/** MR-Egger on per-variant regressions adjusted for the environment: PO(K)-Egger. */
export const eggerZPoK: IndividualEstimator<EggerPoKParams> = {
  id: "egger_z_po_k",
  label: "PO(K)-Egger(Z)",
  description:
    "MR-Egger on per-variant regressions of X and Y on [Z_j, environment] (MendelianRandomization conventions)",
  params: [ENVIRONMENT_AS_PARAM],
  defaults: { environment_as: "dummies" },
  input: "individual",
  extras: EXTRAS,
  uses: ["environment"],
  fit: (data, p, ctx) =>
    eggerRow("egger_z_po_k", data, environmentControls("egger_z_po_k", data, p.environment_as), ctx),
  interval: () => "ignores_first_stage",
};
