// The context encoder's entry points (see encoder.ts and, for desc and the workspace,
// encoder-layout.ts): one epoch of minibatch Adam per call, validation MSE, per-person
// coefficients, and the gradient for tests. One export each, dispatching on desc[0]; the math
// is generic in T (f64, or f32 with the loss sums and the step counter in f64).
// Rows are taken in the order of an i32 index array (`order`) and gathered into the workspace.
// C is n x P, x n x K (K = 1: one column), y n, all row-major of T.
// Hyper (f64, nn/optim's Adam block): [0] lr, [1] beta1, [2] beta2, [3] eps, [4] weight decay,
// [5] t, the step counter, advanced here by one per minibatch.

import { at, isF32 } from "../nn/desc";
import { nn_adam_step, nn_adam_step_scalar } from "../nn/optim";
import { ADAM_DESC, backward, forward, setRows, setup } from "./encoder";
import {
  archetypes,
  buffer,
  capacity,
  copy,
  covariates,
  DY,
  H,
  inputs,
  OUT,
  PRED,
  paramCount,
  simd,
  workSize,
  XB,
  XIN,
  YB,
  zero,
} from "./encoder-layout";

/** Copies rows order[start ... start + rows) (or start ... when order is 0) of C, x and y into the workspace. */
function gather<T>(desc: usize, work: usize, c: usize, x: usize, y: usize, order: usize, start: i32, rows: i32): void {
  const P = inputs(desc);
  const K = covariates(desc);
  const xin = buffer(work, XIN);
  const xb = buffer(work, XB);
  const yb = buffer(work, YB);
  for (let r = 0; r < rows; r++) {
    const i = order != 0 ? load<i32>(order + ((<usize>(start + r)) << 2)) : start + r;
    copy<T>(P, c + at<T>(i * P), xin + at<T>(r * P));
    if (x != 0) copy<T>(K, x + at<T>(i * K), xb + at<T>(r * K));
    if (y != 0) store<T>(yb + at<T>(r), load<T>(y + at<T>(i)));
  }
}

/**
 * `sse` plus the squared errors of PRED against YB, added one row at a time in f64 (so the running
 * sum over an epoch does not depend on the minibatch size); with grad, DY = 2 err / divisor (err
 * rounded to T first, as the old encoder did).
 */
function squaredError<T>(work: usize, rows: i32, divisor: i32, grad: bool, sse: f64): f64 {
  const pred = buffer(work, PRED);
  const yb = buffer(work, YB);
  const dy = buffer(work, DY);
  for (let r = 0; r < rows; r++) {
    const err: T = load<T>(pred + at<T>(r)) - load<T>(yb + at<T>(r));
    sse += <f64>err * <f64>err;
    if (grad) store<T>(dy + at<T>(r), <T>((2.0 * <f64>err) / <f64>divisor));
  }
  return sse;
}

/** Forward and backward of rows start ... start + rows of `order`; returns `sse` plus their squared errors. */
function rowsGradient<T>(
  desc: usize,
  params: usize,
  grads: usize,
  data: usize,
  order: usize,
  start: i32,
  rows: i32,
  divisor: i32,
  work: usize,
  sse: f64,
): f64 {
  gather<T>(desc, work, load<usize>(data), load<usize>(data, 4), load<usize>(data, 8), order, start, rows);
  setRows(work, rows);
  forward<T>(desc, params, work, rows);
  const out = squaredError<T>(work, rows, divisor, true, sse);
  backward<T>(desc, params, grads, work, rows);
  return out;
}

function trainEpoch<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  data: usize,
  order: usize,
  count: i32,
  work: usize,
): f64 {
  setup<T>(desc, work);
  const B = capacity(desc);
  let sse = 0.0;
  for (let start = 0; start < count; start += B) {
    const rows = min(B, count - start);
    sse = rowsGradient<T>(desc, params, grads, data, order, start, rows, rows, work, sse);
    store<f64>(hyper, load<f64>(hyper, 40) + 1, 40);
    if (simd(desc)) nn_adam_step(work + ADAM_DESC, hyper, params, grads, m, v);
    else nn_adam_step_scalar(work + ADAM_DESC, hyper, params, grads, m, v);
  }
  return sse;
}

function gradient<T>(
  desc: usize,
  params: usize,
  grads: usize,
  data: usize,
  order: usize,
  count: i32,
  work: usize,
): f64 {
  setup<T>(desc, work);
  zero<T>(paramCount(desc), grads);
  let sse = 0.0;
  for (let start = 0; start < count; start += capacity(desc)) {
    sse = rowsGradient<T>(
      desc,
      params,
      grads,
      data,
      order,
      start,
      min(capacity(desc), count - start),
      count,
      work,
      sse,
    );
  }
  return sse / <f64>count;
}

function mse<T>(desc: usize, params: usize, data: usize, order: usize, count: i32, work: usize): f64 {
  setup<T>(desc, work);
  let sse = 0.0;
  for (let start = 0; start < count; start += capacity(desc)) {
    const rows = min(capacity(desc), count - start);
    gather<T>(desc, work, load<usize>(data), load<usize>(data, 4), load<usize>(data, 8), order, start, rows);
    setRows(work, rows);
    forward<T>(desc, params, work, rows);
    sse = squaredError<T>(work, rows, 1, false, sse);
  }
  return count > 0 ? sse / <f64>count : NaN;
}

function predict<T>(desc: usize, params: usize, c: usize, n: i32, theta: usize, mu: usize, work: usize): void {
  setup<T>(desc, work);
  const K = covariates(desc);
  const h = buffer(work, archetypes(desc) > 0 ? H : OUT);
  for (let start = 0; start < n; start += capacity(desc)) {
    const rows = min(capacity(desc), n - start);
    gather<T>(desc, work, c, 0, 0, 0, start, rows);
    zero<T>(rows * K, buffer(work, XB));
    setRows(work, rows);
    forward<T>(desc, params, work, rows);
    for (let r = 0; r < rows; r++) {
      const hr = h + at<T>(r * (K + 1));
      copy<T>(K, hr, theta + at<T>((start + r) * K));
      store<T>(mu + at<T>(start + r), load<T>(hr + at<T>(K)));
    }
  }
}

/** Number of parameters (archetypes included) of the encoder `desc` describes. */
export function encoder_param_count(desc: usize): i32 {
  return paramCount(desc);
}

/** Elements (of the dtype) of the workspace every entry point takes. */
export function encoder_work_size(desc: usize): i32 {
  return isF32(desc) ? workSize<f32>(desc) : workSize<f64>(desc);
}

/**
 * One epoch over `count` rows in the order given, in minibatches of desc[6] (the last may be
 * smaller): per minibatch the MSE's gradient, then hyper[5] += 1 and one Adam step (grads are left
 * zero). `data` holds three u32 pointers: C, x, y. Returns the summed squared error of the
 * predictions made before each update.
 */
export function encoder_train_epoch(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  data: usize,
  order: usize,
  count: i32,
  work: usize,
): f64 {
  if (isF32(desc)) return trainEpoch<f32>(desc, hyper, params, grads, m, v, data, order, count, work);
  return trainEpoch<f64>(desc, hyper, params, grads, m, v, data, order, count, work);
}

/** Mean squared error over the `count` rows of `order` (NaN when count is 0). */
export function encoder_mse(desc: usize, params: usize, data: usize, order: usize, count: i32, work: usize): f64 {
  if (isF32(desc)) return mse<f32>(desc, params, data, order, count, work);
  return mse<f64>(desc, params, data, order, count, work);
}

/** theta (n x K) and mu (n) of every row of C. */
export function encoder_predict(
  desc: usize,
  params: usize,
  c: usize,
  n: i32,
  theta: usize,
  mu: usize,
  work: usize,
): void {
  if (isF32(desc)) predict<f32>(desc, params, c, n, theta, mu, work);
  else predict<f64>(desc, params, c, n, theta, mu, work);
}

/** The MSE over `order`'s rows and its gradient, written (not added) to grads. */
export function encoder_gradient(
  desc: usize,
  params: usize,
  grads: usize,
  data: usize,
  order: usize,
  count: i32,
  work: usize,
): f64 {
  if (isF32(desc)) return gradient<f32>(desc, params, grads, data, order, count, work);
  return gradient<f64>(desc, params, grads, data, order, count, work);
}
