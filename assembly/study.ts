// Per-person steps of the study DGP (src/sim/study-sample.ts), in the exact arithmetic of the
// study's numpy code, so the numpy backend still reproduces its datasets bit for bit.

/**
 * Standardises the k columns of the n x k column-major matrix at `c` in place with the population
 * SD, as numpy's C.mean(0) and C.std(0) on a C-ordered array: sequential sums down each column
 * (two columns at a time for instruction-level parallelism; each column's sum keeps its order).
 */
export function standardize_columns(n: i32, k: i32, c: usize): void {
  const col = (<usize>n) << 3;
  let j = 0;
  for (; j + 2 <= k; j += 2) {
    const a = c + <usize>j * col;
    const b = a + col;
    let sa = 0.0;
    let sb = 0.0;
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      sa += load<f64>(a + o);
      sb += load<f64>(b + o);
    }
    const ma = sa / <f64>n;
    const mb = sb / <f64>n;
    let qa = 0.0;
    let qb = 0.0;
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      const da = load<f64>(a + o) - ma;
      const db = load<f64>(b + o) - mb;
      qa += da * da;
      qb += db * db;
    }
    scaleColumn(n, a, ma, Math.sqrt(qa / <f64>n));
    scaleColumn(n, b, mb, Math.sqrt(qb / <f64>n));
  }
  if (j < k) {
    const a = c + <usize>j * col;
    let s = 0.0;
    for (let i = 0; i < n; i++) s += load<f64>(a + ((<usize>i) << 3));
    const m = s / <f64>n;
    let q = 0.0;
    for (let i = 0; i < n; i++) {
      const d = load<f64>(a + ((<usize>i) << 3)) - m;
      q += d * d;
    }
    scaleColumn(n, a, m, Math.sqrt(q / <f64>n));
  }
}

/** x[i] = (x[i] - mean) / sd for the n values at `x`. */
function scaleColumn(n: i32, x: usize, mean: f64, sd: f64): void {
  for (let i = 0; i < n; i++) {
    const p = x + ((<usize>i) << 3);
    store<f64>(p, (load<f64>(p) - mean) / sd);
  }
}

/**
 * X, Y and the per-person effects beta_i = beta + cdelta[i] of n people, in the association order
 * of the study's numpy expressions: with context (context != 0) X = ((G pi + C gamma) + u_x U) + v
 * and Y = ((beta_i X + C zeta) + u_y U) + e; without, X = G pi + (u_x U + v) and
 * Y = beta_i X + (u_y U + e), where C gamma and C zeta are not read. Then Y += G theta when
 * `gtheta` is not 0. Every vector holds n doubles.
 */
export function study_outcomes(
  n: i32,
  context: i32,
  beta: f64,
  ux: f64,
  uy: f64,
  gpi: usize,
  cgamma: usize,
  czeta: usize,
  cdelta: usize,
  u: usize,
  v: usize,
  e: usize,
  gtheta: usize,
  betai: usize,
  x: usize,
  y: usize,
): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const b = beta + load<f64>(cdelta + o);
    const ui = load<f64>(u + o);
    let xi: f64;
    let yi: f64;
    if (context != 0) {
      xi = load<f64>(gpi + o) + load<f64>(cgamma + o) + ux * ui + load<f64>(v + o);
      yi = b * xi + load<f64>(czeta + o) + uy * ui + load<f64>(e + o);
    } else {
      xi = load<f64>(gpi + o) + (ux * ui + load<f64>(v + o));
      yi = b * xi + (uy * ui + load<f64>(e + o));
    }
    if (gtheta != 0) yi = yi + load<f64>(gtheta + o);
    store<f64>(betai + o, b);
    store<f64>(x + o, xi);
    store<f64>(y + o, yi);
  }
}

/**
 * Person-varying instrument effects: pi_j(C_i) = pi_j (1 + C_i . pi_delta) for every SNP j, so the
 * instrument term of X is sum_j G_ij pi_j (1 + cpd[i]) = gpi[i] factor[i] with factor[i] = 1 + cpd[i]
 * (cpd = C pi_delta). Writes factor and the varying term gpi_out; every vector holds n doubles.
 */
export function study_vary_instruments(n: i32, gpi: usize, cpd: usize, factor: usize, gpiOut: usize): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const f = 1.0 + load<f64>(cpd + o);
    store<f64>(factor + o, f);
    store<f64>(gpiOut + o, load<f64>(gpi + o) * f);
  }
}
