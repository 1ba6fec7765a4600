import type { Core } from "../../../src/core/memory.js";
import { precisionOf } from "../../../src/estimators/encoder-precision.js";
import { type EncoderShape, encoderLayout, putEncoderData, putEncoderDescriptor } from "../../../src/models/encoder.js";
import { uniforms } from "../../helpers/random.js";

/** An encoder and data for it: C (n x P), x (n x K), y (n), row-major. */
export interface Problem {
  shape: EncoderShape;
  n: number;
  c: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

/** Seeded data for `shape` with n rows (uniforms in [-1, 1)). */
export function problem(shape: EncoderShape, n: number, seed: string): Problem {
  return {
    shape,
    n,
    c: uniforms(`${seed}:c`, n * shape.inputs),
    x: uniforms(`${seed}:x`, n * shape.covariates),
    y: uniforms(`${seed}:y`, n),
  };
}

/** The rows 0 ... n-1 (or `order`) as an i32 block, with the model's descriptor, data and workspace. */
function place(core: Core, p: Problem, order?: ArrayLike<number>) {
  const num = precisionOf(p.shape.dtype);
  const rows = order ?? Array.from({ length: p.n }, (_, i) => i);
  const desc = putEncoderDescriptor(core, p.shape);
  const data = putEncoderData(core, num.put(core, p.c), num.put(core, p.x), num.put(core, p.y));
  const op = core.alloc(Math.ceil(rows.length / 2) + 1);
  new Int32Array(core.wasm.memory.buffer, op, rows.length).set(rows);
  const work = num.alloc(core, core.wasm.encoder_work_size(desc));
  return { num, desc, data, order: op, count: rows.length, work };
}

/** encoder_gradient and encoder_mse at `params` (rounded to the dtype) over all rows. */
export function lossAndGrad(core: Core, p: Problem, params: ArrayLike<number>) {
  return core.scoped(() => {
    const s = place(core, p);
    const pp = s.num.put(core, params);
    const pg = s.num.alloc(core, params.length);
    const w = core.wasm;
    const loss = w.encoder_gradient(s.desc, pp, pg, s.data, s.order, s.count, s.work);
    const mse = w.encoder_mse(s.desc, pp, s.data, s.order, s.count, s.work);
    return { loss, mse, grad: s.num.read(core, pg, params.length) };
  });
}

/** One encoder_train_epoch over `order` from `params` with zero moments and step counter t0. */
export function epoch(core: Core, p: Problem, params: ArrayLike<number>, lr: number, order: number[], t0 = 0) {
  return core.scoped(() => {
    const s = place(core, p, order);
    const count = encoderLayout(p.shape).count;
    const zeros = new Float64Array(count);
    const [pp, pg, pm, pv] = [params, zeros, zeros, zeros].map((a) => s.num.put(core, a)) as number[];
    const hyper = core.put([lr, 0.9, 0.999, 1e-8, 0, t0]);
    const w = core.wasm;
    const sse = w.encoder_train_epoch(
      s.desc,
      hyper,
      pp as number,
      pg as number,
      pm as number,
      pv as number,
      s.data,
      s.order,
      s.count,
      s.work,
    );
    const read = (ptr: number) => s.num.read(core, ptr, count);
    return {
      sse,
      params: read(pp as number),
      grads: read(pg as number),
      m: read(pm as number),
      v: read(pv as number),
      t: core.read(hyper, 6)[5] as number,
    };
  });
}

/** encoder_predict for every row: theta (n x K) and mu. */
export function predict(core: Core, p: Problem, params: ArrayLike<number>) {
  return core.scoped(() => {
    const s = place(core, p);
    const K = p.shape.covariates;
    const pp = s.num.put(core, params);
    const theta = s.num.alloc(core, p.n * K);
    const mu = s.num.alloc(core, p.n);
    core.wasm.encoder_predict(s.desc, pp, s.num.put(core, p.c), p.n, theta, mu, s.work);
    return { theta: s.num.read(core, theta, p.n * K), mu: s.num.read(core, mu, p.n) };
  });
}
