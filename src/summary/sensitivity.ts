import { type SummaryData, selectVariants } from "./data.js";
import { type Convention, type Inference, ivw, normalInference } from "./methods.js";

/**
 * The per-variant analyses TwoSampleMR users run after the main table: the Wald ratio of each
 * variant (mr_singlesnp with mr_wald_ratio) and IVW leaving each variant out in turn (mr_leaveoneout).
 */

/** One variant's result, named by the variant. */
export interface VariantResult extends Inference {
  readonly variant: string;
  readonly status: "ok" | "too_few_variants";
}

/**
 * Wald ratio of each variant: by / bx with the first-order SE sy / |bx| (TwoSampleMR's
 * mr_wald_ratio), normal interval and two-sided p.
 */
export function waldRatios(d: SummaryData): VariantResult[] {
  return d.names.map((variant, j) => {
    const bx = d.bx[j] as number;
    return {
      variant,
      status: "ok",
      ...normalInference((d.by[j] as number) / bx, (d.sy[j] as number) / Math.abs(bx)),
    };
  });
}

/** 0 .. J - 1 without j. */
function allBut(J: number, j: number): number[] {
  return Array.from({ length: J }, (_, i) => i).filter((i) => i !== j);
}

/**
 * IVW on all variants but one, for each variant in turn, with the SE model and convention of the
 * main IVW (TwoSampleMR's mr_leaveoneout uses its mr_ivw: multiplicative random effects, floored at
 * fixed). Fewer than 3 variants leave fewer than 2: NaN with status too_few_variants, as TwoSampleMR
 * gives NA there.
 */
export function leaveOneOut(
  d: SummaryData,
  model: "default" | "fixed" | "random" = "default",
  convention: Convention = "MendelianRandomization",
): VariantResult[] {
  const J = d.bx.length;
  return d.names.map((variant, j) => {
    if (J < 3) return { variant, status: "too_few_variants", ...normalInference(Number.NaN, Number.NaN) };
    const r = ivw(selectVariants(d, allBut(J, j)), model, convention);
    return {
      variant,
      status: "ok",
      estimate: r.estimate,
      se: r.se,
      ci_lower: r.ci_lower,
      ci_upper: r.ci_upper,
      p_value: r.p_value,
    };
  });
}
