// Optimizer steps over n parameters in one flat buffer of T, and clipping by global norm.
// Adam (torch.optim.Adam; exactly the update of the fused encoder it replaced, assembly/mlp.ts, deleted in issue 20):
//   g += wd p (only if wd != 0);  m = m + (1 - b1)(g - m);  v = b2 v + (1 - b2) g^2
//   p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// AdamW (torch.optim.AdamW): p *= 1 - lr wd first (decoupled decay, g untouched), then Adam's update.
// AMSGrad (torch.optim.Adam(amsgrad=True)): Adam with vmax = max(vmax, v) in the denominator.
// Every step then sets g = 0, as the encoder's loop expects. The step size and bias corrections
// are computed in f64, then used in T.
// Descriptor: [1] n. Hyper: [0] lr, [1] beta1, [2] beta2, [3] eps, [4] weight decay, [5] t: the
// 1-based number of this step (the caller keeps and advances the counter, in f64 like the encoder's).
// Clipping (torch.nn.utils.clip_grad_norm_): total = ||g||_2 over all n; if c = max_norm /
// (total + 1e-6) < 1, g *= c. Hyper: [0] max_norm; the kernel writes total to [1].
// see: torch.optim.Adam / AdamW (_single_tensor_*), torch.nn.utils.clip_grad_norm_

import { at, field, hyper, isF32, lanes } from "./desc";

const ADAM: i32 = 0;
const ADAMW: i32 = 1;
const AMSGRAD: i32 = 2;

function step<T>(
  desc: usize,
  h: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  vmax: usize,
  kind: i32,
  simd: bool,
): void {
  const n = field(desc, 1);
  const lr = hyper(h, 0);
  const b1 = hyper(h, 1);
  const b2 = hyper(h, 2);
  const t = hyper(h, 5);
  const wd = hyper(h, 4);
  const l2 = kind != ADAMW && wd != 0;
  const decoupled = kind == ADAMW && wd != 0;
  const ams = kind == AMSGRAD;
  const stepSize = <T>(lr / (1 - b1 ** t));
  const bc2 = <T>Math.sqrt(1 - b2 ** t);
  const w1 = <T>(1 - b1);
  const tb2 = <T>b2;
  const w2 = <T>(1 - b2);
  const teps = <T>hyper(h, 3);
  const twd = <T>wd;
  const decay = <T>(1 - lr * wd);
  let i = 0;
  if (simd) {
    const L = lanes<T>();
    const vw1 = v128.splat<T>(w1);
    const vb2 = v128.splat<T>(tb2);
    const vw2 = v128.splat<T>(w2);
    const vbc = v128.splat<T>(bc2);
    const veps = v128.splat<T>(teps);
    const vstep = v128.splat<T>(stepSize);
    const vwd = v128.splat<T>(twd);
    const vdecay = v128.splat<T>(decay);
    for (; i + L <= n; i += L) {
      const o = at<T>(i);
      let g = v128.load(grads + o);
      let p = v128.load(params + o);
      if (l2) g = v128.add<T>(g, v128.mul<T>(p, vwd));
      if (decoupled) p = v128.mul<T>(p, vdecay);
      const mm = v128.load(m + o);
      const m2 = v128.add<T>(mm, v128.mul<T>(vw1, v128.sub<T>(g, mm)));
      const v2 = v128.add<T>(v128.mul<T>(vb2, v128.load(v + o)), v128.mul<T>(vw2, v128.mul<T>(g, g)));
      let vd = v2;
      if (ams) {
        vd = v128.max<T>(v128.load(vmax + o), v2);
        v128.store(vmax + o, vd);
      }
      const denom = v128.add<T>(v128.div<T>(v128.sqrt<T>(vd), vbc), veps);
      v128.store(m + o, m2);
      v128.store(v + o, v2);
      v128.store(params + o, v128.sub<T>(p, v128.mul<T>(vstep, v128.div<T>(m2, denom))));
      v128.store(grads + o, v128.splat<T>(<T>0));
    }
  }
  for (; i < n; i++) {
    const o = at<T>(i);
    let g = load<T>(grads + o);
    let p = load<T>(params + o);
    if (l2) g = g + p * twd;
    if (decoupled) p = p * decay;
    const mm = load<T>(m + o);
    const m2 = mm + w1 * (g - mm);
    const v2 = tb2 * load<T>(v + o) + w2 * (g * g);
    let vd = v2;
    if (ams) {
      vd = max<T>(load<T>(vmax + o), v2);
      store<T>(vmax + o, vd);
    }
    const denom = sqrt<T>(vd) / bc2 + teps;
    store<T>(m + o, m2);
    store<T>(v + o, v2);
    store<T>(params + o, p - stepSize * (m2 / denom));
    store<T>(grads + o, <T>0);
  }
}

function dispatch(
  desc: usize,
  h: usize,
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  vmax: usize,
  kind: i32,
  simd: bool,
): void {
  if (isF32(desc)) step<f32>(desc, h, p, g, m, v, vmax, kind, simd);
  else step<f64>(desc, h, p, g, m, v, vmax, kind, simd);
}

/** One Adam step (L2 weight decay when hyper[4] != 0); then grads = 0. */
export function nn_adam_step(desc: usize, hyper: usize, params: usize, grads: usize, m: usize, v: usize): void {
  dispatch(desc, hyper, params, grads, m, v, 0, ADAM, true);
}

/** Scalar twin of `nn_adam_step`. */
export function nn_adam_step_scalar(desc: usize, hyper: usize, params: usize, grads: usize, m: usize, v: usize): void {
  dispatch(desc, hyper, params, grads, m, v, 0, ADAM, false);
}

/** One AdamW step (decoupled weight decay hyper[4]); then grads = 0. */
export function nn_adamw_step(desc: usize, hyper: usize, params: usize, grads: usize, m: usize, v: usize): void {
  dispatch(desc, hyper, params, grads, m, v, 0, ADAMW, true);
}

/** Scalar twin of `nn_adamw_step`. */
export function nn_adamw_step_scalar(desc: usize, hyper: usize, params: usize, grads: usize, m: usize, v: usize): void {
  dispatch(desc, hyper, params, grads, m, v, 0, ADAMW, false);
}

/** One AMSGrad step (vmax: the running maximum of v, start at 0); then grads = 0. */
export function nn_amsgrad_step(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  vmax: usize,
): void {
  dispatch(desc, hyper, params, grads, m, v, vmax, AMSGRAD, true);
}

/** Scalar twin of `nn_amsgrad_step`. */
export function nn_amsgrad_step_scalar(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  vmax: usize,
): void {
  dispatch(desc, hyper, params, grads, m, v, vmax, AMSGRAD, false);
}

function clip<T>(n: i32, h: usize, grads: usize): void {
  let ss = 0.0;
  for (let i = 0; i < n; i++) {
    const g = <f64>load<T>(grads + at<T>(i));
    ss += g * g;
  }
  const total = Math.sqrt(ss);
  store<f64>(h, total, 8);
  const coef = hyper(h, 0) / (total + 1e-6);
  if (!(coef < 1)) return;
  const c = <T>coef;
  for (let i = 0; i < n; i++) store<T>(grads + at<T>(i), load<T>(grads + at<T>(i)) * c);
}

/** Scales grads to global 2-norm max_norm (hyper[0]) when larger; writes the norm before clipping to hyper[1]. */
export function nn_clip_grad_norm(desc: usize, hyper: usize, grads: usize): void {
  if (isF32(desc)) clip<f32>(field(desc, 1), hyper, grads);
  else clip<f64>(field(desc, 1), hyper, grads);
}
