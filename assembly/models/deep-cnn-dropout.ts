// The Deep MR CNN's dropout layers (mc_dropout; the authors' network has none, so the placement is
// ours): after the ReLU of every convolution block (features F × L_{j+1}, channel-major) and after
// the two dense ReLUs (D1, D2). Masks are 0/1 in the model's dtype, kept with probability
// q = 1 − p; nn/dropout.ts applies them with torch's inverted scaling x · mask / q.
// Masks come from a PCG64 state the caller seeded (assembly/pcg64.ts): per layer in forward order,
// `rows` masks of that layer's features each, element k kept when u_k < q with u_k = (next64 >> 11)
// · 2^−53 (numpy's double). Training draws one mask per row (rows = the batch); MC-dropout
// prediction draws one mask per layer (rows = 1) shared by every row of the batch, so the wild
// type and its mutants see the same network, and fast ISM's windows stay valid (deep-mr §11).
// see: nn/dropout.ts; deep-mr §2 step 3; numpy random_standard_uniform (next_double)

import { at } from "../nn/desc";
import { enter, leave, next64 } from "../pcg64";
import * as I from "./deep-cnn-ism";
import * as L from "./deep-cnn-layout";

const TWO_M53: f64 = 1.0 / 9007199254740992.0;

/** Fills every dropout layer's mask buffer with `rows` masks drawn from the PCG64 state at rng. */
export function drawMasks<T>(desc: usize, work: usize, rng: usize, rows: i32): void {
  const q = 1.0 - load<f64>(work + L.H_DROP);
  enter(rng);
  for (let l = 0; l < L.dropLayers(desc); l++) {
    const mask = L.buffer(work, L.bufMask(desc, l));
    const n = rows * L.dropFeatures(desc, l);
    for (let k = 0; k < n; k++) {
      const u = <f64>(next64() >> 11) * TWO_M53;
      store<T>(mask + at<T>(k), u < q ? <T>1 : <T>0);
    }
  }
  leave(rng);
}

/**
 * Fast ISM: applies convolution j's shared mask to the WT's post-ReLU outputs (AW) and to each
 * mutant's window (AM, positions lo … hi of the layer), as nn_dropout_forward does to full rows.
 */
export function dropWindows<T>(desc: usize, work: usize, j: i32): void {
  const F = L.filters(desc);
  const W = I.wmax(desc);
  const lj = L.convLen(desc, j);
  const q = <T>(1.0 - load<f64>(work + L.H_DROP));
  const mask = L.buffer(work, L.bufMask(desc, j));
  const aw = I.part<T>(desc, work, I.AW) + at<T>(I.layerOff(desc, j));
  const am = I.part<T>(desc, work, I.AM);
  for (let f = 0; f < F * lj; f++) {
    const p = aw + at<T>(f);
    store<T>(p, scaled<T>(load<T>(p), load<T>(mask + at<T>(f)), q));
  }
  for (let m = 0; m < 3 * L.seqLen(desc); m++) {
    const a = I.lo(desc, j, m / 3);
    const width = I.hi(desc, j, m / 3) - a + 1;
    for (let c = 0; c < F; c++) {
      const row = am + at<T>((m * F + c) * W);
      const mc = mask + at<T>(c * lj + a);
      for (let t = 0; t < width; t++) {
        const p = row + at<T>(t);
        store<T>(p, scaled<T>(load<T>(p), load<T>(mc + at<T>(t)), q));
      }
    }
  }
}

/** x · mask / q, as nn/dropout.ts evaluates it (0 when q = 0). */
function scaled<T>(x: T, mask: T, q: T): T {
  return q == <T>0 ? <T>0 : x * (mask / q);
}
