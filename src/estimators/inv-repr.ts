import seedrandom from "seedrandom";
import { errors } from "../errors.js";
import { type InvReprShape, invReprHyper, invReprLayout } from "../models/inv-repr.js";
import { encodeInvRepr, type InvReprFit, trainInvRepr } from "../models/inv-repr-train.js";
import type { ParamSpec } from "../params.js";
import { failedRow } from "./inference.js";
import { environmentCodes } from "./inv-subspace.js";
import { latentR2 } from "./latent-r2.js";
import { tsls } from "./tsls.js";
import type { EstimateRow, FitContext, FitStatus, IndividualData, IndividualEstimator } from "./types.js";
import type { DataShape } from "./workspace.js";

/**
 * `inv_repr` (invariance-mr.md 3.4): an autoencoder of the instruments whose latents split into V̂
 * and Ŵ, trained per (λ1, λ2) of a grid with Ŵ's law pushed to be the same across environments
 * (MMD²) and Ŵ independent of V̂ (HSIC); the run with the lowest mean validation L_inv over its last
 * epochs is kept, and 2SLS uses its Ŵ as instruments (V̂ partialled out under tsls_w_po_v).
 */

const ID = "inv_repr";

/** Parameters of `inv_repr`. */
export interface InvReprParams {
  lambda1: readonly number[];
  lambda2: readonly number[];
  lambda4: number;
  width: number;
  pv: number;
  pw: number;
  decoder_degree: number;
  epochs: number;
  batch_items: number;
  lr: number;
  weight_decay: number;
  last_epochs: number;
  second_stage: "tsls_w" | "tsls_w_po_v";
}

const EXTRAS = [
  "lambda1",
  "lambda2",
  "selection_score",
  "rec_mse",
  "latent_r2_w",
  "latent_r2_v",
  "first_stage_f",
  "n_instruments",
  "epochs",
] as const;

const PARAMS: readonly ParamSpec[] = [
  { name: "lambda1", type: "numbers", min: 0, help: "grid of MMD² (invariance) weights λ1" },
  { name: "lambda2", type: "numbers", min: 0, help: "grid of HSIC (independence) weights λ2; 0 is the ablation" },
  { name: "lambda4", type: "number", min: 0, help: "weight of the -log det entropy term" },
  { name: "width", type: "int", min: 1, help: "encoder width h" },
  { name: "pv", type: "int", min: 1, help: "latents V̂ (non-invariant)" },
  { name: "pw", type: "int", min: 1, help: "latents Ŵ (invariant: the instruments)" },
  { name: "decoder_degree", type: "int", min: 1, max: 3, help: "degree of the polynomial decoder" },
  { name: "epochs", type: "int", min: 1, help: "training epochs (400 for E = 2, 800 for E = 3 in the study)" },
  { name: "batch_items", type: "int", min: 2, help: "items per batch (one row per environment each)" },
  { name: "lr", type: "number", above: 0, help: "AdamW learning rate" },
  { name: "weight_decay", type: "number", min: 0, help: "AdamW decoupled weight decay" },
  { name: "last_epochs", type: "int", min: 1, help: "epochs whose mean validation L_inv scores a run" },
  {
    name: "second_stage",
    type: "choice",
    choices: ["tsls_w", "tsls_w_po_v"],
    help: "2SLS on Ŵ, or with V̂ partialled out (as controls in both stages)",
  },
];

/** Row-major Z (n x dz) from the column-major instrument matrix. */
function rowMajor(data: IndividualData): Float64Array {
  const { rows, cols, data: m } = data.instruments;
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = m[j * rows + i] as number;
  return out;
}

/** Per environment, the row indices of split `which` (0 training, 1 validation). */
function banks(codes: Int32Array, split: Float64Array, levels: number, which: number): Int32Array[] {
  return Array.from({ length: levels }, (_, e) => {
    const rows: number[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i] === e && split[i] === which) rows.push(i);
    return Int32Array.from(rows);
  });
}

/** What every λ run on a dataset shares: Z row-major, the banks and the core's shape. */
interface Setup {
  z: Float64Array;
  train: Int32Array[];
  validation: Int32Array[];
  trainItems: number;
  validationItems: number;
  shape: InvReprShape;
}

/** The data and training parameters that fix a λ run, with the run's λ1 and λ2 (a piece key, as JSON). */
type RunSpec = Omit<InvReprParams, "lambda1" | "lambda2" | "second_stage"> & { lambda1: number; lambda2: number };

/** The keys of a fit's λ runs, in grid order (λ1 outer): each names everything its training depends on. */
function runKeys(p: InvReprParams): string[] {
  const { lambda1, lambda2, second_stage: _, ...training } = p;
  return lambda1.flatMap((l1) => lambda2.map((l2) => JSON.stringify({ ...training, lambda1: l1, lambda2: l2 })));
}

function setupOf(data: IndividualData, p: RunSpec): Setup | FitStatus {
  if (!data.environment) throw errors.missing(ID, "the data's environment role", "a column of environment labels");
  if (!data.split) throw errors.missing(ID, "the data's split role", "a column of 0 (training) and 1 (validation)");
  const { codes, levels } = environmentCodes(data.environment);
  const train = banks(codes, data.split, levels.length, 0);
  const validation = banks(codes, data.split, levels.length, 1);
  if (train.some((b) => b.length === 0) || validation.some((b) => b.length === 0)) return "too_few_rows";
  const trainItems = Math.round(train.reduce((s, b) => s + b.length, 0) / levels.length);
  const validationItems = Math.round(validation.reduce((s, b) => s + b.length, 0) / levels.length);
  const shape = shapeOf(p, data.instruments.cols, levels.length, Math.min(p.batch_items, trainItems, validationItems));
  return { z: rowMajor(data), train, validation, trainItems, validationItems, shape };
}

/** The core's shape of a run on `inputs` instruments, E environments and batches of `items` items. */
function shapeOf(p: RunSpec, inputs: number, environments: number, items: number): InvReprShape {
  const { width, pv, pw, decoder_degree: decoderDegree } = p;
  return { inputs, width, pv, pw, decoderDegree, environments, items, kernelDegree: 2, dtype: "f64" };
}

/**
 * Seconds per parameter and row of a training epoch (forward, backward, losses, AdamW), f64: one
 * step of 1000 rows of the 8240-parameter network (h 64, dz 35, degree 3) takes about 5.8 ms here.
 */
const SECONDS_PER_PARAMETER_ROW = 0.7e-9;

/** A λ run's rough cost: epochs x rows x parameters (every parameter is about one multiply-add per row). */
function runSeconds(shape: DataShape, key: string): number {
  const p = JSON.parse(key) as RunSpec;
  const parameters = invReprLayout(shapeOf(p, shape.instruments, 2, 1)).count;
  return p.epochs * shape.n * parameters * SECONDS_PER_PARAMETER_ROW;
}

/**
 * Trains the λ run `key` (a `runKeys` entry). Every run of a dataset starts from the same draws
 * (initialisation and index tables, from the dataset's seed): only λ differs between them.
 */
function trainRun(data: IndividualData, key: string, ctx: FitContext): InvReprFit | FitStatus {
  const p = JSON.parse(key) as RunSpec;
  const setup = setupOf(data, p);
  if (typeof setup === "string") return setup;
  const rand = seedrandom(`${ctx.dataSeed ?? ctx.seed}:${ID}`);
  const hyper = { ...invReprHyper(p.lambda1, p.lambda2), lambda4: p.lambda4 };
  const adam: [number, number, number, number, number] = [p.lr, 0.9, 0.999, 1e-8, p.weight_decay];
  const { shape, ...banks } = setup;
  return trainInvRepr(ctx.core, shape, hyper, { ...banks, epochs: p.epochs, adam, lastEpochs: p.last_epochs, rand });
}

/** The selected run of a fit and its encoded latents. */
interface Trained {
  fit: InvReprFit;
  lambda1: number;
  lambda2: number;
  latents: Float64Array;
}

/** λ runs and selections already made on a dataset (by key), shared by every fit of it in this thread. */
const CACHE = new WeakMap<IndividualData, Map<string, InvReprFit | FitStatus | Trained>>();

function cached<T>(data: IndividualData, key: string, make: () => T): T {
  let byKey = CACHE.get(data);
  if (!byKey) {
    byKey = new Map();
    CACHE.set(data, byKey);
  }
  if (!byKey.has(key)) byKey.set(key, make() as InvReprFit | FitStatus | Trained);
  return byKey.get(key) as T;
}

/** A λ run: given (ctx.parts), made already in this thread, or trained now. */
function run(data: IndividualData, key: string, ctx: FitContext): InvReprFit | FitStatus {
  const given = ctx.parts?.get(key) as InvReprFit | FitStatus | undefined;
  return given ?? cached(data, `run|${ctx.dataSeed ?? ctx.seed}|${key}`, () => trainRun(data, key, ctx));
}

/**
 * The run with the lowest selection score (the first in grid order on ties) and its latents of
 * every row: one per dataset, seed and training parameters, shared by both second stages.
 */
function trained(data: IndividualData, p: InvReprParams, ctx: FitContext): Trained | FitStatus {
  const keys = runKeys(p);
  return cached(data, `fit|${ctx.dataSeed ?? ctx.seed}|${keys.join("|")}`, () => {
    let best: { fit: InvReprFit; key: string } | undefined;
    for (const key of keys) {
      const fit = run(data, key, ctx);
      if (typeof fit === "string") return fit;
      if (Number.isFinite(fit.score) && !(fit.score >= (best?.fit.score ?? Number.POSITIVE_INFINITY))) {
        best = { fit, key };
      }
    }
    if (!best) return "non_finite";
    const spec = JSON.parse(best.key) as RunSpec;
    const setup = setupOf(data, spec) as Setup;
    const latents = encodeInvRepr(ctx.core, setup.shape, best.fit.params, setup.z, data.n);
    return { fit: best.fit, lambda1: spec.lambda1, lambda2: spec.lambda2, latents };
  });
}

/** Latent column j of the n x q row-major latents. */
function column(latents: Float64Array, n: number, q: number, j: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => latents[i * q + j] as number);
}

function fitInvRepr(data: IndividualData, p: InvReprParams, ctx: FitContext): EstimateRow {
  if (data.instruments.cols === 0) return failedRow(ID, "no_instruments", EXTRAS);
  const t = trained(data, p, ctx);
  if (typeof t === "string") return failedRow(ID, t, EXTRAS);
  const q = p.pv + p.pw;
  const vhat = Array.from({ length: p.pv }, (_, j) => column(t.latents, data.n, q, j));
  const what = Array.from({ length: p.pw }, (_, j) => column(t.latents, data.n, q, p.pv + j));
  const columns = new Map(data.columns);
  const names: string[] = [];
  if (p.second_stage === "tsls_w_po_v") {
    vhat.forEach((c, j) => {
      columns.set(`.inv_repr_vhat${j}`, c);
      names.push(`.inv_repr_vhat${j}`);
    });
  }
  const instruments = { rows: data.n, cols: p.pw, data: new Float64Array(data.n * p.pw) };
  what.forEach((c, j) => {
    instruments.data.set(c, j * data.n);
  });
  const second = { ...data, instruments, instrumentNames: what.map((_, j) => `W_hat${j}`), columns };
  const row = tsls.fit(second, { covariates: names }, ctx);
  const env = environmentCodes(data.environment as Float64Array);
  return {
    ...row,
    estimator: ID,
    extras: {
      lambda1: t.lambda1,
      lambda2: t.lambda2,
      selection_score: t.fit.score,
      rec_mse: t.fit.lastTerms[0] as number,
      latent_r2_w: latentR2(ctx.core, data, what, env.codes, env.levels.length, "W"),
      latent_r2_v: latentR2(ctx.core, data, vhat, env.codes, env.levels.length, "V"),
      first_stage_f: row.extras.first_stage_f as number,
      n_instruments: p.pw,
      epochs: p.epochs,
    },
  };
}

/** Representation-learning invariance estimator: autoencoder with MMD²/HSIC penalties, then 2SLS on Ŵ. */
export const invRepr: IndividualEstimator<InvReprParams> = {
  id: ID,
  label: "Invariant-representation 2SLS",
  description:
    "an autoencoder of the instruments with latents V̂, Ŵ, Ŵ pushed to be invariant across environments (MMD²) and independent of V̂ (HSIC), over a λ grid selected by validation invariance; then 2SLS on Ŵ",
  params: PARAMS,
  defaults: {
    lambda1: [1, 5, 10],
    lambda2: [1, 5, 10],
    lambda4: 0.01,
    width: 64,
    pv: 2,
    pw: 2,
    decoder_degree: 3,
    epochs: 400,
    batch_items: 500,
    lr: 1e-3,
    weight_decay: 1e-4,
    last_epochs: 20,
    second_stage: "tsls_w",
  },
  input: "individual",
  uses: ["environment"],
  extras: EXTRAS,
  fit: fitInvRepr,
  // Ŵ is learned from the same data (and λ selected on it); the 2SLS interval treats it as given.
  interval: () => "ignores_selection",
  parts: { keys: runKeys, run: (data, _p, ctx, key) => trainRun(data, key, ctx), cost: runSeconds },
};
