// The polynomial-kernel MMD² and HSIC of kernel-loss.ts in their exact O(n) feature form
// (invariance-mr §3.4, "Use the exact O(n) form"), with gradients to both batches:
//   (aᵀb + c)^p = φ(a)ᵀφ(b), φ_α(a) = sqrt(p! / (α_0! α_1! ... α_d!) c^α_0) Π_j a_j^α_j over the
//   multi-indices α = (α_0, ..., α_d) with |α| = p, so F = C(d + p, p) features (6 for d = 2, p = 2);
//   c >= 0.
//   MMD² (V-statistic) = ‖φ̄(X) − φ̄(Y)‖², the means over rows; dMMD²/dx_i = (2/n) Jφ(x_i)ᵀ δ,
//     δ = φ̄(X) − φ̄(Y) (and −2/m for y_i).
//   HSIC = ‖Φ̃ᵀΨ̃‖²_F / D², Φ̃, Ψ̃ the column-centred features of X and Y, D = n − 1 (divisor 0) or n
//     (divisor 1); with C = Φ̃ᵀΨ̃, dHSIC/dφ(x_i) = (2/D²) C ψ̃_i (Ψ̃ is centred, so centring Φ adds
//     nothing) and dHSIC/dψ(y_i) = (2/D²) Cᵀ φ̃_i.
//   Same numbers as the Gram form up to rounding, at O(n F²) instead of O(n² d).
// Descriptor: the Gram form's ([1] n, [2] m or dx, [3] d or dy, [5] degree p, [7] MMD: estimator,
// which must be 0 (V), HSIC: divisor); [4], [6], [8] are not read. Hyper: [0] c.
// Work, f64: `nn_mmd2_feat_work_size` = 8 ((d + 1) F + 3 F + d) bytes;
// `nn_hsic_feat_work_size` = 8 ((dx + 1 + n + 1) Fx + (dy + 1 + n + 1) Fy + Fx Fy + max(Fx, Fy) + max(dx, dy)).
// Sums are in f64 for both dtypes.
// see: invariance-mr §3.4; kernel-loss.ts for the Gram form it is tested against

import { at, field, hyper, isF32 } from "./desc";

/** C(d + p, p): the number of features of the degree-p polynomial kernel on d inputs. */
export function features(d: i32, p: i32): i32 {
  let f: f64 = 1;
  for (let k = 1; k <= p; k++) f = (f * <f64>(d + k)) / <f64>k;
  return <i32>Math.round(f);
}

function factorial(k: i32): f64 {
  let f: f64 = 1;
  for (let i = 2; i <= k; i++) f *= <f64>i;
  return f;
}

/**
 * Writes the feature table at `tab`: per feature, its coefficient then the d exponents (f64). The
 * exponents run over every tuple in [0, p]^d with sum at most p (the digits of a base-(p + 1)
 * counter, first column fastest); α_0 = p − sum.
 */
function table(tab: usize, d: i32, p: i32, c: f64): void {
  const base = p + 1;
  let total = 1;
  for (let j = 0; j < d; j++) total *= base;
  let row = 0;
  for (let code = 0; code < total; code++) {
    let sum = 0;
    for (let rest = code; rest > 0; rest /= base) sum += rest % base;
    if (sum > p) continue;
    const dst = tab + at<f64>(row * (d + 1));
    let denom: f64 = 1;
    let rest = code;
    for (let j = 0; j < d; j++) {
      const a = rest % base;
      rest /= base;
      denom *= factorial(a);
      store<f64>(dst + at<f64>(1 + j), <f64>a);
    }
    const a0 = p - sum;
    store<f64>(dst, Math.sqrt((factorial(p) / (denom * factorial(a0))) * c ** a0));
    row++;
  }
}

/** φ(a) for a row a of d T values, into the f64 vector `phi` (F values). */
function phiOf<T>(tab: usize, nf: i32, a: usize, d: i32, phi: usize): void {
  for (let f = 0; f < nf; f++) {
    const t = tab + at<f64>(f * (d + 1));
    let v = load<f64>(t);
    for (let j = 0; j < d; j++) v *= <f64>load<T>(a + at<T>(j)) ** <i32>load<f64>(t + at<f64>(1 + j));
    store<f64>(phi + at<f64>(f), v);
  }
}

/** Adds Jφ(a)ᵀ u (u an f64 vector of F values) to the T row `dst`, through the f64 row g (d values, zeroed on return). */
function pullback<T>(tab: usize, nf: i32, a: usize, d: i32, u: usize, g: usize, dst: usize): void {
  for (let f = 0; f < nf; f++) {
    const t = tab + at<f64>(f * (d + 1));
    const uf = load<f64>(u + at<f64>(f)) * load<f64>(t);
    if (uf == 0) continue;
    for (let k = 0; k < d; k++) {
      const ak = <i32>load<f64>(t + at<f64>(1 + k));
      if (ak == 0) continue;
      let v = uf * <f64>ak * <f64>load<T>(a + at<T>(k)) ** (ak - 1);
      for (let j = 0; j < d; j++) {
        if (j != k) v *= <f64>load<T>(a + at<T>(j)) ** <i32>load<f64>(t + at<f64>(1 + j));
      }
      store<f64>(g + at<f64>(k), load<f64>(g + at<f64>(k)) + v);
    }
  }
  for (let k = 0; k < d; k++) {
    const p = dst + at<T>(k);
    store<T>(p, load<T>(p) + <T>load<f64>(g + at<f64>(k)));
    store<f64>(g + at<f64>(k), 0);
  }
}

/** Column means of the features of the n rows of a into `mean` (F values). */
function meanOf<T>(tab: usize, nf: i32, a: usize, n: i32, d: i32, phi: usize, mean: usize): void {
  memory.fill(mean, 0, (<usize>nf) << 3);
  for (let i = 0; i < n; i++) {
    phiOf<T>(tab, nf, a + at<T>(i * d), d, phi);
    for (let f = 0; f < nf; f++)
      store<f64>(mean + at<f64>(f), load<f64>(mean + at<f64>(f)) + load<f64>(phi + at<f64>(f)));
  }
  for (let f = 0; f < nf; f++) store<f64>(mean + at<f64>(f), load<f64>(mean + at<f64>(f)) / <f64>n);
}

/** Bytes of feature-form MMD² work: 8 ((d + 1) F + 3 F + d). */
export function nn_mmd2_feat_work_size(desc: usize): f64 {
  const d = field(desc, 3);
  const nf = <f64>features(d, field(desc, 5));
  return 8 * ((<f64>d + 1) * nf + 3 * nf + <f64>d);
}

/** Bytes of feature-form HSIC work (see the header). */
export function nn_hsic_feat_work_size(desc: usize): f64 {
  const n = <f64>field(desc, 1);
  const dx = field(desc, 2);
  const dy = field(desc, 3);
  const p = field(desc, 5);
  const fx = <f64>features(dx, p);
  const fy = <f64>features(dy, p);
  return 8 * ((dx + 2 + n) * fx + (dy + 2 + n) * fy + fx * fy + Math.max(fx, fy) + <f64>max(dx, dy));
}

function mmd<T>(desc: usize, h: usize, x: usize, y: usize, gx: usize, gy: usize, work: usize, dloss: f64): f64 {
  const n = field(desc, 1);
  const m = field(desc, 2);
  const d = field(desc, 3);
  const nf = features(d, field(desc, 5));
  const tab = work;
  const mx = tab + at<f64>(nf * (d + 1));
  const my = mx + at<f64>(nf);
  const phi = my + at<f64>(nf);
  const g = phi + at<f64>(nf);
  table(tab, d, field(desc, 5), hyper(h, 0));
  meanOf<T>(tab, nf, x, n, d, phi, mx);
  meanOf<T>(tab, nf, y, m, d, phi, my);
  let loss: f64 = 0;
  for (let f = 0; f < nf; f++) {
    const delta = load<f64>(mx + at<f64>(f)) - load<f64>(my + at<f64>(f));
    store<f64>(mx + at<f64>(f), delta);
    loss += delta * delta;
  }
  memory.fill(g, 0, (<usize>d) << 3);
  if (gx != 0) {
    for (let f = 0; f < nf; f++) store<f64>(phi + at<f64>(f), ((2 * dloss) / <f64>n) * load<f64>(mx + at<f64>(f)));
    for (let i = 0; i < n; i++) pullback<T>(tab, nf, x + at<T>(i * d), d, phi, g, gx + at<T>(i * d));
  }
  if (gy != 0) {
    for (let f = 0; f < nf; f++) store<f64>(phi + at<f64>(f), ((-2 * dloss) / <f64>m) * load<f64>(mx + at<f64>(f)));
    for (let i = 0; i < m; i++) pullback<T>(tab, nf, y + at<T>(i * d), d, phi, g, gy + at<T>(i * d));
  }
  return loss;
}

/** Fills the column-centred features (n x F, f64) of the rows of a at `out`, using `mean` (F) as scratch. */
function centredFeatures<T>(tab: usize, nf: i32, a: usize, n: i32, d: i32, out: usize, mean: usize): void {
  for (let i = 0; i < n; i++) phiOf<T>(tab, nf, a + at<T>(i * d), d, out + at<f64>(i * nf));
  memory.fill(mean, 0, (<usize>nf) << 3);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < nf; f++)
      store<f64>(mean + at<f64>(f), load<f64>(mean + at<f64>(f)) + load<f64>(out + at<f64>(i * nf + f)));
  }
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < nf; f++) {
      const p = out + at<f64>(i * nf + f);
      store<f64>(p, load<f64>(p) - load<f64>(mean + at<f64>(f)) / <f64>n);
    }
  }
}

/** For each row i, u = scale · C v_i (C is Fx x fy, row-major; read as Cᵀ when `trans`), pulled back through Jφ into grad row i. */
function hsicGrad<T>(
  tab: usize,
  a: usize,
  n: i32,
  d: i32,
  nf: i32,
  cm: usize,
  fy: i32,
  trans: bool,
  v: usize,
  nv: i32,
  scale: f64,
  u: usize,
  g: usize,
  grad: usize,
): void {
  for (let i = 0; i < n; i++) {
    const vi = v + at<f64>(i * nv);
    for (let r = 0; r < nf; r++) {
      let s: f64 = 0;
      for (let k = 0; k < nv; k++) {
        const c = trans ? load<f64>(cm + at<f64>(k * fy + r)) : load<f64>(cm + at<f64>(r * fy + k));
        s += c * load<f64>(vi + at<f64>(k));
      }
      store<f64>(u + at<f64>(r), scale * s);
    }
    pullback<T>(tab, nf, a + at<T>(i * d), d, u, g, grad + at<T>(i * d));
  }
}

function hsic<T>(desc: usize, h: usize, x: usize, y: usize, gx: usize, gy: usize, work: usize, dloss: f64): f64 {
  const n = field(desc, 1);
  const dx = field(desc, 2);
  const dy = field(desc, 3);
  const p = field(desc, 5);
  const c = hyper(h, 0);
  const fx = features(dx, p);
  const fy = features(dy, p);
  const tx = work;
  const ty = tx + at<f64>(fx * (dx + 1));
  const px = ty + at<f64>(fy * (dy + 1));
  const py = px + at<f64>(n * fx);
  const mean = py + at<f64>(n * fy);
  const cm = mean + at<f64>(fx + fy);
  const u = cm + at<f64>(fx * fy);
  const g = u + at<f64>(max(fx, fy));
  table(tx, dx, p, c);
  table(ty, dy, p, c);
  centredFeatures<T>(tx, fx, x, n, dx, px, mean);
  centredFeatures<T>(ty, fy, y, n, dy, py, mean);
  const div: f64 = field(desc, 7) == 1 ? <f64>n : <f64>(n - 1);
  const scale = 1.0 / (div * div);
  let loss: f64 = 0;
  for (let r = 0; r < fx; r++) {
    for (let k = 0; k < fy; k++) {
      let s: f64 = 0;
      for (let i = 0; i < n; i++) s += load<f64>(px + at<f64>(i * fx + r)) * load<f64>(py + at<f64>(i * fy + k));
      store<f64>(cm + at<f64>(r * fy + k), s);
      loss += s * s;
    }
  }
  memory.fill(g, 0, (<usize>max(dx, dy)) << 3);
  const w = 2 * scale * dloss;
  if (gx != 0) hsicGrad<T>(tx, x, n, dx, fx, cm, fy, false, py, fy, w, u, g, gx);
  if (gy != 0) hsicGrad<T>(ty, y, n, dy, fy, cm, fy, true, px, fx, w, u, g, gy);
  return loss * scale;
}

/** Feature-form polynomial MMD² (V-statistic) of X (n x d) and Y (m x d); ADDS dloss times its gradients to gx, gy (each skipped when 0). */
export function nn_mmd2_feat_loss(
  desc: usize,
  hyper: usize,
  x: usize,
  y: usize,
  gx: usize,
  gy: usize,
  work: usize,
  dloss: f64,
): f64 {
  return isF32(desc)
    ? mmd<f32>(desc, hyper, x, y, gx, gy, work, dloss)
    : mmd<f64>(desc, hyper, x, y, gx, gy, work, dloss);
}

/** Feature-form polynomial HSIC(X, Y) (X n x dx, Y n x dy, rows paired); ADDS dloss times its gradients to gx, gy (each skipped when 0). */
export function nn_hsic_feat_loss(
  desc: usize,
  hyper: usize,
  x: usize,
  y: usize,
  gx: usize,
  gy: usize,
  work: usize,
  dloss: f64,
): f64 {
  return isF32(desc)
    ? hsic<f32>(desc, hyper, x, y, gx, gy, work, dloss)
    : hsic<f64>(desc, hyper, x, y, gx, gy, work, dloss);
}
