import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { precisionOf } from "../estimators/encoder-precision.js";
import { BATCHNORM_HYPER, checkDeepCnn, type DeepCnnShape, putDeepCnnDescriptor } from "./deep-cnn.js";
import { type BnMode, DeepCnnInCore } from "./deep-cnn-core.js";

/** A trained member's weights and BatchNorm running statistics (deep-cnn-train.ts's DeepCnnMember has both). */
export interface DeepCnnWeights {
  params: Float64Array;
  state: Float64Array;
}

/** Predictions and the member's running statistics after them (batch mode moves them, as the authors' never-eval() models). */
export interface DeepCnnPrediction {
  /** n × outputs, row-major (exposure, outcome for deep-mr). */
  y: Float64Array;
  state: Float64Array;
}

/**
 * The outputs of n sequences (n × L base codes) predicted as ONE batch: with `bn` "batch" BatchNorm
 * uses that batch's statistics and updates the running ones (deep-mr §5.1: the recalibration pass
 * predicts the 1000 test sequences as one batch, ISM each sequence's 4L rows); "running" uses the
 * running statistics. `shape.batch` is ignored (the batch is the n rows).
 */
export function predictDeepCnn(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  codes: Uint8Array,
  n: number,
  bn: BnMode,
): DeepCnnPrediction {
  const s = { ...shape, batch: n };
  checkDeepCnn(s);
  if (codes.length !== n * s.length)
    throw errors.invalid("deep_cnn", "codes", `n × L = ${n * s.length} bytes`, codes.length);
  if (codes.some((c) => c > 3)) throw errors.invalid("deep_cnn", "codes", "base codes 0..3", Math.max(...codes));
  return core.scoped(() => {
    const m = new DeepCnnInCore(core, s, weights.params, weights.state);
    const y = m.predict(m.putCodes(codes), 0, n, bn);
    return { y, state: m.readState() };
  });
}

/**
 * The saturation-mutagenesis batch of one sequence (deep-mr §2 step 2): 4L rows, row 4l + b the
 * sequence with base b (A, C, G, T) at position l, so the rows holding the reference base are
 * wild-type copies.
 */
export function ismBatch(seq: Uint8Array): Uint8Array {
  const L = seq.length;
  const out = new Uint8Array(4 * L * L);
  for (let l = 0; l < L; l++) {
    for (let b = 0; b < 4; b++) {
      const row = out.subarray((4 * l + b) * L, (4 * l + b + 1) * L);
      row.set(seq);
      row[l] = b;
    }
  }
  return out;
}

/** Naive ISM: the 4L × outputs predictions of `ismBatch(seq)`, predicted as one batch (row 4l + b as there). */
export function ismNaive(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  seq: Uint8Array,
  bn: BnMode,
): DeepCnnPrediction {
  return predictDeepCnn(core, shape, weights, ismBatch(seq), 4 * seq.length, bn);
}

/**
 * Fast ISM (deep-mr §11, assembly/models/deep-cnn-ism*.ts): the same 4L × outputs predictions as
 * `ismNaive` (row 4l + b: base b at position l) and the same running statistics after them, from
 * the wild type and each mutant's changed windows only. In the shape's precision.
 */
export function ismFast(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  seq: Uint8Array,
  bn: BnMode,
): DeepCnnPrediction {
  const s = { ...shape, batch: 1 };
  checkDeepCnn(s);
  if (seq.length !== s.length) throw errors.invalid("deep_cnn", "seq", `L = ${s.length} base codes`, seq.length);
  if (seq.some((c) => c > 3)) throw errors.invalid("deep_cnn", "seq", "base codes 0..3", Math.max(...seq));
  const prec = precisionOf(s.dtype);
  const rows = 4 * s.length;
  return core.scoped(() => {
    const w = core.wasm;
    const desc = putDeepCnnDescriptor(core, s);
    const hyper = core.put(BATCHNORM_HYPER);
    const [p, st] = [prec.put(core, weights.params), prec.put(core, weights.state)];
    const codes = core.alloc(Math.ceil(seq.length / 8));
    new Uint8Array(w.memory.buffer, codes, seq.length).set(seq);
    const out = prec.alloc(core, rows * s.outputs);
    const work = core.alloc(Math.ceil(w.deep_cnn_ism_work_size(desc) / 8));
    w.deep_cnn_ism(desc, hyper, p, st, codes, bn === "batch" ? 1 : 0, out, work);
    return { y: prec.read(core, out, rows * s.outputs), state: prec.read(core, st, weights.state.length) };
  });
}
