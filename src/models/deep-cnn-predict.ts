import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { precisionOf } from "../estimators/encoder-precision.js";
import { checkDeepCnn, type DeepCnnShape, deepCnnHyper, putDeepCnnDescriptor } from "./deep-cnn.js";
import { type BnMode, DeepCnnInCore } from "./deep-cnn-core.js";
import { putDropoutRng, seedDropoutRng } from "./deep-cnn-dropout.js";

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
 * running statistics. `shape.batch` is ignored (the batch is the n rows). With `passSeed` and a
 * shape with dropout: one MC-dropout pass, a mask per dropout layer drawn from that seed's stream
 * and shared by the n rows (deep-cnn-dropout.ts); without it, no dropout.
 */
export function predictDeepCnn(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  codes: Uint8Array,
  n: number,
  bn: BnMode,
  passSeed?: string,
): DeepCnnPrediction {
  const s = { ...shape, batch: n };
  checkDeepCnn(s);
  if (codes.length !== n * s.length)
    throw errors.invalid("deep_cnn", "codes", `n × L = ${n * s.length} bytes`, codes.length);
  if (codes.some((c) => c > 3)) throw errors.invalid("deep_cnn", "codes", "base codes 0..3", Math.max(...codes));
  return core.scoped(() => {
    const m = new DeepCnnInCore(core, s, weights.params, weights.state);
    if (passSeed !== undefined) m.seedDropout(passSeed);
    const y = m.predict(m.putCodes(codes), 0, n, bn, passSeed !== undefined);
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

/** Naive ISM: the 4L × outputs predictions of `ismBatch(seq)`, predicted as one batch (row 4l + b as there; `passSeed` as `predictDeepCnn`). */
export function ismNaive(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  seq: Uint8Array,
  bn: BnMode,
  passSeed?: string,
): DeepCnnPrediction {
  return predictDeepCnn(core, shape, weights, ismBatch(seq), 4 * seq.length, bn, passSeed);
}

/**
 * Fast ISM (deep-mr §11, assembly/models/deep-cnn-ism*.ts): the same 4L × outputs predictions as
 * `ismNaive` (row 4l + b: base b at position l) and the same running statistics after them, from
 * the wild type and each mutant's changed windows only. In the shape's precision. `passSeed` as
 * `predictDeepCnn` (the masks equal the naive pass's for the same seed).
 */
export function ismFast(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  seq: Uint8Array,
  bn: BnMode,
  passSeed?: string,
): DeepCnnPrediction {
  const r = ismPasses(core, shape, weights, seq, bn, passSeed === undefined ? [undefined] : [passSeed]);
  return { y: r.draws, state: r.state };
}

/**
 * MC-dropout draws of one sequence's ISM batch: fast ISM once per seed (`undefined`: no dropout),
 * each pass from `weights` (batch mode's running-statistics updates do not carry over between
 * passes), laid out [pass][row][output] as src/deepmr/effects.ts reads draws. `state`: the running
 * statistics after the last pass.
 */
export function ismPasses(
  core: Core,
  shape: DeepCnnShape,
  weights: DeepCnnWeights,
  seq: Uint8Array,
  bn: BnMode,
  seeds: readonly (string | undefined)[],
): { draws: Float64Array; state: Float64Array } {
  const s = { ...shape, batch: 1 };
  checkDeepCnn(s);
  if (seq.length !== s.length) throw errors.invalid("deep_cnn", "seq", `L = ${s.length} base codes`, seq.length);
  if (seq.some((c) => c > 3)) throw errors.invalid("deep_cnn", "seq", "base codes 0..3", Math.max(...seq));
  const prec = precisionOf(s.dtype);
  const size = 4 * s.length * s.outputs;
  const draws = new Float64Array(seeds.length * size);
  return core.scoped(() => {
    const w = core.wasm;
    const desc = putDeepCnnDescriptor(core, s);
    const hyper = core.put(deepCnnHyper(s));
    const p = prec.put(core, weights.params);
    const [trained, st] = [prec.put(core, weights.state), prec.put(core, weights.state)];
    const rng = putDropoutRng(core);
    const codes = core.alloc(Math.ceil(seq.length / 8));
    new Uint8Array(w.memory.buffer, codes, seq.length).set(seq);
    const out = prec.alloc(core, size);
    const work = core.alloc(Math.ceil(w.deep_cnn_ism_work_size(desc) / 8));
    seeds.forEach((seed, k) => {
      prec.copy(core, st, trained, weights.state.length);
      if (seed !== undefined) seedDropoutRng(core, rng, seed);
      w.deep_cnn_ism(desc, hyper, p, st, codes, bn === "batch" ? 1 : 0, out, work, seed === undefined ? 0 : rng);
      draws.set(prec.read(core, out, size), k * size);
    });
    return { draws, state: prec.read(core, st, weights.state.length) };
  });
}
