import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import type { VariantSpans } from "./deep-mr-augment.js";
import type { BackgroundOrder } from "./deep-mr-pwm.js";
import { minLength } from "./deep-mr-sequences.js";

/** The four scenarios of spec §3.3: which confounding the counts get. */
export const SCENARIOS = ["unconfounded", "random", "sequence", "both"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Parameters of the `deep_mr_sim` DGP (spec §3 and §9; defaults: the paper's command). */
export interface DeepMrParams {
  scenario: Scenario;
  confounder_motif: boolean | null;
  confounder_prob: number | null;
  confounder_embed_prob: number;
  n_train: number;
  n_test: number;
  augment: number;
  L: number;
  e_low: number;
  e_high: number;
  e_high_prob: number;
  e_sd: number;
  alpha_mean: number;
  alpha_sd: number;
  eta: number;
  nu: number;
  tau1: number;
  tau2: number;
  pseudocount: number;
  truth_pseudocount: number;
  background_order: BackgroundOrder;
  variant_spans: VariantSpans;
  outcome_pwm: "tal1_known1" | "synthetic";
  seed: number;
}

export const DEEP_MR_DEFAULTS: DeepMrParams = {
  scenario: "unconfounded",
  confounder_motif: null,
  confounder_prob: null,
  confounder_embed_prob: 0.5,
  n_train: 10_000,
  n_test: 1000,
  augment: 0.25,
  L: 100,
  e_low: 1,
  e_high: 10,
  e_high_prob: 0.5,
  e_sd: 0.5,
  alpha_mean: 100,
  alpha_sd: 3,
  eta: 20,
  nu: 30,
  tau1: 25,
  tau2: 25,
  pseudocount: 1e-5,
  truth_pseudocount: 1e-3,
  background_order: "ACTG",
  variant_spans: "authors",
  outcome_pwm: "tal1_known1",
  seed: 1,
};

export const DEEP_MR_PARAMS: readonly ParamSpec[] = [
  {
    name: "scenario",
    type: "choice",
    choices: SCENARIOS,
    help: "confounding: unconfounded (none), random (b ~ Bernoulli(0.5), sequence-independent), sequence (the SOX2_1 motif), both",
  },
  {
    name: "confounder_motif",
    type: "boolean",
    nullable: true,
    help: "whether the SOX2_1 confounder motif is embedded and scored (none: from scenario)",
  },
  {
    name: "confounder_prob",
    type: "number",
    min: 0,
    max: 1,
    nullable: true,
    help: "P(b = 1) of the sequence-independent confounder (none: from scenario)",
  },
  {
    name: "confounder_embed_prob",
    type: "number",
    min: 0,
    max: 1,
    help: "probability that a sequence carries the confounder motif when configured (the code's 0.5; the preprint says 0.75)",
  },
  { name: "n_train", type: "int", min: 1, max: 1_000_000, help: "original training sequences" },
  { name: "n_test", type: "int", min: 1, max: 1_000_000, help: "test sequences" },
  {
    name: "augment",
    type: "number",
    min: 0,
    max: 1,
    help: "variant copies per training sequence: floor(augment n_train) copies, each with one change per motif span",
  },
  { name: "L", type: "int", min: minLength(false), max: 10_000, help: "sequence length (bases)" },
  { name: "e_low", type: "number", help: "mean of e's low component (e = β/α)" },
  { name: "e_high", type: "number", help: "mean of e's high component" },
  { name: "e_high_prob", type: "number", min: 0, max: 1, help: "probability of e's high component" },
  { name: "e_sd", type: "number", min: 0, help: "SD of each component of e (e is clipped at 0)" },
  { name: "alpha_mean", type: "number", help: "mean of α, the exposure motif's effect on the exposure count" },
  { name: "alpha_sd", type: "number", min: 0, help: "SD of α" },
  { name: "eta", type: "number", help: "η: effect of the confounder motif on the exposure count" },
  { name: "nu", type: "number", help: "ν: effect of the confounder motif on the outcome count" },
  { name: "tau1", type: "number", help: "τ1: effect of the random confounder b on the exposure count" },
  { name: "tau2", type: "number", help: "τ2: effect of the random confounder b on the outcome count" },
  {
    name: "pseudocount",
    type: "number",
    above: 0,
    max: 1,
    help: "PWM smoothing of the data: row (1 - p) + p/4, not renormalised",
  },
  {
    name: "truth_pseudocount",
    type: "number",
    above: 0,
    max: 1,
    help: "PWM smoothing of the true local effects (the authors' 1e-3, quirk Q2)",
  },
  {
    name: "background_order",
    type: "choice",
    choices: ["ACTG", "ACGT"],
    help: "ACTG: the authors' background (G divided by 0.27, T by 0.23; quirk Q1); ACGT: each base by its own frequency",
  },
  {
    name: "variant_spans",
    type: "choice",
    choices: ["authors", "own"],
    help: "authors: copy j is mutated in original j's motif spans (quirk Q4); own: in the spans of the sequence it copies",
  },
  {
    name: "outcome_pwm",
    type: "choice",
    choices: ["tal1_known1", "synthetic"],
    help: "outcome motif: TAL1_known1 (TRANSFAC M00065, as the paper) or a made-up 16-base matrix",
  },
  { name: "seed", type: "int", min: 0, help: "random seed" },
];

/** Whether the confounder motif is configured: explicit, or from the scenario. */
export function hasConfounderMotif(p: DeepMrParams): boolean {
  return p.confounder_motif ?? (p.scenario === "sequence" || p.scenario === "both");
}

/** P(b = 1): explicit, or 0.5 for the scenarios with a random confounder. */
export function confounderProbOf(p: DeepMrParams): number {
  return p.confounder_prob ?? (p.scenario === "random" || p.scenario === "both" ? 0.5 : 0);
}

/** Variant copies: floor(augment n_train). */
export function copiesOf(p: DeepMrParams): number {
  return Math.floor(p.augment * p.n_train);
}

/** L must leave the pair's smallest gap, plus the confounder motif when configured (spec §3.1, Q3). */
export function checkDeepMr(p: DeepMrParams, where: string): void {
  const least = minLength(hasConfounderMotif(p));
  if (p.L < least) {
    throw errors.invalid(
      where,
      "parameter L",
      `>= ${least} (both motifs, the gap of 16 and any confounder motif)`,
      p.L,
    );
  }
}
