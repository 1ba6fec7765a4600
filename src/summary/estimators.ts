import { failedRow, finiteStatus } from "../estimators/inference.js";
import type { EstimateRow, FitContext, SummaryEstimator } from "../estimators/types.js";
import type { ParamSpec } from "../params.js";
import { medianBootstrapSe, modeBootstrap } from "./bootstrap.js";
import type { SummaryData } from "./data.js";
import {
  CONVENTIONS,
  type Convention,
  egger,
  ivw,
  kernelMode,
  mad,
  medianWeights,
  modeBandwidth,
  normalInference,
  tPInference,
  weightedMedianOf,
} from "./methods.js";

/**
 * The summary-level estimators as registry entries: in sweeps and `fit` the caller reduces the
 * individual-level data to per-SNP statistics once for all of them; `mrsweep mr` reads a file.
 */

type Fit = (d: SummaryData, params: Record<string, unknown>, ctx: FitContext) => EstimateRow;

function row(
  id: string,
  inf: { estimate: number; se: number; ci_lower: number; ci_upper: number; p_value: number },
  extras: Record<string, number>,
): EstimateRow {
  return { estimator: id, ...inf, status: finiteStatus(inf.estimate, inf.se), extras };
}

const CONVENTION: ParamSpec = {
  name: "convention",
  type: "choice",
  choices: CONVENTIONS,
  help: "whose defaults and inference: MendelianRandomization (default) or TwoSampleMR",
};

const ITERATIONS = (text: string): ParamSpec => ({
  name: "iterations",
  type: "int",
  min: 2,
  nullable: true,
  help: `bootstrap draws for the SE (default ${text})`,
});

/** The given number of bootstrap draws, or the convention's default. */
function iterations(p: Record<string, unknown>, byConvention: Record<Convention, number>): number {
  return (p.iterations as number | null) ?? byConvention[p.convention as Convention];
}

/**
 * Covariates of the per-SNP regressions when a summary-level estimator runs on individual-level
 * data (`fit`, sweeps): each association is then the G_j coefficient of lm(x ~ G_j + W). The
 * caller makes the statistics (src/estimators/dataset.ts), once per dataset and set of covariates.
 */
const COVARIATES: ParamSpec = {
  name: "covariates",
  type: "strings",
  help: "columns adjusted for in every per-SNP regression (lm(x ~ G_j + covariates), n - 2 - k df); none by default",
};

/** A summary-level estimator; fewer than `minJ` variants gives a status. */
function summaryEstimator(
  id: string,
  label: string,
  description: string,
  minJ: number,
  params: readonly ParamSpec[],
  defaults: Record<string, unknown>,
  extras: readonly string[],
  summaryFit: Fit,
): SummaryEstimator<Record<string, unknown>> & { minJ: number } {
  return {
    id,
    label,
    description,
    input: "summary",
    params: [...params, COVARIATES],
    defaults: { ...defaults, covariates: [] },
    extras,
    minJ,
    fit: (d, p, ctx) => (d.bx.length < minJ ? failedRow(id, "too_few_variants", extras) : summaryFit(d, p, ctx)),
    // Through `fit` (sweeps, `mrsweep fit`) the per-SNP statistics come from one sample, so bx and
    // by share it: the nominal interval treats the first stage as known (2SLS-like, biased toward
    // OLS). On two-sample summary files (`mrsweep mr`) the same interval is asymptotic.
    interval: () => "ignores_first_stage",
  };
}

export const ivwEstimator = summaryEstimator(
  "ivw",
  "IVW",
  "inverse-variance weighted (first-order weights); fixed effect when J < 4, else multiplicative random effects",
  2,
  [
    {
      name: "model",
      type: "choice",
      choices: ["default", "fixed", "random"],
      help: "SE model (default: MendelianRandomization's fixed if J < 4, else random; TwoSampleMR's random)",
    },
    CONVENTION,
  ],
  { model: "default", convention: "MendelianRandomization" },
  ["se_fixed", "se_random", "q", "q_df", "q_p", "n_variants"],
  (d, p) => {
    const r = ivw(d, p.model as "default", p.convention as Convention);
    return row("ivw", r, {
      se_fixed: r.se_fixed,
      se_random: r.se_random,
      q: r.q,
      q_df: r.q_df,
      q_p: r.q_p,
      n_variants: d.bx.length,
    });
  },
);

/** MR-Egger's extras, in EGGER_EXTRAS order. */
export const EGGER_EXTRAS = [
  "intercept",
  "intercept_se",
  "intercept_p",
  "q",
  "q_df",
  "q_p",
  "i2_gx",
  "n_variants",
] as const;

/** MR-Egger's row on per-variant statistics `d` (shared by mr_egger and the individual-level egger_z family). */
export function eggerRow(id: string, d: SummaryData, convention: Convention = "MendelianRandomization"): EstimateRow {
  const r = egger(d, convention);
  return row(id, r, {
    intercept: r.intercept,
    intercept_se: r.intercept_se,
    intercept_p: r.intercept_p,
    q: r.q,
    q_df: r.q_df,
    q_p: r.q_p,
    i2_gx: r.i2_gx,
    n_variants: d.bx.length,
  });
}

export const eggerEstimator = summaryEstimator(
  "mr_egger",
  "MR-Egger",
  "weighted regression of oriented by on bx with an intercept (directional pleiotropy)",
  3,
  [CONVENTION],
  { convention: "MendelianRandomization" },
  EGGER_EXTRAS,
  (d, p) => eggerRow("mr_egger", d, p.convention as Convention),
);

function medianEstimator(id: "weighted_median" | "simple_median") {
  return summaryEstimator(
    id,
    id === "weighted_median" ? "Weighted median" : "Simple median",
    id === "weighted_median"
      ? "median of ratio estimates weighted by bx^2/sy^2 (first order; TwoSampleMR: second order), bootstrap SE"
      : "median of ratio estimates, bootstrap SE",
    3,
    [ITERATIONS("10000; TwoSampleMR 1000"), CONVENTION],
    { iterations: null, convention: "MendelianRandomization" },
    ["n_variants"],
    (d, p, ctx) => {
      const theta = d.by.map((b, i) => b / (d.bx[i] as number));
      const w =
        id === "weighted_median" ? medianWeights(d, p.convention as Convention) : new Float64Array(d.bx.length).fill(1);
      const draws = iterations(p, { MendelianRandomization: 10000, TwoSampleMR: 1000 });
      const se = medianBootstrapSe(ctx.core, d, w, draws, `${ctx.seed}:${id}`);
      return row(id, normalInference(weightedMedianOf(theta, w), se), { n_variants: d.bx.length });
    },
  );
}

export const weightedMedianEstimator = medianEstimator("weighted_median");
export const simpleMedianEstimator = medianEstimator("simple_median");

/** Second-order (delta) SEs of the ratio estimates, sqrt(sy^2/bx^2 + by^2 sx^2/bx^4): Hartwig's "not assuming NOME". */
function ratioSe(d: SummaryData): Float64Array {
  return d.bx.map((b, i) =>
    Math.sqrt((d.sy[i] as number) ** 2 / b ** 2 + ((d.by[i] as number) ** 2 * (d.sx[i] as number) ** 2) / b ** 4),
  );
}

/**
 * The mode-based estimates (Hartwig, Davey Smith & Bowden 2017): the mode of a Gaussian kernel
 * density of the ratio estimates, weighted by their inverse delta variances (weighted_mode) or
 * equally (simple_mode, TwoSampleMR's mr_simple_mode). Both use the modified Silverman bandwidth
 * of the unweighted ratios, phi 0.9 min(sd, mad) / J^(1/5). There is no closed-form SE: it is the
 * mad of parametric-bootstrap modes (ratios drawn from N(theta_j, delta SE_j), bandwidth recomputed
 * from each draw), seeded by the run seed and the estimator id.
 */
function modeEstimator(id: "weighted_mode" | "simple_mode") {
  const weighted = id === "weighted_mode";
  return summaryEstimator(
    id,
    weighted ? "Weighted mode" : "Simple mode",
    weighted
      ? "mode of the ratio estimates' weighted Gaussian kernel density (delta SEs), bootstrap SE = mad"
      : "mode of the ratio estimates' unweighted Gaussian kernel density, bootstrap SE = mad",
    3,
    [ITERATIONS("1000"), { name: "phi", type: "number", above: 0, help: "bandwidth multiplier" }, CONVENTION],
    { iterations: null, phi: 1, convention: "MendelianRandomization" },
    ["bandwidth", "n_variants"],
    (d, p, ctx) => {
      const theta = d.by.map((b, i) => b / (d.bx[i] as number));
      const se = ratioSe(d);
      const w = weighted ? se.map((s) => s ** -2) : new Float64Array(se.length).fill(1);
      const h = modeBandwidth(theta, p.phi as number);
      const draws = iterations(p, { MendelianRandomization: 1000, TwoSampleMR: 1000 });
      const boots = modeBootstrap(ctx.core, theta, se, w, draws, `${ctx.seed}:${id}`, p.phi as number);
      const estimate = kernelMode(theta, w, h);
      const J = d.bx.length;
      const inference =
        p.convention === "TwoSampleMR"
          ? tPInference(estimate, mad(boots), J - 1)
          : normalInference(estimate, mad(boots));
      return row(id, inference, { bandwidth: h, n_variants: J });
    },
  );
}

export const weightedModeEstimator = modeEstimator("weighted_mode");
export const simpleModeEstimator = modeEstimator("simple_mode");

/** Every summary-level estimator, in the order `mrsweep mr` prints them. */
export const SUMMARY_ESTIMATORS = [
  ivwEstimator,
  eggerEstimator,
  weightedMedianEstimator,
  simpleMedianEstimator,
  weightedModeEstimator,
  simpleModeEstimator,
];
