// Log-determinant of a batch covariance: for Z (n x d, one row per observation, row-major),
//   A = Zcᵀ Zc / (n - 1) + eps I,   Zc = Z minus its column means,   loss = log det A = 2 sum_j log L_jj
// with A = L Lᵀ (Cholesky). Gradient: d loss / dA = A⁻¹, so d loss / dZ = 2 Zc A⁻¹ / (n - 1) (the
// centring drops out because the columns of Zc sum to zero). Invariance MR's entropy term is
// -log det(cov + 1e-6 I): pass dloss = -lambda.
// Descriptor: [1] n (>= 2), [2] d. Hyper: [0] eps.
// Work, f64 (`nn_logdet_work_size` = 8 (2 d² + d) bytes): A, its inverse and the means, in f64 for
// both dtypes. Returns NaN and adds nothing when A is not positive definite.
// see: torch.logdet, torch.cov (correction = 1); Murray 2016, "Differentiation of the Cholesky
// decomposition" (d log det A = tr(A⁻¹ dA))

import { chol_inverse, cholesky } from "../cholesky";
import { at, field, hyper, isF32 } from "./desc";

/** Bytes of work space: 8 (2 d² + d). */
export function nn_logdet_work_size(desc: usize): f64 {
  const d = <f64>field(desc, 2);
  return 8 * (2 * d * d + d);
}

function logdet<T>(desc: usize, h: usize, z: usize, grad: usize, work: usize, dloss: f64): f64 {
  const n = field(desc, 1);
  const d = field(desc, 2);
  const a = work;
  const inv = work + at<f64>(d * d);
  const mean = work + at<f64>(2 * d * d);
  for (let j = 0; j < d; j++) {
    let s: f64 = 0;
    for (let r = 0; r < n; r++) s += <f64>load<T>(z + at<T>(r * d + j));
    store<f64>(mean + at<f64>(j), s / n);
  }
  // Lower triangle of A, column-major (the layout of ../cholesky).
  for (let j = 0; j < d; j++) {
    const mj = load<f64>(mean + at<f64>(j));
    for (let i = j; i < d; i++) {
      const mi = load<f64>(mean + at<f64>(i));
      let s: f64 = 0;
      for (let r = 0; r < n; r++) {
        s += (<f64>load<T>(z + at<T>(r * d + i)) - mi) * (<f64>load<T>(z + at<T>(r * d + j)) - mj);
      }
      store<f64>(a + at<f64>(j * d + i), s / (n - 1) + (i == j ? hyper(h, 0) : 0));
    }
  }
  if (cholesky(d, a, d, 0) != 0) return NaN;
  let ld: f64 = 0;
  for (let j = 0; j < d; j++) ld += Math.log(load<f64>(a + at<f64>(j * d + j)));
  if (grad == 0) return 2 * ld;
  chol_inverse(d, a, d, inv);
  const c = (2 * dloss) / (n - 1);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      let s: f64 = 0;
      for (let k = 0; k < d; k++) {
        s += (<f64>load<T>(z + at<T>(r * d + k)) - load<f64>(mean + at<f64>(k))) * load<f64>(inv + at<f64>(j * d + k));
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
  return isF32(desc) ? logdet<f32>(desc, hyper, z, grad, work, dloss) : logdet<f64>(desc, hyper, z, grad, work, dloss);
}
