import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { precisionOf } from "../estimators/encoder-precision.js";
import {
  type InvReprHyper,
  type InvReprShape,
  initInvRepr,
  invReprHyper,
  invReprLayout,
  putInvReprDescriptor,
  putInvReprHyper,
} from "./inv-repr.js";
import { Plateau } from "./plateau.js";

/**
 * Environment-balanced batches (invariance-mr §3.4 "Batches"): an item is one row per environment,
 * each drawn uniformly with replacement from that environment's bank (row indices into Z); a batch
 * is `items` consecutive items laid out environment by environment (b rows of environment 0, then b
 * of environment 1, ...), as assembly/models/inv-repr-train.ts reads it. `count` items make
 * floor(count / items) batches: the core's batches have a fixed size, so a last partial batch is
 * dropped (the authors' loader keeps it; with their n_train = 10000 and b = 500 there is none).
 */
export function batchIndex(banks: Int32Array[], items: number, count: number, rand: () => number): Int32Array {
  const E = banks.length;
  const batches = Math.floor(count / items);
  const out = new Int32Array(batches * items * E);
  for (let s = 0; s < batches; s++) {
    for (let i = 0; i < items; i++) {
      for (let e = 0; e < E; e++) {
        const bank = banks[e] as Int32Array;
        out[(s * E + e) * items + i] = bank[Math.floor(rand() * bank.length)] as number;
      }
    }
  }
  return out;
}

/** What one training run needs besides the shape and the loss weights. */
export interface InvReprRun {
  /** Z, N x dz row-major. */
  z: Float64Array;
  /** X, the N exposures: read by the relatedness loss (shapes with the predictor only). */
  x?: Float64Array;
  /** Row indices of each environment's training and validation banks. */
  train: Int32Array[];
  validation: Int32Array[];
  /** Items per epoch (n_train) and per validation pass. */
  trainItems: number;
  validationItems: number;
  epochs: number;
  /** AdamW: lr 1e-3, betas 0.9 / 0.999, eps 1e-8, weight decay 1e-4 in the study. */
  adam: [number, number, number, number, number];
  /** Epochs averaged by the selection score (20). */
  lastEpochs: number;
  /** A fresh training index table every epoch (default: the first one replayed, as the authors). */
  reshuffle?: boolean;
  /** Halve lr when the validation total stalls (ReduceLROnPlateau's defaults, plateau.ts). */
  plateau?: boolean;
  rand: () => number;
}

/** A trained model and what selection and the extras read. */
export interface InvReprFit {
  /** The trained parameters (f32 ones converted exactly to f64). */
  params: Float64Array;
  /** Per epoch: the mean over validation batches of L_inv. */
  validationInv: number[];
  /**
   * Per epoch: the mean over validation batches of the loss without L_ent, L_rec + λ1 L_inv +
   * λ2 L_ind + λ3 L_rel (the plateau scheduler's metric).
   */
  validationTotal: number[];
  /** Per epoch: the learning rate the epoch ran at. */
  lr: number[];
  /** Mean validation L_inv over the last `lastEpochs` epochs (all when fewer): lower is better. */
  score: number;
  /** Mean training terms [L_rec, L_inv, L_ind, L_ent, L_rel] of the last epoch. */
  lastTerms: number[];
}

/**
 * Trains inv_repr in the shape's precision for `run.epochs` epochs of AdamW, one core call per
 * epoch. Draw order from `run.rand`: the initial parameters, then the training index table, then
 * the validation table; by default both are replayed every epoch, as the authors' loader does; with
 * `reshuffle`, every later epoch first draws a fresh training table (the validation table stays, so
 * that the epochs' scores compare the model, not the draws).
 */
export function trainInvRepr(core: Core, shape: InvReprShape, hyper: InvReprHyper, run: InvReprRun): InvReprFit {
  const init = initInvRepr(shape, run.rand);
  const trainIdx = batchIndex(run.train, shape.items, run.trainItems, run.rand);
  const valIdx = batchIndex(run.validation, shape.items, run.validationItems, run.rand);
  const batchRows = shape.items * shape.environments;
  const n = invReprLayout(shape).count;
  const prec = precisionOf(shape.dtype);
  const plateau = run.plateau ? new Plateau() : null;
  return core.scoped(() => {
    const w = core.wasm;
    const desc = putInvReprDescriptor(core, shape);
    const h = putInvReprHyper(core, hyper);
    const adam = core.put([...run.adam, 0]);
    const [p, g, m, v] = [prec.put(core, init), prec.alloc(core, n), prec.alloc(core, n), prec.alloc(core, n)];
    prec.write(core, g, new Float64Array(n), n);
    prec.write(core, m, new Float64Array(n), n);
    prec.write(core, v, new Float64Array(n), n);
    const z = prec.put(core, run.z);
    const x = shape.predictor ? prec.put(core, needX(run)) : 0;
    const ti = putIndex(core, trainIdx);
    const vi = putIndex(core, valIdx);
    const work = core.alloc(Math.ceil(w.inv_repr_work_size(desc) / 8));
    const terms = core.alloc(2 * TERMS);
    const fit: Omit<InvReprFit, "params" | "score" | "lastTerms"> = { validationInv: [], validationTotal: [], lr: [] };
    const l = [1, hyper.lambda1, hyper.lambda2, 0, hyper.lambda3];
    for (let epoch = 0; epoch < run.epochs; epoch++) {
      if (run.reshuffle && epoch > 0) {
        const fresh = batchIndex(run.train, shape.items, run.trainItems, run.rand);
        new Int32Array(w.memory.buffer, ti, fresh.length).set(fresh);
      }
      const lr = core.read(adam, 1)[0] as number;
      fit.lr.push(lr);
      w.inv_repr_train_epoch(desc, h, adam, p, g, m, v, z, x, ti, trainIdx.length / batchRows, work, terms);
      const mean = validationTerms(core, desc, h, p, z, x, vi, valIdx.length / batchRows, batchRows, work, terms);
      fit.validationInv.push(mean[1] as number);
      fit.validationTotal.push(mean.reduce((s, t, k) => s + (l[k] as number) * t, 0));
      if (plateau) core.view(adam, 1)[0] = plateau.step(fit.validationTotal.at(-1) as number, lr);
    }
    const last = fit.validationInv.slice(-run.lastEpochs);
    return {
      ...fit,
      params: prec.read(core, p, n),
      score: last.reduce((a, b) => a + b, 0) / last.length,
      lastTerms: Array.from(core.read(terms, TERMS)),
    };
  });
}

/** Terms the core reports per batch: L_rec, L_inv, L_ind, L_ent, L_rel. */
const TERMS = 5;

function needX(run: InvReprRun): Float64Array {
  if (!run.x) throw errors.missing("trainInvRepr", "run.x (the exposures) with the predictor", "N numbers");
  return run.x;
}

/** The mean over the validation batches of each loss term (no gradient), using terms[5 ... 10) as scratch. */
function validationTerms(
  core: Core,
  desc: number,
  hyper: number,
  params: number,
  z: number,
  x: number,
  index: number,
  batches: number,
  batchRows: number,
  work: number,
  terms: number,
): number[] {
  const sum = new Array<number>(TERMS).fill(0);
  const scratch = terms + 8 * TERMS;
  for (let s = 0; s < batches; s++) {
    core.wasm.inv_repr_loss(desc, hyper, params, 0, z, x, index + 4 * s * batchRows, work, scratch);
    core.read(scratch, TERMS).forEach((t, k) => {
      sum[k] = (sum[k] as number) + t;
    });
  }
  return sum.map((t) => t / batches);
}

/** Copies an i32 index table into the core (inside `core.scoped`); returns its pointer. */
function putIndex(core: Core, index: Int32Array): number {
  const ptr = core.alloc(Math.ceil(index.length / 2));
  new Int32Array(core.wasm.memory.buffer, ptr, index.length).set(index);
  return ptr;
}

/** Runs `body` with the f64 descriptor, hyper block, parameters and workspace of `shape` in the core. */
function inF64<R>(
  core: Core,
  shape: InvReprShape,
  params: Float64Array,
  body: (desc: number, hyper: number, p: number, work: number) => R,
): R {
  return core.scoped(() => {
    const desc = putInvReprDescriptor(core, { ...shape, dtype: "f64" });
    const hyper = putInvReprHyper(core, invReprHyper(0, 0));
    const p = core.put(params);
    const work = core.alloc(Math.ceil(core.wasm.inv_repr_work_size(desc) / 8));
    return body(desc, hyper, p, work);
  });
}

/** The q latents [V̂, Ŵ] (n x q, row-major) of the n rows of z (n x dz, row-major), f64. */
export function encodeInvRepr(core: Core, shape: InvReprShape, params: Float64Array, z: Float64Array, n: number) {
  const q = shape.pv + shape.pw;
  return inF64(core, shape, params, (desc, hyper, p, work) => {
    const out = core.alloc(n * q);
    core.wasm.inv_repr_encode(desc, hyper, p, core.put(z), n, out, work);
    return core.read(out, n * q);
  });
}

/** Mean over the n rows of z and its dz columns of (dec(enc(z)) − z)², f64 (NaN for no rows). */
export function reconstructionMse(core: Core, shape: InvReprShape, params: Float64Array, z: Float64Array, n: number) {
  return inF64(
    core,
    shape,
    params,
    (desc, hyper, p, work) => core.wasm.inv_repr_rec_sse(desc, hyper, p, core.put(z), n, work) / (n * shape.inputs),
  );
}
