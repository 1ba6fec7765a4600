import type { Core } from "../../src/core/memory.js";
import { type InvReprShape, invReprHyper, putInvReprDescriptor, putInvReprHyper } from "../../src/models/inv-repr.js";
import { NnBuffers } from "./nn-buffers.js";

/** The batch an inv_repr loss is evaluated on: Z rows (row-major), X per row (read with the predictor), and the batch's row indices. */
export interface InvReprBatch {
  z: ArrayLike<number>;
  x?: ArrayLike<number>;
  index: ArrayLike<number>;
}

/** λ1, λ2, λ3, λ4. */
export type InvReprLambdas = [number, number, number, number];

/**
 * The core's inv_repr training loss (`inv_repr_loss`) at `params` on `batch`, in `shape.dtype`:
 * its value, its 5 terms [L_rec, L_inv, L_ind, L_ent, L_rel] and, with `grads`, its gradient.
 */
export function invReprLoss(
  core: Core,
  shape: InvReprShape,
  params: ArrayLike<number>,
  lambdas: InvReprLambdas,
  batch: InvReprBatch,
  grads = true,
) {
  const w = core.wasm;
  return core.scoped(() => {
    const nb = new NnBuffers(core, shape.dtype);
    const desc = putInvReprDescriptor(core, shape);
    const [l1, l2, l3, l4] = lambdas;
    const hyper = putInvReprHyper(core, { ...invReprHyper(l1, l2), lambda3: l3, lambda4: l4 });
    const p = nb.put(params);
    const g = nb.put(params.length);
    const xp = batch.x ? nb.put(batch.x) : 0;
    const ip = core.alloc(Math.ceil(batch.index.length / 2));
    new Int32Array(w.memory.buffer, ip, batch.index.length).set(Array.from(batch.index));
    const work = nb.bytes(w.inv_repr_work_size(desc));
    const terms = core.put([0, 0, 0, 0, 0]);
    const value = w.inv_repr_loss(desc, hyper, p, grads ? g : 0, nb.put(batch.z), xp, ip, work, terms);
    return { value, grad: nb.read(g, params.length), terms: Array.from(core.read(terms, 5)) };
  });
}
