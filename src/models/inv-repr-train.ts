import type { Core } from "../core/memory.js";
import {
  type InvReprHyper,
  type InvReprShape,
  initInvRepr,
  invReprHyper,
  invReprLayout,
  putInvReprDescriptor,
  putInvReprHyper,
} from "./inv-repr.js";

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
  rand: () => number;
}

/** A trained model and what selection and the extras read. */
export interface InvReprFit {
  params: Float64Array;
  /** Per epoch: the mean over validation batches of L_inv. */
  validationInv: number[];
  /** Mean validation L_inv over the last `lastEpochs` epochs (all when fewer): lower is better. */
  score: number;
  /** Mean training terms [L_rec, L_inv, L_ind, L_ent] of the last epoch. */
  lastTerms: number[];
}

/**
 * Trains inv_repr (f64) for `run.epochs` epochs of AdamW, one core call per epoch. Draw order from
 * `run.rand`: the initial parameters, then the training index table, then the validation table,
 * each drawn once and replayed every epoch, as the authors' loader does.
 */
export function trainInvRepr(core: Core, shape: InvReprShape, hyper: InvReprHyper, run: InvReprRun): InvReprFit {
  const init = initInvRepr(shape, run.rand);
  const trainIdx = batchIndex(run.train, shape.items, run.trainItems, run.rand);
  const valIdx = batchIndex(run.validation, shape.items, run.validationItems, run.rand);
  const batchRows = shape.items * shape.environments;
  const n = invReprLayout(shape).count;
  return core.scoped(() => {
    const w = core.wasm;
    const desc = putInvReprDescriptor(core, shape);
    const h = putInvReprHyper(core, hyper);
    const adam = core.put([...run.adam, 0]);
    const [p, g, m, v] = [core.put(init), core.put(new Float64Array(n)), core.alloc(n), core.alloc(n)];
    core.view(m, n).fill(0);
    core.view(v, n).fill(0);
    const z = core.put(run.z);
    const ti = putIndex(core, trainIdx);
    const vi = putIndex(core, valIdx);
    const work = core.alloc(Math.ceil(w.inv_repr_work_size(desc) / 8));
    const terms = core.alloc(8);
    const validationInv: number[] = [];
    const valBatches = valIdx.length / batchRows;
    for (let epoch = 0; epoch < run.epochs; epoch++) {
      w.inv_repr_train_epoch(desc, h, adam, p, g, m, v, z, ti, trainIdx.length / batchRows, work, terms);
      let inv = 0;
      for (let s = 0; s < valBatches; s++) {
        w.inv_repr_loss(desc, h, p, 0, z, vi + 4 * s * batchRows, work, terms + 32);
        inv += core.read(terms + 32, 4)[1] as number;
      }
      validationInv.push(inv / valBatches);
    }
    const last = validationInv.slice(-run.lastEpochs);
    return {
      params: core.read(p, n),
      validationInv,
      score: last.reduce((a, b) => a + b, 0) / last.length,
      lastTerms: Array.from(core.read(terms, 4)),
    };
  });
}

/** Copies an i32 index table into the core (inside `core.scoped`); returns its pointer. */
function putIndex(core: Core, index: Int32Array): number {
  const ptr = core.alloc(Math.ceil(index.length / 2));
  new Int32Array(core.wasm.memory.buffer, ptr, index.length).set(index);
  return ptr;
}

/** The q latents [V̂, Ŵ] (n x q, row-major) of the n rows of z (n x dz, row-major), f64. */
export function encodeInvRepr(core: Core, shape: InvReprShape, params: Float64Array, z: Float64Array, n: number) {
  const q = shape.pv + shape.pw;
  return core.scoped(() => {
    const w = core.wasm;
    const desc = putInvReprDescriptor(core, { ...shape, dtype: "f64" });
    const hyper = putInvReprHyper(core, invReprHyper(0, 0));
    const out = core.alloc(n * q);
    const work = core.alloc(Math.ceil(w.inv_repr_work_size(desc) / 8));
    w.inv_repr_encode(desc, hyper, core.put(params), core.put(z), n, out, work);
    return core.read(out, n * q);
  });
}
