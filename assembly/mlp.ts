// Contextualized regression's encoder: an MLP from context c (inDim) through `hidden` ReLU layers
// of `width` units to `outDim` outputs, trained by Adam on the MSE of y_hat = beta * x + mu.
// Naive metamodel (archetypes = 0): outputs are (beta, mu). With K archetypes the outputs are
// weights z (outDim = K) and (beta, mu) = sum_k z_k A_k, with A (K x 2) learned too.
// Parameters, gradients and Adam moments are flat buffers of T = f64 (exports as named) or f32
// (exports ending in _f32; C, x, y, beta and mu in f32 too): per layer W (out x in, row-major)
// then b (out); A after the last layer. Context C is n x inDim row-major (one person per row).
// SIMD: f64x2 for f64, f32x4 for f32, through AssemblyScript's generic v128 operations.
// see: torch.nn.Linear, torch.optim.Adam (lerp / addcmul / addcdiv form, torch 2.x),
// contextualized/regression (NaiveMetamodel, SubtypeMetamodel)

import { axpy, dot } from "./blas1";

function layers(hidden: i32): i32 {
  return hidden + 1;
}

function inOf(l: i32, inDim: i32, width: i32): i32 {
  return l == 0 ? inDim : width;
}

function outOf(l: i32, hidden: i32, width: i32, outDim: i32): i32 {
  return l == hidden ? outDim : width;
}

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
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

/** Elements of work space needed (of the training precision): activations and deltas of every layer. */
export function mlp_work_size(width: i32, hidden: i32, outDim: i32): i32 {
  return 2 * (hidden * width + outDim) + 2;
}

/** x . y over n elements of T (f64: blas1's dot; f32: f32x4 with two accumulators). */
function dotT<T>(n: i32, x: usize, y: usize, simd: bool): T {
  if (!simd) {
    let s: T = <T>0;
    for (let i = 0; i < n; i++) s += load<T>(x + at<T>(i)) * load<T>(y + at<T>(i));
    return s;
  }
  if (sizeof<T>() == 8) return <T>dot(n, x, y);
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = at<T>(i);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  if (i + 4 <= n) {
    const o = at<T>(i);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    i += 4;
  }
  a0 = f32x4.add(a0, a1);
  let s =
    f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a0, 1) + (f32x4.extract_lane(a0, 2) + f32x4.extract_lane(a0, 3));
  for (; i < n; i++) s += load<f32>(x + at<f32>(i)) * load<f32>(y + at<f32>(i));
  return <T>s;
}

/** y += a x over n elements of T (f64: blas1's axpy; f32: f32x4). */
function axpyT<T>(n: i32, a: T, x: usize, y: usize, simd: bool): void {
  let i = 0;
  if (simd) {
    if (sizeof<T>() == 8) {
      axpy(n, <f64>a, x, y);
      return;
    }
    const va = f32x4.splat(<f32>a);
    for (; i + 4 <= n; i += 4) {
      const o = at<T>(i);
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
    }
  }
  for (; i < n; i++) store<T>(y + at<T>(i), load<T>(y + at<T>(i)) + a * load<T>(x + at<T>(i)));
}

/** Forward pass for one person; activations go to `act` (layer by layer); returns y_hat and writes beta, mu to bm. */
function forward<T>(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  c: usize,
  x: T,
  act: usize,
  bm: usize,
  simd: bool,
): T {
  let src = c;
  let off: usize = params;
  let dst = act;
  for (let l = 0; l < layers(hidden); l++) {
    const nin = inOf(l, inDim, width);
    const nout = outOf(l, hidden, width, outDim);
    const bias = off + at<T>(nout * nin);
    for (let o = 0; o < nout; o++) {
      const row = off + at<T>(o * nin);
      const z: T = load<T>(bias + at<T>(o)) + dotT<T>(nin, row, src, simd);
      store<T>(dst + at<T>(o), l < hidden && z < <T>0 ? <T>0 : z);
    }
    off = bias + at<T>(nout);
    src = dst;
    dst += at<T>(nout);
  }
  let beta: T = <T>0;
  let mu: T = <T>0;
  if (archetypes == 0) {
    beta = load<T>(src);
    mu = load<T>(src + at<T>(1));
  } else {
    for (let k = 0; k < archetypes; k++) {
      const zk = load<T>(src + at<T>(k));
      beta += zk * load<T>(off + at<T>(2 * k));
      mu += zk * load<T>(off + at<T>(2 * k + 1));
    }
  }
  store<T>(bm, beta);
  store<T>(bm + at<T>(1), mu);
  return beta * x + mu;
}

/** Adds d(loss)/d(params) for one person to grads, given g = d(loss)/d(y_hat); uses the activations of `forward`. */
function backward<T>(
  inDim: i32,
  width: i32,
  hidden: i32,
  outDim: i32,
  archetypes: i32,
  params: usize,
  grads: usize,
  c: usize,
  x: T,
  g: T,
  act: usize,
  delta: usize,
  simd: bool,
): void {
  const total = mlp_param_count(inDim, width, hidden, outDim, 0);
  // offsets of each layer's activations and parameters, walked backwards
  let actOff: usize = at<T>(hidden * width);
  const last = act + actOff;
  const dLast = delta + actOff;
  if (archetypes == 0) {
    store<T>(dLast, g * x);
    store<T>(dLast + at<T>(1), g);
  } else {
    const a = params + at<T>(total);
    const ga = grads + at<T>(total);
    for (let k = 0; k < archetypes; k++) {
      const zk = load<T>(last + at<T>(k));
      const pa = a + at<T>(2 * k);
      const pg = ga + at<T>(2 * k);
      store<T>(dLast + at<T>(k), g * (load<T>(pa) * x + load<T>(pa + at<T>(1))));
      store<T>(pg, load<T>(pg) + g * zk * x);
      store<T>(pg + at<T>(1), load<T>(pg + at<T>(1)) + g * zk);
    }
  }
  let paramEnd: usize = at<T>(total);
  for (let l = hidden; l >= 0; l--) {
    const nin = inOf(l, inDim, width);
    const nout = outOf(l, hidden, width, outDim);
    const wOff = paramEnd - at<T>(nout * nin + nout);
    const bOff = wOff + at<T>(nout * nin);
    const dl = delta + actOff;
    const input = l == 0 ? c : act + actOff - at<T>(nin);
    const dIn = delta + actOff - at<T>(nin);
    if (l > 0) memory.fill(dIn, 0, at<T>(nin));
    for (let o = 0; o < nout; o++) {
      const d = load<T>(dl + at<T>(o));
      if (d == <T>0) continue;
      const gRow = grads + wOff + at<T>(o * nin);
      const gb = grads + bOff + at<T>(o);
      store<T>(gb, load<T>(gb) + d);
      axpyT<T>(nin, d, input, gRow, simd);
      if (l > 0) axpyT<T>(nin, d, params + wOff + at<T>(o * nin), dIn, simd);
    }
    if (l > 0) {
      for (let i = 0; i < nin; i++) {
        if (load<T>(input + at<T>(i)) <= <T>0) store<T>(dIn + at<T>(i), <T>0);
      }
      actOff -= at<T>(nin);
    }
    paramEnd = wOff;
  }
}

/**
 * One Adam step over all n parameters (torch 2.x single-tensor form): m = lerp(m, g, 1 - b1),
 * v = b2 v + (1 - b2) g^2, p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps); then g = 0.
 * The step size and bias correction are computed in f64, then used in T.
 */
function adam<T>(
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
  simd: bool,
): void {
  const stepSize = <T>(lr / (1 - b1 ** t));
  const bc2 = <T>Math.sqrt(1 - b2 ** t);
  const w1 = <T>(1 - b1);
  const tb2 = <T>b2;
  const w2 = <T>(1 - b2);
  const teps = <T>eps;
  let i = 0;
  if (simd) {
    const lanes = 16 >> alignof<T>();
    const vw1 = v128.splat<T>(w1);
    const vb2 = v128.splat<T>(tb2);
    const vw2 = v128.splat<T>(w2);
    const vbc = v128.splat<T>(bc2);
    const veps = v128.splat<T>(teps);
    const vstep = v128.splat<T>(stepSize);
    for (; i + lanes <= n; i += lanes) {
      const o = at<T>(i);
      const g = v128.load(grads + o);
      const mm = v128.load(m + o);
      const m2 = v128.add<T>(mm, v128.mul<T>(vw1, v128.sub<T>(g, mm)));
      const v2 = v128.add<T>(v128.mul<T>(vb2, v128.load(v + o)), v128.mul<T>(vw2, v128.mul<T>(g, g)));
      const denom = v128.add<T>(v128.div<T>(v128.sqrt<T>(v2), vbc), veps);
      v128.store(m + o, m2);
      v128.store(v + o, v2);
      v128.store(params + o, v128.sub<T>(v128.load(params + o), v128.mul<T>(vstep, v128.div<T>(m2, denom))));
      v128.store(grads + o, v128.splat<T>(<T>0));
    }
  }
  for (; i < n; i++) {
    const o = at<T>(i);
    const g = load<T>(grads + o);
    const mm = load<T>(m + o);
    const m2 = mm + w1 * (g - mm);
    const v2 = tb2 * load<T>(v + o) + w2 * (g * g);
    const denom = sqrt<T>(v2) / bc2 + teps;
    store<T>(m + o, m2);
    store<T>(v + o, v2);
    store<T>(params + o, load<T>(params + o) - stepSize * (m2 / denom));
    store<T>(grads + o, <T>0);
  }
}

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
  adam<f64>(n, params, grads, m, v, t, lr, b1, b2, eps, true);
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
  adam<f64>(n, params, grads, m, v, t, lr, b1, b2, eps, false);
}

/** One epoch of minibatch Adam over the people in `order`; see mlp_train_epoch. */
function trainEpoch<T>(
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
  const units = at<T>(hidden * width + outDim);
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
      const ci = c + at<T>(i * inDim);
      const xi = load<T>(x + at<T>(i));
      const err: T =
        forward<T>(inDim, width, hidden, outDim, archetypes, params, ci, xi, act, bm, simd) - load<T>(y + at<T>(i));
      sse += <f64>err * <f64>err;
      backward<T>(
        inDim,
        width,
        hidden,
        outDim,
        archetypes,
        params,
        grads,
        ci,
        xi,
        <T>((2.0 * <f64>err) / <f64>b),
        act,
        delta,
        simd,
      );
    }
    t += 1;
    adam<T>(nParams, params, grads, m, v, t, lr, 0.9, 0.999, 1e-8, simd);
  }
  store<f64>(tPtr, t);
  return sse;
}

/**
 * One epoch over `count` people in the order given (i32 indices), in minibatches of `batch`
 * (the last one may be smaller): for each batch the mean squared error's gradient, then one Adam
 * step. The step counter (a double at tPtr) advances per batch. Returns the summed squared error
 * of the predictions made before each update. `work` holds mlp_work_size elements.
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
  return trainEpoch<f64>(
    inDim,
    width,
    hidden,
    outDim,
    archetypes,
    params,
    grads,
    m,
    v,
    tPtr,
    lr,
    c,
    x,
    y,
    order,
    count,
    batch,
    work,
    simd,
  );
}

/** `mlp_train_epoch` in f32 (parameters, moments, C, x and y in f32; the step counter stays f64). */
export function mlp_train_epoch_f32(
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
  return trainEpoch<f32>(
    inDim,
    width,
    hidden,
    outDim,
    archetypes,
    params,
    grads,
    m,
    v,
    tPtr,
    lr,
    c,
    x,
    y,
    order,
    count,
    batch,
    work,
    simd,
  );
}

/** Mean squared error of y_hat over the people in `order` (i32 indices). */
function mse<T>(
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
  const bm = work + 2 * at<T>(hidden * width + outDim);
  let sse = 0.0;
  for (let s = 0; s < count; s++) {
    const i = load<i32>(order + ((<usize>s) << 2));
    const ci = c + at<T>(i * inDim);
    const err: T =
      forward<T>(inDim, width, hidden, outDim, archetypes, params, ci, load<T>(x + at<T>(i)), work, bm, true) -
      load<T>(y + at<T>(i));
    sse += <f64>err * <f64>err;
  }
  return count > 0 ? sse / <f64>count : NaN;
}

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
  return mse<f64>(inDim, width, hidden, outDim, archetypes, params, c, x, y, order, count, work);
}

export function mlp_mse_f32(
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
  return mse<f32>(inDim, width, hidden, outDim, archetypes, params, c, x, y, order, count, work);
}

/** beta_i and mu_i for every one of n people. */
function predict<T>(
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
  const bm = work + 2 * at<T>(hidden * width + outDim);
  for (let i = 0; i < n; i++) {
    forward<T>(inDim, width, hidden, outDim, archetypes, params, c + at<T>(i * inDim), <T>0, work, bm, true);
    store<T>(beta + at<T>(i), load<T>(bm));
    store<T>(mu + at<T>(i), load<T>(bm + at<T>(1)));
  }
}

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
  predict<f64>(inDim, width, hidden, outDim, archetypes, params, c, n, beta, mu, work);
}

export function mlp_predict_f32(
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
  predict<f32>(inDim, width, hidden, outDim, archetypes, params, c, n, beta, mu, work);
}

/** d(loss)/d(params) of the mean squared error over `order`, written to grads (for gradient checks). */
function gradient<T>(
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
  const units = at<T>(hidden * width + outDim);
  const bm = work + 2 * units;
  memory.fill(grads, 0, at<T>(mlp_param_count(inDim, width, hidden, outDim, archetypes)));
  let sse = 0.0;
  for (let s = 0; s < count; s++) {
    const i = load<i32>(order + ((<usize>s) << 2));
    const ci = c + at<T>(i * inDim);
    const xi = load<T>(x + at<T>(i));
    const err: T =
      forward<T>(inDim, width, hidden, outDim, archetypes, params, ci, xi, work, bm, true) - load<T>(y + at<T>(i));
    sse += <f64>err * <f64>err;
    backward<T>(
      inDim,
      width,
      hidden,
      outDim,
      archetypes,
      params,
      grads,
      ci,
      xi,
      <T>((2.0 * <f64>err) / <f64>count),
      work,
      work + units,
      true,
    );
  }
  return sse / <f64>count;
}

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
  return gradient<f64>(inDim, width, hidden, outDim, archetypes, params, grads, c, x, y, order, count, work);
}

export function mlp_gradient_f32(
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
  return gradient<f32>(inDim, width, hidden, outDim, archetypes, params, grads, c, x, y, order, count, work);
}
