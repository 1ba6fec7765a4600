import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";

/** Parameters shared by `deep_mr_egger` and `deep_mr_naive` (deep-mr.md §4, §5, §9): the model stage and the MR. */
export interface DeepMrParams {
  /** Predictive uncertainty: an ensemble of `members` networks (the paper), or one network with MC dropout (the workshop version). */
  uncertainty: "ensemble" | "mc_dropout";
  /** Ensemble members (the paper: 5); ensemble only. */
  members: number;
  /** MC-dropout passes per sequence (the workshop: 50); mc_dropout only. */
  passes: number;
  /** Dropout rate after every ReLU (ours: the authors' network has none); mc_dropout only. */
  dropout: number;
  /** Largest number of training epochs per member, and the early-stopping patience (§4). */
  epochs: number;
  patience: number;
  /** Training batch size (§4: 1000, in the split's fixed order). */
  batch: number;
  /** Training precision: f32 (SIMD, the default) or f64 (the tests' reference). */
  precision: "f32" | "f64";
  /** BatchNorm at prediction: the batch's own statistics (the authors', Q5) or the running ones. */
  bn_inference: "batch" | "running";
  /** Recalibrate each member's predictions on the test set (§5.2); ensemble only (MC-dropout passes are not recalibrated). */
  recalibrate: boolean;
  /** Keep mutants with |z| of the exposure effect at least this (§2 step 5; 1 in the simulation). */
  z_threshold: number;
  /** τ² estimator of the random-effects meta-analysis (§2.2). */
  tau2: "REML" | "DL";
  /** When the local MR-Egger is the robust MM fit: above 10 instruments (auto), never, always. */
  egger_robust: "auto" | "never" | "always";
}

export const DEEP_MR_DEFAULTS: DeepMrParams = {
  uncertainty: "ensemble",
  members: 5,
  passes: 50,
  dropout: 0.1,
  epochs: 100,
  patience: 10,
  batch: 1000,
  precision: "f32",
  bn_inference: "batch",
  recalibrate: true,
  z_threshold: 1,
  tau2: "REML",
  egger_robust: "auto",
};

/** Declared parameters: validation, CLI flags and docs derive from these. */
export const DEEP_MR_PARAMS: readonly ParamSpec[] = [
  {
    name: "uncertainty",
    type: "choice",
    choices: ["ensemble", "mc_dropout"],
    help: "predictive draws: ensemble members (recalibrated) or MC-dropout passes of one network",
  },
  { name: "members", type: "int", min: 2, help: "ensemble: members, each with its own split and initialisation" },
  {
    name: "passes",
    type: "int",
    min: 2,
    help: "mc_dropout: passes per sequence, each one mask per layer shared by the sequence's mutants",
  },
  {
    name: "dropout",
    type: "number",
    min: 0,
    help: "mc_dropout: dropout rate after every ReLU (conv blocks and dense layers), in [0, 1)",
  },
  { name: "epochs", type: "int", min: 1, help: "largest number of training epochs per member" },
  { name: "patience", type: "int", min: 1, help: "epochs without a better validation loss before stopping" },
  { name: "batch", type: "int", min: 1, help: "training batch size (batches in the split's fixed order)" },
  { name: "precision", type: "choice", choices: ["f32", "f64"], help: "training precision" },
  {
    name: "bn_inference",
    type: "choice",
    choices: ["batch", "running"],
    help: "BatchNorm at prediction: batch (the predicted batch's own statistics, the authors') or running",
  },
  {
    name: "recalibrate",
    type: "boolean",
    help: "ensemble: isotonic recalibration of the members' predictions on the test set",
  },
  {
    name: "z_threshold",
    type: "number",
    min: 0,
    help: "keep mutants whose exposure-effect z-score is at least this in size",
  },
  { name: "tau2", type: "choice", choices: ["REML", "DL"], help: "τ² estimator of the meta-analysis" },
  {
    name: "egger_robust",
    type: "choice",
    choices: ["auto", "never", "always"],
    help: "robust (MM) local MR-Egger: above 10 instruments (auto, MendelianRandomization's rule), never, always",
  },
];

/** Refuses settings the declarations cannot express: a dropout rate of 1 or more, MC dropout without dropout. */
export function checkDeepMrParams(p: DeepMrParams): void {
  if (!(p.dropout < 1)) throw errors.invalid("deep_mr", "parameter dropout", "in [0, 1)", p.dropout);
  if (p.uncertainty === "mc_dropout" && p.dropout === 0)
    throw errors.invalid("deep_mr", "parameter dropout", "> 0 when uncertainty is mc_dropout", p.dropout);
}
