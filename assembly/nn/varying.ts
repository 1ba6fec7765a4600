// The varying-coefficient head: per row, an encoder's K + 1 outputs h = (mu, theta_1 ... theta_K)
// and covariates x_1 ... x_K give the prediction
//   y = (sum_k theta_k x_k) + mu
// (the sum first, then mu: for K = 1 this is the fused encoder's beta * x + mu (assembly/mlp.ts, deleted in issue 20), bit for bit).
// Descriptor: [1] B, [2] K, [3] where mu sits in a row of h:
// 0 = first, h = (mu, theta_1 ... theta_K); 1 = last, h = (theta_1 ... theta_K, mu), the order of
// today's encoder outputs (beta, mu). h is B x (K + 1), x is B x K, y is B, all row-major.
// see: contextualized/regression (NaiveMetamodel: y = beta(C) x + mu(C)); Hastie & Tibshirani 1993,
// varying-coefficient models

import { at, field, isF32 } from "./desc";

/** Where mu sits in a row of h: first (0) or, with [3] = 1, last (K). */
function muAt(desc: usize): i32 {
  return field(desc, 3) == 1 ? field(desc, 2) : 0;
}

/** Where theta_1 sits in a row of h: right after mu, or first when mu is last. */
function thetaAt(desc: usize): i32 {
  return field(desc, 3) == 1 ? 0 : 1;
}

function forward<T>(desc: usize, h: usize, x: usize, y: usize): void {
  const rows = field(desc, 1);
  const k = field(desc, 2);
  const mu = muAt(desc);
  const th = thetaAt(desc);
  for (let r = 0; r < rows; r++) {
    const hr = h + at<T>(r * (k + 1));
    const xr = x + at<T>(r * k);
    let s: T = <T>0;
    if (k > 0) s = load<T>(hr + at<T>(th)) * load<T>(xr);
    for (let j = 1; j < k; j++) s += load<T>(hr + at<T>(th + j)) * load<T>(xr + at<T>(j));
    store<T>(y + at<T>(r), s + load<T>(hr + at<T>(mu)));
  }
}

function backward<T>(desc: usize, h: usize, x: usize, dy: usize, dh: usize, dx: usize): void {
  const rows = field(desc, 1);
  const k = field(desc, 2);
  const mu = muAt(desc);
  const th = thetaAt(desc);
  for (let r = 0; r < rows; r++) {
    const g = load<T>(dy + at<T>(r));
    const xr = x + at<T>(r * k);
    const dhr = dh + at<T>(r * (k + 1));
    store<T>(dhr + at<T>(mu), load<T>(dhr + at<T>(mu)) + g);
    for (let j = 0; j < k; j++) {
      const p = dhr + at<T>(th + j);
      store<T>(p, load<T>(p) + g * load<T>(xr + at<T>(j)));
    }
    if (dx == 0) continue;
    const hr = h + at<T>(r * (k + 1));
    const dxr = dx + at<T>(r * k);
    for (let j = 0; j < k; j++) {
      const p = dxr + at<T>(j);
      store<T>(p, load<T>(p) + g * load<T>(hr + at<T>(th + j)));
    }
  }
}

/** Writes y[b] = sum_k theta_k[b] x_k[b] + mu[b] (see the file header for the layout of h). */
export function nn_varying_forward(desc: usize, h: usize, x: usize, y: usize): void {
  if (isF32(desc)) forward<f32>(desc, h, x, y);
  else forward<f64>(desc, h, x, y);
}

/**
 * Given dy = dLoss/dy, ADDS dLoss/dh to `dh` (d mu = dy, d theta_k = dy x_k) and, unless `dx` is 0,
 * dLoss/dx to `dx` (d x_k = dy theta_k).
 */
export function nn_varying_backward(desc: usize, h: usize, x: usize, dy: usize, dh: usize, dx: usize): void {
  if (isF32(desc)) backward<f32>(desc, h, x, dy, dh, dx);
  else backward<f64>(desc, h, x, dy, dh, dx);
}
