import type { Core } from "../core/memory.js";
import { type Precision, precisionOf } from "../estimators/encoder-precision.js";
import { type DeepCnnShape, deepCnnHyper, deepCnnLayout, putDeepCnnDescriptor } from "./deep-cnn.js";
import { putDropoutRng, seedDropoutRng } from "./deep-cnn-dropout.js";

/** How BatchNorm normalises at prediction: the predicted batch's own statistics (deep-mr §5.1, the authors') or the running ones. */
export type BnMode = "batch" | "running";

/** Adam with AMSGrad as deep-mr §4: lr 1e-3, betas 0.9 / 0.999, eps 1e-8, no weight decay. */
export const DEEP_CNN_ADAM = [1e-3, 0.9, 0.999, 1e-8, 0] as const;

/**
 * One Deep MR CNN placed in the core, in its shape's precision: parameters, gradients, the AMSGrad
 * moments and step counter, the running statistics, with dropout the PCG64 state its masks are drawn
 * from (`seedDropout`), and a workspace for `shape.batch` rows. Create
 * and use it inside `core.scoped` (its buffers live in that scope's arena). Pointers are taken once;
 * views are taken afresh on every read (memory growth detaches them).
 */
export class DeepCnnInCore {
  readonly desc: number;
  readonly hyper: number;
  readonly adam: number;
  readonly params: number;
  readonly grads: number;
  readonly m: number;
  readonly v: number;
  readonly vmax: number;
  readonly state: number;
  readonly work: number;
  /** The dropout masks' PCG64 state (0 without dropout layers). */
  readonly rng: number;
  readonly count: number;
  readonly stateCount: number;
  private readonly prec: Precision;

  constructor(
    readonly core: Core,
    readonly shape: DeepCnnShape,
    params: ArrayLike<number>,
    state: ArrayLike<number>,
  ) {
    const l = deepCnnLayout(shape);
    this.count = l.count;
    this.stateCount = l.stateCount;
    this.prec = precisionOf(shape.dtype);
    this.desc = putDeepCnnDescriptor(core, shape);
    this.hyper = core.put(deepCnnHyper(shape));
    this.rng = (shape.dropout ?? 0) > 0 ? putDropoutRng(core) : 0;
    this.adam = core.put([...DEEP_CNN_ADAM, 0]);
    this.params = this.prec.put(core, params);
    this.state = this.prec.put(core, state);
    const zeros = new Float64Array(l.count);
    [this.grads, this.m, this.v, this.vmax] = [0, 0, 0, 0].map(() => this.prec.put(core, zeros)) as [
      number,
      number,
      number,
      number,
    ];
    this.work = core.alloc(Math.ceil(core.wasm.deep_cnn_work_size(this.desc) / 8));
  }

  /** Seeds the dropout masks' stream (deep-cnn-dropout.ts); no-op without dropout layers. */
  seedDropout(seed: string): void {
    if (this.rng !== 0) seedDropoutRng(this.core, this.rng, seed);
  }

  /** Copies base codes (one byte each) into the core; returns the pointer. */
  putCodes(codes: Uint8Array): number {
    const ptr = this.core.alloc(Math.ceil(codes.length / 8));
    new Uint8Array(this.core.wasm.memory.buffer, ptr, codes.length).set(codes);
    return ptr;
  }

  /** Copies row indices (i32) into the core; returns the pointer. */
  putIndex(index: ArrayLike<number>): number {
    const ptr = this.core.alloc(Math.ceil(index.length / 2));
    new Int32Array(this.core.wasm.memory.buffer, ptr, index.length).set(index);
    return ptr;
  }

  /** Copies targets (n × outputs, row-major) into the core in the shape's precision. */
  putTargets(y: ArrayLike<number>): number {
    return this.prec.put(this.core, y);
  }

  /** The parameters, as doubles. */
  readParams(): Float64Array {
    return this.prec.read(this.core, this.params, this.count);
  }

  /** The gradient the last `loss` call wrote, as doubles. */
  readGrads(): Float64Array {
    return this.prec.read(this.core, this.grads, this.count);
  }

  /** The running statistics (per convolution: means, then variances), as doubles. */
  readState(): Float64Array {
    return this.prec.read(this.core, this.state, this.stateCount);
  }

  writeParams(p: ArrayLike<number>): void {
    this.prec.write(this.core, this.params, p, this.count);
  }

  writeState(s: ArrayLike<number>): void {
    this.prec.write(this.core, this.state, s, this.stateCount);
  }

  /**
   * MSE of n ≤ batch rows (index 0: rows 0 ... n), BatchNorm train mode (updates the running
   * statistics) or eval; the gradient goes to `grads` when asked; `simd` false runs the model's own
   * kernels' scalar twins; `dropout` applies training dropout (a mask per row from the stream).
   */
  loss(
    codes: number,
    y: number,
    index: number,
    n: number,
    train: boolean,
    gradient: boolean,
    simd = true,
    dropout = false,
  ): number {
    const g = gradient ? this.grads : 0;
    const f = simd ? this.core.wasm.deep_cnn_loss : this.core.wasm.deep_cnn_loss_scalar;
    const rng = dropout ? this.rng : 0;
    return f(this.desc, this.hyper, this.params, g, this.state, codes, y, index, n, this.work, train ? 1 : 0, rng);
  }

  /** One epoch of AMSGrad steps over the n rows of `index` in batches of `shape.batch` (training dropout with dropout layers); the mean batch loss. */
  trainEpoch(codes: number, y: number, index: number, n: number): number {
    const w = this.core.wasm;
    return w.deep_cnn_train_epoch(
      this.desc,
      this.hyper,
      this.adam,
      this.params,
      this.grads,
      this.m,
      this.v,
      this.vmax,
      this.state,
      codes,
      y,
      index,
      n,
      this.work,
      this.rng,
    );
  }

  /** Mean of the batch MSEs over batches of `shape.batch` rows, BatchNorm on the running statistics. */
  evalLoss(codes: number, y: number, index: number, n: number): number {
    return this.core.wasm.deep_cnn_eval_loss(
      this.desc,
      this.hyper,
      this.params,
      this.state,
      codes,
      y,
      index,
      n,
      this.work,
    );
  }

  /**
   * The n × outputs predictions (row-major) of n rows in batches of `shape.batch`; batch mode updates
   * the running statistics. `dropout`: one MC-dropout draw, a mask per layer from the stream shared by all n rows.
   */
  predict(codes: number, index: number, n: number, bn: BnMode, dropout = false): Float64Array {
    const out = this.prec.alloc(this.core, n * this.shape.outputs);
    const w = this.core.wasm;
    w.deep_cnn_predict(
      this.desc,
      this.hyper,
      this.params,
      this.state,
      codes,
      index,
      n,
      bn === "batch" ? 1 : 0,
      out,
      this.work,
      dropout ? this.rng : 0,
    );
    return this.prec.read(this.core, out, n * this.shape.outputs);
  }
}
