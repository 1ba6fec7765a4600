import seedrandom from "seedrandom";
import { invReprHyper } from "../models/inv-repr.js";
import { encodeInvRepr, type InvReprFit, reconstructionMse, trainInvRepr } from "../models/inv-repr-train.js";
import { failedRow } from "./inference.js";
import { invReprTask } from "./inv-repr-data.js";
import { INV_REPR_DEFAULTS, INV_REPR_PARAMS, type InvReprParams } from "./inv-repr-params.js";
import { environmentCodes } from "./inv-subspace.js";
import { latentR2 } from "./latent-r2.js";
import { tsls } from "./tsls.js";
import type { EstimateRow, FitContext, FitStatus, IndividualData, IndividualEstimator } from "./types.js";

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
  "first_stage_f",
  "n_instruments",
  "epochs",
  "train_seconds",
] as const;

/** The selected run of a task, shared by both second stages (cached per data object and training key). */
interface Trained {
  fit: InvReprFit;
  lambda1: number;
  lambda2: number;
  latents: Float64Array;
  /** Reconstruction MSE of the selected model over all rows. */
  recMse: number;
  seconds: number;
}
const CACHE = new WeakMap<IndividualData, Map<string, Trained>>();

function train(data: IndividualData, p: InvReprParams, ctx: FitContext): Trained | FitStatus {
  const task = invReprTask(data, p);
  if (typeof task === "string") return task;
  const { shape, run: inputs } = task;
  const start = performance.now();
  let best: Trained | undefined;
  for (const l1 of p.lambda1) {
    for (const l2 of p.lambda2) {
      // Every run starts from the same draws (initialisation and index tables): only λ differs.
      const rand = seedrandom(`${ctx.seed}:${ID}`);
      const hyper = { ...invReprHyper(l1, l2), lambda3: p.lambda3, lambda4: p.lambda4, clipNorm: p.clip };
      const adam: [number, number, number, number, number] = [p.lr, 0.9, 0.999, 1e-8, p.weight_decay];
      const run = { ...inputs, epochs: p.epochs, adam, lastEpochs: p.last_epochs, rand };
      const fit = trainInvRepr(ctx.core, shape, hyper, run);
      if (!(fit.score >= (best?.fit.score ?? Number.POSITIVE_INFINITY)) && Number.isFinite(fit.score)) {
        best = { fit, lambda1: l1, lambda2: l2, latents: new Float64Array(0), recMse: Number.NaN, seconds: 0 };
      }
    }
  }
  if (!best) return "non_finite";
  best.latents = encodeInvRepr(ctx.core, shape, best.fit.params, inputs.z, data.n);
  // All rows: the ones the second stage encodes (not the last training epoch's batch mean).
  best.recMse = reconstructionMse(ctx.core, shape, best.fit.params, inputs.z, data.n);
  best.seconds = (performance.now() - start) / 1000;
  return best;
}

/** The trained model of this task and training parameters (second_stage excluded), trained once. */
function trained(data: IndividualData, p: InvReprParams, ctx: FitContext): Trained | FitStatus {
  const { second_stage: _, ...all } = p;
  // The MLP decoder does not read the degree: settings that differ only there share a model.
  const training = p.decoder === "mlp" ? { ...all, decoder_degree: 0 } : all;
  const key = `${ctx.seed}|${JSON.stringify(training)}`;
  let byKey = CACHE.get(data);
  if (!byKey) {
    byKey = new Map();
    CACHE.set(data, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const t = train(data, p, ctx);
  if (typeof t !== "string") byKey.set(key, t);
  return t;
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
      rec_mse: t.recMse,
      latent_r2_w: latentR2(ctx.core, data, what, env.codes, env.levels.length, "W"),
      latent_r2_v: latentR2(ctx.core, data, vhat, env.codes, env.levels.length, "V"),
      first_stage_f: row.extras.first_stage_f as number,
      n_instruments: p.pw,
      epochs: p.epochs,
      train_seconds: t.seconds,
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
  uses: ["environment"],
  extras: EXTRAS,
  fit: fitInvRepr,
  // Ŵ is learned from the same data (and λ selected on it); the 2SLS interval treats it as given.
  interval: () => "ignores_selection",
};
