import type { ParamSpec } from "../params.js";
import type { EncoderConfig } from "./encoder.js";

/**
 * Named encoder settings. `package-default` is the contextualized package's ContextualizedRegressor
 * (width 25, 3 hidden layers, Adam lr 1e-3, batch size 1 in a fixed order, 80/20 split, patience
 * 1, at most 1000 epochs). `small` is what the study meant (width 8, depth 1); `study-small` what
 * its code ran (its `depth` keyword was ignored, leaving 3 layers); `linear` has no hidden layer.
 * `fast` trades the package's batch size 1 for minibatches with a larger step and reshuffling.
 */
const PACKAGE_DEFAULT: EncoderConfig = {
  width: 25,
  layers: 3,
  lr: 1e-3,
  batch_size: 1,
  patience: 1,
  max_epochs: 1000,
  val_fraction: 0.2,
  reshuffle: false,
  n_bootstraps: 1,
  archetypes: 0,
  precision: "f64",
};

export const PRESETS: Readonly<Record<string, EncoderConfig>> = {
  "package-default": PACKAGE_DEFAULT,
  small: { ...PACKAGE_DEFAULT, width: 8, layers: 1 },
  "study-small": { ...PACKAGE_DEFAULT, width: 8, layers: 3 },
  linear: { ...PACKAGE_DEFAULT, width: 0, layers: 0 },
  fast: {
    ...PACKAGE_DEFAULT,
    width: 16,
    layers: 2,
    lr: 5e-3,
    batch_size: 32,
    patience: 5,
    max_epochs: 300,
    reshuffle: true,
  },
};

/** Parameters that override a preset (null keeps the preset's value). */
export const ENCODER_PARAMS: readonly ParamSpec[] = [
  { name: "preset", type: "choice", choices: Object.keys(PRESETS), help: "encoder settings to start from" },
  { name: "width", type: "int", min: 1, nullable: true, help: "units per hidden layer" },
  { name: "layers", type: "int", min: 0, nullable: true, help: "hidden ReLU layers (0: beta and mu linear in C)" },
  { name: "lr", type: "number", above: 0, nullable: true, help: "Adam learning rate" },
  { name: "batch_size", type: "int", min: 1, nullable: true, help: "training minibatch size" },
  { name: "patience", type: "int", min: 1, nullable: true, help: "epochs without strict improvement before stopping" },
  { name: "max_epochs", type: "int", min: 1, nullable: true, help: "epoch cap" },
  { name: "val_fraction", type: "number", above: 0, max: 0.9, nullable: true, help: "validation share of the rows" },
  { name: "reshuffle", type: "boolean", nullable: true, help: "reshuffle the training order every epoch" },
  {
    name: "n_bootstraps",
    type: "int",
    min: 1,
    nullable: true,
    help: 'bootstrap "resplit": independent fits (new split and initialisation) averaged; "persons": B, the person resamples (default 99)',
  },
  { name: "archetypes", type: "int", min: 0, nullable: true, help: "0: encoder outputs (beta, mu); K: K archetypes" },
  {
    name: "precision",
    type: "choice",
    choices: ["f64", "f32"],
    nullable: true,
    help: "training precision: f64 (default), or f32 with f32x4 SIMD (about half the step time at width 25)",
  },
];

/** The preset with the given overrides applied. */
export function encoderConfig(params: Record<string, unknown>): EncoderConfig {
  const base = PRESETS[params.preset as string] as EncoderConfig;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(base)) if (params[key] !== null && params[key] !== undefined) out[key] = params[key];
  return out as unknown as EncoderConfig;
}
