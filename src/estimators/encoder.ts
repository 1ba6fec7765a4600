import seedrandom from "seedrandom";
import type { Core } from "../core/memory.js";
import {
  type EncoderShape,
  encoderLayout,
  initEncoder,
  putEncoderData,
  putEncoderDescriptor,
} from "../models/encoder.js";
import { type Precision, precisionOf } from "./encoder-precision.js";
import { permutation } from "./permutation.js";

/**
 * Training of the contextualized-regression encoder in the WASM core, with the `contextualized`
 * package's semantics (the study's code notes, section 2: contextualized 0.2.9): a random validation split
 * (sklearn's train_test_split: the first ceil(f n) of a permutation validate, the rest train, in
 * that fixed order), Adam on the training MSE, validation MSE after every epoch, early stopping
 * at the first epoch that does not strictly improve (patience 1), at most max_epochs, the best
 * epoch's weights restored; n_bootstraps > 1 repeats all of it with a new split and initialisation.
 */

/** Encoder and training settings. */
export interface EncoderConfig {
  width: number;
  /** Hidden ReLU layers (0 = beta and mu linear in C). */
  layers: number;
  lr: number;
  batch_size: number;
  patience: number;
  max_epochs: number;
  val_fraction: number;
  /** Reshuffle the training order every epoch (the package does not). */
  reshuffle: boolean;
  n_bootstraps: number;
  /** 0: the encoder outputs (beta, mu); K > 0: K archetype weights. */
  archetypes: number;
  /** Floating-point precision of training: f64, or f32 with f32x4 SIMD. */
  precision: "f64" | "f32";
}

/**
 * Inputs of one contextualized fit: C (n x p, row-major, standardised), x (n x k, row-major) and y.
 * x may be a pointer to n x k doubles already in the core (a first stage's X_hat, valid in the
 * caller's scope): f64 training reads it in place, f32 training converts it once within the core.
 */
export interface EncoderData {
  n: number;
  p: number;
  c: Float64Array;
  x: Float64Array | number;
  y: Float64Array;
  /** K, covariates of the varying-coefficient head per row of x (absent: 1, beta(C) x + mu(C)). */
  k?: number;
}

/** Per-person parameters averaged over bootstraps, and what training did. */
export interface EncoderFit {
  /** beta_i, or with K covariates theta (n x K, row-major). */
  beta: Float64Array;
  mu: Float64Array;
  /** Mean beta of each bootstrap. */
  bootMeans: number[];
  /** Epochs run, best validation MSE, and whether early stopping ended training, per bootstrap. */
  epochs: number[];
  valMse: number[];
  stopped: boolean[];
}

/** The encoder model of a fit on p context variables and k covariates (k = 1: beta(C) x + mu(C)). */
export function encoderShape(p: number, cfg: EncoderConfig, k = 1): EncoderShape {
  return {
    inputs: p,
    width: cfg.width,
    hidden: cfg.layers,
    covariates: k,
    archetypes: cfg.archetypes,
    batch: cfg.batch_size,
    dtype: cfg.precision,
  };
}

/** Parameters initialised like torch.nn.Linear (weight then bias, each U(-1/sqrt(fan_in), +)), archetypes U(-0.01, 0.01). */
export function initParams(p: number, cfg: EncoderConfig, rand: () => number, k = 1): Float64Array {
  return initEncoder(encoderShape(p, cfg, k), rand);
}

/** torch.optim.Adam's defaults, which the package keeps. */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPS = 1e-8;

/** Pointers to C, x and y in the core. */
interface Placed {
  pc: number;
  px: number;
  py: number;
}

/** Result of training on one split. */
export interface SplitFit {
  /** beta_i, or with K covariates theta (n x K, row-major). */
  beta: Float64Array;
  mu: Float64Array;
  epochs: number;
  valMse: number;
  stopped: boolean;
}

/**
 * Trains from `init` on the rows `train` (in that order) with early stopping on the rows `val`,
 * restores the best epoch's weights and predicts beta and mu for everyone.
 */
export function trainSplit(
  core: Core,
  data: EncoderData,
  cfg: EncoderConfig,
  split: { train: Int32Array; val: Int32Array; init: Float64Array; rand: () => number },
  placed?: Placed,
): SplitFit {
  const w = core.wasm;
  const K = data.k ?? 1;
  const shape = encoderShape(data.p, cfg, K);
  const nParams = encoderLayout(shape).count;
  const { train, val } = split;
  const num = precisionOf(cfg.precision);
  return core.scoped(() => {
    const d = placed ?? place(core, num, data);
    const desc = putEncoderDescriptor(core, shape);
    const io = putEncoderData(core, d.pc, d.px, d.py);
    const params = num.put(core, split.init);
    const best = num.put(core, split.init);
    const zeros = new Float64Array(nParams);
    const grads = num.put(core, zeros);
    const m = num.put(core, zeros);
    const v = num.put(core, zeros);
    const hyper = core.put([cfg.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, 0, 0]);
    const work = num.alloc(core, w.encoder_work_size(desc));
    const trainPtr = core.alloc(Math.ceil(train.length / 2) + 1);
    const valPtr = core.alloc(Math.ceil(val.length / 2) + 1);
    new Int32Array(w.memory.buffer, trainPtr, train.length).set(train);
    new Int32Array(w.memory.buffer, valPtr, val.length).set(val);
    let bestMse = Number.POSITIVE_INFINITY;
    let wait = 0;
    let epochs = 0;
    let stopped = false;
    while (epochs < cfg.max_epochs) {
      if (cfg.reshuffle && epochs > 0) {
        const perm = permutation(train.length, split.rand);
        new Int32Array(w.memory.buffer, trainPtr, train.length).set(perm.map((k) => train[k] as number));
      }
      w.encoder_train_epoch(desc, hyper, params, grads, m, v, io, trainPtr, train.length, work);
      epochs++;
      const mse = w.encoder_mse(desc, params, io, valPtr, val.length, work);
      if (!Number.isFinite(mse)) {
        stopped = true;
        break;
      }
      if (mse < bestMse) {
        bestMse = mse;
        wait = 0;
        num.copy(core, best, params, nParams);
      } else if (++wait >= cfg.patience) {
        stopped = true;
        break;
      }
    }
    const beta = num.alloc(core, data.n * K);
    const mu = num.alloc(core, data.n);
    w.encoder_predict(desc, best, d.pc, data.n, beta, mu, work);
    return { beta: num.read(core, beta, data.n * K), mu: num.read(core, mu, data.n), epochs, valMse: bestMse, stopped };
  });
}

/** C, x and y in the core in the training precision: copied in, except an x already there that f64 reads in place. */
function place(core: Core, num: Precision, data: EncoderData): Placed {
  const pc = num.put(core, data.c);
  const px = typeof data.x === "number" ? num.inCore(core, data.x, data.n * (data.k ?? 1)) : num.put(core, data.x);
  return { pc, px, py: num.put(core, data.y) };
}

/**
 * One bootstrap: a seeded split (validation = the first ceil(f m) of a permutation of the m rows
 * fitted: all n, or the given `rows` in their order) and initialisation.
 */
function trainOne(
  core: Core,
  d: Placed,
  data: EncoderData,
  cfg: EncoderConfig,
  seed: string,
  rows?: Int32Array,
): SplitFit {
  const rng = seedrandom.xor4096(seed);
  const rand = () => rng.double();
  const m = rows ? rows.length : data.n;
  const perm = permutation(m, rand);
  const order = rows ? perm.map((k) => rows[k] as number) : perm;
  const nVal = Math.min(m - 1, Math.ceil(cfg.val_fraction * m));
  const init = initParams(data.p, cfg, rand, data.k ?? 1);
  return trainSplit(core, data, cfg, { train: order.slice(nVal), val: order.slice(0, nVal), init, rand }, d);
}

/**
 * Fits the encoder (all bootstraps) and averages the per-person parameters. With `rows`, only
 * those rows are split into training and validation (a cross-fitting fold's complement); the
 * parameters are still predicted for all n rows.
 */
export function trainEncoder(
  core: Core,
  data: EncoderData,
  cfg: EncoderConfig,
  seed: string | number,
  rows?: Int32Array,
): EncoderFit {
  return core.scoped(() => {
    const d = place(core, precisionOf(cfg.precision), data);
    const runs = Array.from({ length: cfg.n_bootstraps }, (_, b) =>
      trainOne(core, d, data, cfg, `${seed}:encoder:${b}`, rows),
    );
    const size = data.n * (data.k ?? 1);
    const beta = new Float64Array(size);
    const mu = new Float64Array(data.n);
    for (const r of runs) {
      for (let i = 0; i < size; i++) beta[i] = (beta[i] as number) + (r.beta[i] as number) / runs.length;
      for (let i = 0; i < data.n; i++) mu[i] = (mu[i] as number) + (r.mu[i] as number) / runs.length;
    }
    return {
      beta,
      mu,
      bootMeans: runs.map((r) => r.beta.reduce((s, b) => s + b, 0) / size),
      epochs: runs.map((r) => r.epochs),
      valMse: runs.map((r) => r.valMse),
      stopped: runs.map((r) => r.stopped),
    };
  });
}
