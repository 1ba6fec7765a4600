// Contextualized regression's encoder: an MLP from context c (inDim) through `hidden` ReLU layers
// of `width` units to `outDim` outputs, trained by Adam on the MSE of y_hat = beta * x + mu.
// Naive metamodel (archetypes = 0): outputs are (beta, mu). With K archetypes the outputs are
// weights z (outDim = K) and (beta, mu) = sum_k z_k A_k, with A (K x 2) learned too.
// Parameters, gradients and Adam moments are flat f64 buffers: per layer W (out x in, row-major)
// then b (out); A after the last layer. Context C is n x inDim row-major (one person per row).
// see: torch.nn.Linear, torch.optim.Adam (lerp / addcmul / addcdiv form, torch 2.x),
// contextualized/regression (NaiveMetamodel, SubtypeMetamodel)

import { axpy, axpy_scalar, dot, dot_scalar } from "./blas1";

function layers(hidden: i32): i32 {
  return hidden + 1;
}

function inOf(l: i32, inDim: i32, width: i32): i32 {
  return l == 0 ? inDim : width;
}

function outOf(l: i32, hidden: i32, width: i32, outDim: i32): i32 {
  return l == hidden ? outDim : width;
}

/** Number of parameters, archetypes included. */
export function mlp_param_count(inDim: i32, width: i32, hidden: i32, outDim: i32, archetypes: i32): i32 {
  let count = 0;
  for (let l = 0; l < layers(hidden); l++) {
    const o = outOf(l, hidden, width, outDim);
    count += o * inOf(l, inDim, width) + o;
  }
  return count + archetypes * 2;
}

/** Doubles of work space needed: activations and deltas of every layer. */
export function mlp_work_size(width: i32, hidden: i32, outDim: i32): i32 {
  return 2 * (hidden * width + outDim) + 2;
}

/** Forward pass for one person; activations go to `act` (layer by layer); returns y_hat and writes beta, mu to bm. */
function forward(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  c: usize,
  x: f64,
  act: usize,
  bm: usize,
  simd: bool,
): f64 {
  let src = c;
  let off: usize = params;
  let dst = act;
  for (let l = 0; l < layers(hidden); l++) {
    const nin = inOf(l, inDim, width);
    const nout = outOf(l, hidden, width, outDim);
    const bias = off + ((<usize>(nout * nin)) << 3);
    for (let o = 0; o < nout; o++) {
      const row = off + ((<usize>(o * nin)) << 3);
      const z = load<f64>(bias + ((<usize>o) << 3)) + (simd ? dot(nin, row, src) : dot_scalar(nin, row, src));
      store<f64>(dst + ((<usize>o) << 3), l < hidden && z < 0 ? 0.0 : z);
    }
    off = bias + ((<usize>nout) << 3);
    src = dst;
    dst += (<usize>nout) << 3;
  }
  let beta = 0.0;
  let mu = 0.0;
  if (archetypes == 0) {
    beta = load<f64>(src);
    mu = load<f64>(src, 8);
  } else {
    for (let k = 0; k < archetypes; k++) {
      const zk = load<f64>(src + ((<usize>k) << 3));
      beta += zk * load<f64>(off + ((<usize>(2 * k)) << 3));
      mu += zk * load<f64>(off + ((<usize>(2 * k + 1)) << 3));
    }
  }
  store<f64>(bm, beta);
  store<f64>(bm, mu, 8);
  return beta * x + mu;
}

/** Adds d(loss)/d(params) for one person to grads, given g = d(loss)/d(y_hat); uses the activations of `forward`. */
function backward(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  grads: usize,
  c: usize,
  x: f64,
  g: f64,
  act: usize,
  delta: usize,
  simd: bool,
): void {
  const total = mlp_param_count(inDim, width, hidden, outDim, 0);
  // offsets of each layer's activations and parameters, walked backwards
  let actOff: usize = (<usize>(hidden * width)) << 3;
  const last = act + actOff;
  const dLast = delta + actOff;
  if (archetypes == 0) {
    store<f64>(dLast, g * x);
    store<f64>(dLast, g, 8);
  } else {
    const a = params + ((<usize>total) << 3);
    const ga = grads + ((<usize>total) << 3);
    for (let k = 0; k < archetypes; k++) {
      const zk = load<f64>(last + ((<usize>k) << 3));
      const pa = a + ((<usize>(2 * k)) << 3);
      const pg = ga + ((<usize>(2 * k)) << 3);
      store<f64>(dLast + ((<usize>k) << 3), g * (load<f64>(pa) * x + load<f64>(pa, 8)));
      store<f64>(pg, load<f64>(pg) + g * zk * x);
      store<f64>(pg, load<f64>(pg, 8) + g * zk, 8);
    }
  }
  let paramEnd: usize = (<usize>total) << 3;
  for (let l = hidden; l >= 0; l--) {
    const nin = inOf(l, inDim, width);
    const nout = outOf(l, hidden, width, outDim);
    const wOff = paramEnd - ((<usize>(nout * nin + nout)) << 3);
    const bOff = wOff + ((<usize>(nout * nin)) << 3);
    const dl = delta + actOff;
    const input = l == 0 ? c : act + actOff - ((<usize>nin) << 3);
    const dIn = delta + actOff - ((<usize>nin) << 3);
    if (l > 0) memory.fill(dIn, 0, (<usize>nin) << 3);
    for (let o = 0; o < nout; o++) {
      const d = load<f64>(dl + ((<usize>o) << 3));
      if (d == 0) continue;
      const gRow = grads + wOff + ((<usize>(o * nin)) << 3);
      const gb = grads + bOff + ((<usize>o) << 3);
      store<f64>(gb, load<f64>(gb) + d);
      if (simd) axpy(nin, d, input, gRow);
      else axpy_scalar(nin, d, input, gRow);
      if (l > 0) {
        const wRow = params + wOff + ((<usize>(o * nin)) << 3);
        if (simd) axpy(nin, d, wRow, dIn);
        else axpy_scalar(nin, d, wRow, dIn);
      }
    }
    if (l > 0) {
      for (let i = 0; i < nin; i++) {
        const p = (<usize>i) << 3;
        if (load<f64>(input + p) <= 0) store<f64>(dIn + p, 0.0);
      }
      actOff -= (<usize>nin) << 3;
    }
    paramEnd = wOff;
  }
}

/**
 * One Adam step over all n parameters (torch 2.x single-tensor form): m = lerp(m, g, 1 - b1),
 * v = b2 v + (1 - b2) g^2, p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps); then g = 0.
 */
export function adam_step(
  n: i32,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  t: f64,
  lr: f64,
  b1: f64,
  b2: f64,
  eps: f64,
): void {
  const stepSize = lr / (1 - b1 ** t);
  const bc2 = Math.sqrt(1 - b2 ** t);
  const w1 = f64x2.splat(1 - b1);
  const vb2 = f64x2.splat(b2);
  const w2 = f64x2.splat(1 - b2);
  const vbc = f64x2.splat(bc2);
  const veps = f64x2.splat(eps);
  const vstep = f64x2.splat(stepSize);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    const g = v128.load(grads + o);
    const mm = v128.load(m + o);
    const m2 = f64x2.add(mm, f64x2.mul(w1, f64x2.sub(g, mm)));
    const v2 = f64x2.add(f64x2.mul(vb2, v128.load(v + o)), f64x2.mul(w2, f64x2.mul(g, g)));
    const denom = f64x2.add(f64x2.div(f64x2.sqrt(v2), vbc), veps);
    v128.store(m + o, m2);
    v128.store(v + o, v2);
    v128.store(params + o, f64x2.sub(v128.load(params + o), f64x2.mul(vstep, f64x2.div(m2, denom))));
    v128.store(grads + o, f64x2.splat(0));
  }
  for (; i < n; i++) adamOne(i, params, grads, m, v, stepSize, bc2, b1, b2, eps);
}

function adamOne(
  i: i32,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  stepSize: f64,
  bc2: f64,
  b1: f64,
  b2: f64,
  eps: f64,
): void {
  const o = (<usize>i) << 3;
  const g = load<f64>(grads + o);
  const mm = load<f64>(m + o);
  const m2 = mm + (1 - b1) * (g - mm);
  const v2 = b2 * load<f64>(v + o) + (1 - b2) * (g * g);
  const denom = Math.sqrt(v2) / bc2 + eps;
  store<f64>(m + o, m2);
  store<f64>(v + o, v2);
  store<f64>(params + o, load<f64>(params + o) - stepSize * (m2 / denom));
  store<f64>(grads + o, 0.0);
}

/** Scalar twin of `adam_step`. */
export function adam_step_scalar(
  n: i32,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  t: f64,
  lr: f64,
  b1: f64,
  b2: f64,
  eps: f64,
): void {
  const stepSize = lr / (1 - b1 ** t);
  const bc2 = Math.sqrt(1 - b2 ** t);
  for (let i = 0; i < n; i++) adamOne(i, params, grads, m, v, stepSize, bc2, b1, b2, eps);
}

/**
 * One epoch over `count` people in the order given (i32 indices), in minibatches of `batch`
 * (the last one may be smaller): for each batch the mean squared error's gradient, then one Adam
 * step. The step counter (a double at tPtr) advances per batch. Returns the summed squared error
 * of the predictions made before each update. `work` holds mlp_work_size doubles.
 */
export function mlp_train_epoch(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  tPtr: usize,
  lr: f64,
  c: usize,
  x: usize,
  y: usize,
  order: usize,
  count: i32,
  batch: i32,
  work: usize,
  simd: bool,
): f64 {
  const units = (<usize>(hidden * width + outDim)) << 3;
  const act = work;
  const delta = work + units;
  const bm = delta + units;
  const nParams = mlp_param_count(inDim, width, hidden, outDim, archetypes);
  let t = load<f64>(tPtr);
  let sse = 0.0;
  for (let start = 0; start < count; start += batch) {
    const b = min(batch, count - start);
    for (let s = 0; s < b; s++) {
      const i = load<i32>(order + ((<usize>(start + s)) << 2));
      const ci = c + ((<usize>(i * inDim)) << 3);
      const xi = load<f64>(x + ((<usize>i) << 3));
      const err =
        forward(inDim, width, hidden, outDim, archetypes, params, ci, xi, act, bm, simd) -
        load<f64>(y + ((<usize>i) << 3));
      sse += err * err;
      backward(inDim, width, hidden, outDim, archetypes, params, grads, ci, xi, (2.0 * err) / <f64>b, act, delta, simd);
    }
    t += 1;
    if (simd) adam_step(nParams, params, grads, m, v, t, lr, 0.9, 0.999, 1e-8);
    else adam_step_scalar(nParams, params, grads, m, v, t, lr, 0.9, 0.999, 1e-8);
  }
  store<f64>(tPtr, t);
  return sse;
}

/** Mean squared error of y_hat over the people in `order` (i32 indices). */
export function mlp_mse(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  c: usize,
  x: usize,
  y: usize,
  order: usize,
  count: i32,
  work: usize,
): f64 {
  const bm = work + ((<usize>(hidden * width + outDim)) << 4);
  let sse = 0.0;
  for (let s = 0; s < count; s++) {
    const i = load<i32>(order + ((<usize>s) << 2));
    const ci = c + ((<usize>(i * inDim)) << 3);
    const err =
      forward(inDim, width, hidden, outDim, archetypes, params, ci, load<f64>(x + ((<usize>i) << 3)), work, bm, true) -
      load<f64>(y + ((<usize>i) << 3));
    sse += err * err;
  }
  return count > 0 ? sse / <f64>count : NaN;
}

/** beta_i and mu_i for every one of n people. */
export function mlp_predict(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  c: usize,
  n: i32,
  beta: usize,
  mu: usize,
  work: usize,
): void {
  const bm = work + ((<usize>(hidden * width + outDim)) << 4);
  for (let i = 0; i < n; i++) {
    const ci = c + ((<usize>(i * inDim)) << 3);
    forward(inDim, width, hidden, outDim, archetypes, params, ci, 0.0, work, bm, true);
    store<f64>(beta + ((<usize>i) << 3), load<f64>(bm));
    store<f64>(mu + ((<usize>i) << 3), load<f64>(bm, 8));
  }
}

/** d(loss)/d(params) of the mean squared error over `order`, written to grads (for gradient checks). */
export function mlp_gradient(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  grads: usize,
  c: usize,
  x: usize,
  y: usize,
  order: usize,
  count: i32,
  work: usize,
): f64 {
  const units = (<usize>(hidden * width + outDim)) << 3;
  const bm = work + 2 * units;
  memory.fill(grads, 0, (<usize>mlp_param_count(inDim, width, hidden, outDim, archetypes)) << 3);
  let sse = 0.0;
  for (let s = 0; s < count; s++) {
    const i = load<i32>(order + ((<usize>s) << 2));
    const ci = c + ((<usize>(i * inDim)) << 3);
    const xi = load<f64>(x + ((<usize>i) << 3));
    const err =
      forward(inDim, width, hidden, outDim, archetypes, params, ci, xi, work, bm, true) -
      load<f64>(y + ((<usize>i) << 3));
    sse += err * err;
    backward(
      inDim,
      width,
      hidden,
      outDim,
      archetypes,
      params,
      grads,
      ci,
      xi,
      (2.0 * err) / <f64>count,
      work,
      work + units,
      true,
    );
  }
  return sse / <f64>count;
}
