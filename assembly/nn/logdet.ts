// Log-determinant of a batch covariance: for Z (n x d, one row per observation, row-major),
//   A = Zcᵀ Zc / (n - 1) + eps I,   Zc = Z minus its column means,   loss = log det A = 2 sum_j log L_jj
// with A = L Lᵀ (Cholesky). Gradient: d loss / dA = A⁻¹, so d loss / dZ = 2 Zc A⁻¹ / (n - 1) (the
// centring drops out because the columns of Zc sum to zero). Invariance MR's entropy term is
// -log det(cov + 1e-6 I): pass dloss = -lambda.
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] n (>= 2), [2] d. Hyper (f64): [0] eps.
// Work: f64, 2 d² + d (`nn_logdet_work_size`, in bytes); A, its inverse and the means are computed
// in f64 for both dtypes.
// Returns NaN and adds nothing when A is not positive definite.
// see: torch.logdet, torch.cov (correction = 1); Murray 2016, "Differentiation of the Cholesky
// decomposition" (d log det A = tr(A⁻¹ dA))

import { chol_inverse, cholesky } from "../cholesky";

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

/** Bytes of work space: 8 (2 d² + d). */
export function nn_logdet_work_size(desc: usize): i32 {
  const d = load<i32>(desc + 8);
  return 8 * (2 * d * d + d);
}

function logdet<T>(desc: usize, hyper: usize, z: usize, grad: usize, work: usize, dloss: f64): f64 {
  const n = load<i32>(desc + 4);
  const d = load<i32>(desc + 8);
  const a = work;
  const inv = f64At(work, d * d);
  const mean = f64At(work, 2 * d * d);
  for (let j = 0; j < d; j++) {
    let s: f64 = 0;
    for (let r = 0; r < n; r++) s += <f64>load<T>(z + at<T>(r * d + j));
    store<f64>(f64At(mean, j), s / n);
  }
  // Lower triangle of A, column-major (the layout of ../cholesky).
  for (let j = 0; j < d; j++) {
    const mj = load<f64>(f64At(mean, j));
    for (let i = j; i < d; i++) {
      const mi = load<f64>(f64At(mean, i));
      let s: f64 = 0;
      for (let r = 0; r < n; r++) {
        s += (<f64>load<T>(z + at<T>(r * d + i)) - mi) * (<f64>load<T>(z + at<T>(r * d + j)) - mj);
      }
      store<f64>(f64At(a, j * d + i), s / (n - 1) + (i == j ? load<f64>(hyper) : 0));
    }
  }
  if (cholesky(d, a, d, 0) != 0) return NaN;
  let ld: f64 = 0;
  for (let j = 0; j < d; j++) ld += Math.log(load<f64>(f64At(a, j * d + j)));
  if (grad == 0) return 2 * ld;
  chol_inverse(d, a, d, inv);
  const c = (2 * dloss) / (n - 1);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      let s: f64 = 0;
      for (let k = 0; k < d; k++) {
        s += (<f64>load<T>(z + at<T>(r * d + k)) - load<f64>(f64At(mean, k))) * load<f64>(f64At(inv, j * d + k));
      }
      const p = grad + at<T>(r * d + j);
      store<T>(p, load<T>(p) + <T>(c * s));
    }
  }
  return 2 * ld;
}

/**
 * Returns log det(cov(Z) + eps I) (divisor n - 1) and, unless `grad` is 0, ADDS
 * dloss * 2 Zc (cov + eps I)⁻¹ / (n - 1) to grad (n x d). NaN, and no gradient, if not positive definite.
 */
export function nn_logdet_loss(desc: usize, hyper: usize, z: usize, grad: usize, work: usize, dloss: f64): f64 {
  return load<i32>(desc) == 1
    ? logdet<f32>(desc, hyper, z, grad, work, dloss)
    : logdet<f64>(desc, hyper, z, grad, work, dloss);
}
