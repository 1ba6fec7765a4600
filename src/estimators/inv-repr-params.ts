import type { ParamSpec } from "../params.js";

/** Parameters of `inv_repr` (invariance-mr.md 3.4). */
export interface InvReprParams {
  lambda1: readonly number[];
  lambda2: readonly number[];
  /** Relatedness weight λ3 (0: no predictor, the study's default; the rebuttal sweeps 0.001 ... 0.1). */
  lambda3: number;
  lambda4: number;
  width: number;
  pv: number;
  pw: number;
  /**
   * "poly" (polynomial features of degree decoder_degree), "mlp" (the `invmlp` decoder; degree
   * ignored), or "matched": the one the paper pairs with the simulated mixing (simulations only).
   */
  decoder: "poly" | "mlp" | "matched";
  decoder_degree: number;
  epochs: number;
  batch_items: number;
  lr: number;
  weight_decay: number;
  last_epochs: number;
  /** Training precision; the second stage always encodes in f64 (f32 parameters converted). */
  precision: "f64" | "f32";
  /** A fresh training index table per epoch (false: the authors' one table replayed). */
  reshuffle: boolean;
  /** ReduceLROnPlateau (x0.5 after 21 epochs without a 1e-4 relative improvement of the validation loss). */
  plateau: boolean;
  /** Largest global L2 norm of each step's gradient; 0: no clipping. */
  clip: number;
  /** Standardise Z's columns (training rows' mean and SD) before the network [ours; the authors feed raw Z]. */
  standardize: boolean;
  second_stage: "tsls_w" | "tsls_w_po_v";
}

/** Declared parameters: validation, CLI flags and docs derive from these. */
export const INV_REPR_PARAMS: readonly ParamSpec[] = [
  { name: "lambda1", type: "numbers", min: 0, help: "grid of MMD² (invariance) weights λ1" },
  { name: "lambda2", type: "numbers", min: 0, help: "grid of HSIC (independence) weights λ2; 0 is the ablation" },
  {
    name: "lambda3",
    type: "number",
    min: 0,
    help: "weight of the relatedness loss mean (pred(Ŵ) - X)² (0: no predictor)",
  },
  { name: "lambda4", type: "number", min: 0, help: "weight of the -log det entropy term" },
  { name: "width", type: "int", min: 1, help: "encoder width h (also the MLP decoder's)" },
  { name: "pv", type: "int", min: 1, help: "latents V̂ (non-invariant)" },
  { name: "pw", type: "int", min: 1, help: "latents Ŵ (invariant: the instruments)" },
  {
    name: "decoder",
    type: "choice",
    choices: ["poly", "mlp", "matched"],
    help: "polynomial decoder (polynomial mixings), MLP Linear-ReLU-Linear-ReLU-Linear (invmlp mixing), or matched: the one the paper pairs with the simulated mixing (poly of the mixing's degree, 1 for linear; mlp for invmlp; simulations only)",
  },
  {
    name: "decoder_degree",
    type: "int",
    min: 1,
    max: 3,
    help: "degree of the polynomial decoder (ignored by the MLP decoder)",
  },
  { name: "epochs", type: "int", min: 1, help: "training epochs (400 for E = 2, 800 for E = 3 in the study)" },
  {
    name: "batch_items",
    type: "int",
    min: 2,
    help: "items per batch (one row per environment each; at most the items of an epoch, as a loader's one short batch)",
  },
  { name: "lr", type: "number", above: 0, help: "AdamW learning rate" },
  { name: "weight_decay", type: "number", min: 0, help: "AdamW decoupled weight decay" },
  { name: "last_epochs", type: "int", min: 1, help: "epochs whose mean validation L_inv scores a run" },
  { name: "precision", type: "choice", choices: ["f64", "f32"], help: "training precision (encoding is f64)" },
  { name: "reshuffle", type: "boolean", help: "draw a fresh training index table every epoch" },
  {
    name: "plateau",
    type: "boolean",
    help: "halve lr after 21 epochs without a 1e-4 relative drop of the validation loss (ReduceLROnPlateau)",
  },
  { name: "clip", type: "number", min: 0, help: "clip each step's gradient to this global L2 norm (0: off)" },
  {
    name: "standardize",
    type: "boolean",
    help: "standardise each instrument by the training rows' mean and SD before the network (not in the authors' code)",
  },
  {
    name: "second_stage",
    type: "choice",
    choices: ["tsls_w", "tsls_w_po_v"],
    help: "2SLS on Ŵ, or with V̂ partialled out (as controls in both stages)",
  },
];

/** The study's settings (E = 2), no relatedness loss, f64, no reshuffling, scheduler or clipping. */
export const INV_REPR_DEFAULTS: InvReprParams = {
  lambda1: [1, 5, 10],
  lambda2: [1, 5, 10],
  lambda3: 0,
  lambda4: 0.01,
  width: 64,
  pv: 2,
  pw: 2,
  decoder: "poly",
  decoder_degree: 3,
  epochs: 400,
  batch_items: 500,
  lr: 1e-3,
  weight_decay: 1e-4,
  last_epochs: 20,
  precision: "f64",
  reshuffle: false,
  plateau: false,
  clip: 0,
  standardize: false,
  second_stage: "tsls_w",
};
