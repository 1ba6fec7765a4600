import seedrandom from "seedrandom";
import { errors } from "../errors.js";
import { invReprHyper, invReprLayout } from "../models/inv-repr.js";
import { encodeInvRepr, type InvReprFit, reconstructionMse, trainInvRepr } from "../models/inv-repr-train.js";
import { datasetCache } from "./dataset-cache.js";
import { failedRow } from "./inference.js";
import { checkParams, type InvReprTask, invReprTask } from "./inv-repr-data.js";
import { INV_REPR_DEFAULTS, INV_REPR_PARAMS, type InvReprParams } from "./inv-repr-params.js";
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

export type { InvReprParams } from "./inv-repr-params.js";

const EXTRAS = [
  "lambda1",
  "lambda2",
  "selection_score",
  "rec_mse",
  "latent_r2_w",
  "latent_r2_v",
  "leakage_r2",
  "first_stage_f",
  "n_instruments",
  "epochs",
] as const;

/** What fixes a λ run: the training parameters with the run's λ1 and λ2 (a piece key, as JSON). */
type RunSpec = Omit<InvReprParams, "lambda1" | "lambda2" | "second_stage"> & { lambda1: number; lambda2: number };

/**
 * The keys of a fit's λ runs, in grid order (λ1 outer): each names everything its training depends
 * on. The MLP and matched decoders do not read the degree, so settings that differ only there share runs.
 */
function runKeys(p: InvReprParams): string[] {
  const { lambda1, lambda2, second_stage: _, ...all } = p;
  const training = p.decoder === "poly" ? all : { ...all, decoder_degree: 1 };
  return lambda1.flatMap((l1) => lambda2.map((l2) => JSON.stringify({ ...training, lambda1: l1, lambda2: l2 })));
}

/**
 * The run's parameters as a one-run grid (what invReprTask reads), with decoder "matched" made the
 * one the paper pairs with the simulated mixing: polynomial of the mixing's degree (1 for linear),
 * MLP for invmlp.
 */
function asParams(spec: RunSpec, ctx: FitContext): InvReprParams {
  const p: InvReprParams = { ...spec, lambda1: [spec.lambda1], lambda2: [spec.lambda2], second_stage: "tsls_w" };
  if (spec.decoder !== "matched") return p;
  const mixing = ctx.truth?.design?.mixing;
  if (typeof mixing !== "string") {
    throw errors.invalid(
      ID,
      "parameter decoder",
      "poly or mlp on data that were not simulated with a mixing",
      "matched",
    );
  }
  if (mixing === "invmlp") return { ...p, decoder: "mlp" };
  return { ...p, decoder: "poly", decoder_degree: mixing === "linear" ? 1 : Number(mixing.replace("poly", "")) };
}

/**
 * Trains the λ run `key` (a `runKeys` entry). Every run of a dataset starts from the same draws
 * (initialisation and index tables, from the dataset's seed): only λ differs between them.
 */
function trainRun(data: IndividualData, key: string, ctx: FitContext): InvReprFit | FitStatus {
  const p = JSON.parse(key) as RunSpec;
  const task = invReprTask(data, asParams(p, ctx));
  if (typeof task === "string") return task;
  const rand = seedrandom(`${ctx.dataSeed ?? ctx.seed}:${ID}`);
  const hyper = { ...invReprHyper(p.lambda1, p.lambda2), lambda3: p.lambda3, lambda4: p.lambda4, clipNorm: p.clip };
  const adam: [number, number, number, number, number] = [p.lr, 0.9, 0.999, 1e-8, p.weight_decay];
  const run = { ...task.run, epochs: p.epochs, adam, lastEpochs: p.last_epochs, rand };
  return trainInvRepr(ctx.core, task.shape, hyper, run);
}

/**
 * Seconds per parameter and row of a training epoch (forward, backward, losses, AdamW), f64: one
 * step of 1000 rows of the 8240-parameter network (h 64, dz 35, degree 3) takes about 5.8 ms here.
 */
const SECONDS_PER_PARAMETER_ROW = 0.7e-9;

/** A λ run's rough cost: epochs x rows x parameters (every parameter is about one multiply-add per row). */
function runSeconds(shape: DataShape, key: string): number {
  const p = JSON.parse(key) as RunSpec;
  const parameters = invReprLayout({
    inputs: shape.instruments,
    width: p.width,
    pv: p.pv,
    pw: p.pw,
    // "matched" costed as the degree-3 polynomial decoder (the MLP one costs about 1.4 times more).
    decoderDegree: p.decoder === "matched" ? 3 : p.decoder_degree,
    decoder: p.decoder === "matched" ? "poly" : p.decoder,
    predictor: p.lambda3 > 0,
    environments: 2,
    items: 1,
    kernelDegree: 2,
    dtype: "f64",
  }).count;
  return p.epochs * shape.n * parameters * SECONDS_PER_PARAMETER_ROW;
}

/** The selected run of a fit, its encoded latents and its reconstruction MSE over all rows. */
interface Trained {
  fit: InvReprFit;
  lambda1: number;
  lambda2: number;
  latents: Float64Array;
  recMse: number;
}

/** λ runs and selections already made on a dataset (by key), shared by every fit of it in this thread. */
const cache = datasetCache<InvReprFit | FitStatus | Trained>();

function cached<T extends InvReprFit | FitStatus | Trained>(data: IndividualData, key: string, make: () => T): T {
  return cache(data, key, make) as T;
}

/** A cache key of runs on one dataset: the seed, the keys, and the simulated mixing that "matched" reads. */
function cacheKey(keys: string, ctx: FitContext): string {
  return `${ctx.dataSeed ?? ctx.seed}|${keys}|${String(ctx.truth?.design?.mixing)}`;
}

/** A λ run: given (ctx.parts), made already in this thread, or trained now. */
function run(data: IndividualData, key: string, ctx: FitContext): InvReprFit | FitStatus {
  const given = ctx.parts?.get(key) as InvReprFit | FitStatus | undefined;
  return given ?? cached(data, `run|${cacheKey(key, ctx)}`, () => trainRun(data, key, ctx));
}

/**
 * The run with the lowest selection score (the first in grid order on ties), its latents of every
 * row and its reconstruction MSE over them (the rows the second stage encodes): one per dataset,
 * seed and training parameters, shared by both second stages.
 */
function trained(data: IndividualData, p: InvReprParams, ctx: FitContext): Trained | FitStatus {
  const keys = runKeys(p);
  return cached(data, `fit|${cacheKey(keys.join("|"), ctx)}`, () => {
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
    const { shape, run: inputs } = invReprTask(data, asParams(spec, ctx)) as InvReprTask;
    const latents = encodeInvRepr(ctx.core, shape, best.fit.params, inputs.z, data.n);
    const recMse = reconstructionMse(ctx.core, shape, best.fit.params, inputs.z, data.n);
    return { fit: best.fit, lambda1: spec.lambda1, lambda2: spec.lambda2, latents, recMse };
  });
}

/** Latent column j of the n x q row-major latents. */
function column(latents: Float64Array, n: number, q: number, j: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => latents[i * q + j] as number);
}

function fitInvRepr(data: IndividualData, p: InvReprParams, ctx: FitContext): EstimateRow {
  if (data.instruments.cols === 0) return failedRow(ID, "no_instruments", EXTRAS);
  checkParams(p);
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
      rec_mse: t.recMse,
      latent_r2_w: latentR2(ctx.core, data, what, env.codes, env.levels.length, "W"),
      latent_r2_v: latentR2(ctx.core, data, vhat, env.codes, env.levels.length, "V"),
      // Ŵ on the true V: what of the confounded latent the instruments still carry.
      leakage_r2: latentR2(ctx.core, data, what, env.codes, env.levels.length, "V"),
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
  params: INV_REPR_PARAMS,
  defaults: INV_REPR_DEFAULTS,
  input: "individual",
  uses: ["environment", "split"],
  extras: EXTRAS,
  fit: fitInvRepr,
  // Ŵ is learned from the same data (and λ selected on it); the 2SLS interval treats it as given.
  interval: () => "ignores_selection",
  parts: { keys: runKeys, run: (data, _p, ctx, key) => trainRun(data, key, ctx), cost: runSeconds },
};
