import seedrandom from "seedrandom";
import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { precisionOf } from "../estimators/encoder-precision.js";
import { permutation } from "../estimators/permutation.js";
import { checkDeepCnn, type DeepCnnShape, initDeepCnn, initDeepCnnState } from "./deep-cnn.js";
import { DeepCnnInCore } from "./deep-cnn-core.js";
import { trainingDropoutSeed } from "./deep-cnn-dropout.js";
import { earlyStopStart, earlyStopStep, restoreAfterLast } from "./early-stopping.js";

/** Training data: n sequences of base codes (n × L bytes, 0..3) and their targets (n × outputs, row-major). */
export interface DeepCnnData {
  codes: Uint8Array;
  y: Float64Array;
  n: number;
}

/** Training settings (deep-mr §4 defaults: 100 epochs, patience 10, 15% validation). */
export interface DeepCnnTraining {
  epochs: number;
  patience: number;
  validationShare: number;
}

export const DEEP_CNN_TRAINING: DeepCnnTraining = { epochs: 100, patience: 10, validationShare: 0.15 };

/** A trained member: its weights and running statistics (restored to the best epoch's), and how training went. */
export interface DeepCnnMember {
  params: Float64Array;
  /** BatchNorm running statistics (per convolution: means, then variances). */
  state: Float64Array;
  /** Epochs run (≤ `epochs`). */
  epochs: number;
  /** The best validation loss and its 1-based epoch. */
  bestValidation: number;
  bestEpoch: number;
  /** Per epoch: the mean training batch loss and the validation loss. */
  trainLoss: number[];
  validationLoss: number[];
}

/**
 * A member's split: a permutation of the n rows, the first n − ceil(share·n) for training and the
 * rest for validation (12 500 rows: 10 625 / 1 875), each kept in the permuted order.
 */
export function splitRows(n: number, share: number, rand: () => number): { train: Int32Array; validation: Int32Array } {
  const p = permutation(n, rand);
  const nVal = Math.ceil(share * n);
  return { train: p.subarray(0, n - nVal), validation: p.subarray(n - nVal) };
}

function checkData(s: DeepCnnShape, d: DeepCnnData, t: DeepCnnTraining): void {
  const where = "deep_cnn";
  if (d.codes.length !== d.n * s.length)
    throw errors.invalid(where, "codes", `n × L = ${d.n * s.length} bytes`, d.codes.length);
  if (d.y.length !== d.n * s.outputs)
    throw errors.invalid(where, "y", `n × outputs = ${d.n * s.outputs} values`, d.y.length);
  if (d.codes.some((c) => c > 3)) throw errors.invalid(where, "codes", "base codes 0..3", Math.max(...d.codes));
  if (!Number.isInteger(t.epochs) || t.epochs < 1) throw errors.invalid(where, "epochs", "an integer >= 1", t.epochs);
  if (!Number.isInteger(t.patience) || t.patience < 1)
    throw errors.invalid(where, "patience", "an integer >= 1", t.patience);
  if (!(t.validationShare > 0 && t.validationShare < 1)) {
    throw errors.invalid(where, "validationShare", "in (0, 1)", t.validationShare);
  }
  if (d.n - Math.ceil(t.validationShare * d.n) < 1)
    throw errors.invalid(where, "n", "large enough for a training row", d.n);
}

/**
 * Trains one member (deep-mr §4) in the shape's precision, `shape.batch` rows per batch (1000). Its
 * own stream seedrandom(seed) draws the split's permutation first, then the initial parameters
 * (PyTorch's U(±1/√fan_in)). Each epoch (one core call) runs the training rows in batches in the
 * split's permuted order, never reshuffled, one AMSGrad step per batch; then the validation loss (the
 * unweighted mean of batch MSEs, BatchNorm on running statistics) drives early stopping
 * (early-stopping.ts). Saving and restoring cover the parameters and the running statistics.
 * With dropout layers (`shape.dropout` > 0) training draws a mask per row from its own stream
 * (`trainingDropoutSeed(seed)`, so the split and initialisation are those of the same seed without
 * dropout); validation runs without dropout (eval mode, as torch's model.eval()).
 */
export function trainDeepCnnMember(
  core: Core,
  shape: DeepCnnShape,
  data: DeepCnnData,
  seed: string,
  training: DeepCnnTraining = DEEP_CNN_TRAINING,
): DeepCnnMember {
  checkDeepCnn(shape);
  checkData(shape, data, training);
  const rand = seedrandom(seed);
  const { train, validation } = splitRows(data.n, training.validationShare, rand);
  const init = initDeepCnn(shape, rand);
  const prec = precisionOf(shape.dtype);
  return core.scoped(() => {
    const m = new DeepCnnInCore(core, shape, init, initDeepCnnState(shape));
    m.seedDropout(trainingDropoutSeed(seed));
    const [codes, y] = [m.putCodes(data.codes), m.putTargets(data.y)];
    const [ti, vi] = [m.putIndex(train), m.putIndex(validation)];
    const bestP = prec.put(core, init);
    const bestS = prec.put(core, initDeepCnnState(shape));
    const keep = (toP: number, fromP: number, toS: number, fromS: number) => {
      prec.copy(core, toP, fromP, m.count);
      prec.copy(core, toS, fromS, m.stateCount);
    };
    let stop = earlyStopStart(training.patience);
    const trainLoss: number[] = [];
    const validationLoss: number[] = [];
    let stopped = false;
    for (let epoch = 0; epoch < training.epochs && !stopped; epoch++) {
      trainLoss.push(m.trainEpoch(codes, y, ti, train.length));
      const val = m.evalLoss(codes, y, vi, validation.length);
      validationLoss.push(val);
      const act = earlyStopStep(stop, epoch, val, training.patience);
      stop = act.next;
      if (act.save) keep(bestP, m.params, bestS, m.state);
      stopped = act.stop;
    }
    if (stopped || restoreAfterLast(stop, training.epochs)) keep(m.params, bestP, m.state, bestS);
    return {
      params: m.readParams(),
      state: m.readState(),
      epochs: trainLoss.length,
      bestValidation: stop.best,
      bestEpoch: stop.bestEpoch + 1,
      trainLoss,
      validationLoss,
    };
  });
}

/** The seed of member i (1-based) of a task: derived from the task seed, so members and rounds differ (deep-mr Q7). */
export function memberSeed(taskSeed: number | string, i: number): string {
  return `${taskSeed}|deep_cnn|member ${i}`;
}

/** Trains `members` members (deep-mr §4; 5 in the paper), member i from `memberSeed(taskSeed, i)`. */
export function trainDeepCnnEnsemble(
  core: Core,
  shape: DeepCnnShape,
  data: DeepCnnData,
  taskSeed: number | string,
  members: number,
  training: DeepCnnTraining = DEEP_CNN_TRAINING,
): DeepCnnMember[] {
  if (!Number.isInteger(members) || members < 1)
    throw errors.invalid("deep_cnn", "members", "an integer >= 1", members);
  return Array.from({ length: members }, (_, k) =>
    trainDeepCnnMember(core, shape, data, memberSeed(taskSeed, k + 1), training),
  );
}
