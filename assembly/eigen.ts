// Eigenvalues and eigenvectors of a dense symmetric d x d matrix by the cyclic Jacobi method.
//
// Why Jacobi rather than Householder tridiagonalisation + implicit QL: the matrices here are small
// (inv_linear's whitened covariances and moment shifts are dz x dz with dz <= 35; "a few hundred"
// at most), where Jacobi's ~3d^3 flops per sweep over 6-10 sweeps cost milliseconds, and Jacobi
// buys accuracy that matters to inv_linear: eigenvectors orthogonal to rounding whatever the
// eigenvalue gaps, and small eigenvalues of a positive semidefinite matrix to high relative
// accuracy (Demmel & Veselic 1992) -- the `gap` rule compares log eigenvalues near zero. It is
// also one short loop with no deflation bookkeeping. Scalar only: the row updates are strided and
// the column updates are two columns of length d, so there is no SIMD twin.
// see: Rutishauser's rotation formulas as in Numerical Recipes' `jacobi` (threshold sweeps),
//      Golub & Van Loan, Matrix Computations, 8.5 (cyclic Jacobi).

function at(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/** Sum of squares of the strictly off-diagonal entries of A (both triangles). */
function offNorm2(d: i32, a: usize, lda: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      if (i != j) {
        const v = load<f64>(at(a, lda, i, j));
        s += v * v;
      }
    }
  }
  return s;
}

/** Applies the rotation in the (p, q) plane that zeroes a_pq, to A (both sides) and to V's columns. */
function rotate(d: i32, a: usize, lda: i32, v: usize, ldv: i32, p: i32, q: i32): void {
  const apq = load<f64>(at(a, lda, p, q));
  const app = load<f64>(at(a, lda, p, p));
  const aqq = load<f64>(at(a, lda, q, q));
  const theta = (aqq - app) / (2.0 * apq);
  // t = tan of the rotation angle, the smaller root; 1/(2 theta) once theta^2 would overflow.
  let t: f64 = Math.abs(theta) > 1e150 ? 0.5 / theta : 1.0 / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
  if (theta < 0 && Math.abs(theta) <= 1e150) t = -t;
  const c = 1.0 / Math.sqrt(t * t + 1.0);
  const s = t * c;
  const tau = s / (1.0 + c);
  store<f64>(at(a, lda, p, p), app - t * apq);
  store<f64>(at(a, lda, q, q), aqq + t * apq);
  store<f64>(at(a, lda, p, q), 0.0);
  store<f64>(at(a, lda, q, p), 0.0);
  for (let k = 0; k < d; k++) {
    if (k == p || k == q) continue;
    const g = load<f64>(at(a, lda, k, p));
    const h = load<f64>(at(a, lda, k, q));
    const gk = g - s * (h + g * tau);
    const hk = h + s * (g - h * tau);
    store<f64>(at(a, lda, k, p), gk);
    store<f64>(at(a, lda, p, k), gk);
    store<f64>(at(a, lda, k, q), hk);
    store<f64>(at(a, lda, q, k), hk);
  }
  for (let k = 0; k < d; k++) {
    const g = load<f64>(at(v, ldv, k, p));
    const h = load<f64>(at(v, ldv, k, q));
    store<f64>(at(v, ldv, k, p), g - s * (h + g * tau));
    store<f64>(at(v, ldv, k, q), h + s * (g - h * tau));
  }
}

/**
 * One cyclic sweep over the pairs p < q. In the first three sweeps only entries above a threshold
 * (a fifth of the mean off-diagonal magnitude) are rotated; later, an entry that is negligible
 * against both its diagonal entries is set to zero instead of rotated (Numerical Recipes).
 */
function sweep(d: i32, a: usize, lda: i32, v: usize, ldv: i32, iter: i32, off2: f64): void {
  const thresh = iter < 3 ? (0.2 * Math.sqrt(off2)) / (<f64>d * <f64>d) : 0.0;
  for (let p = 0; p < d - 1; p++) {
    for (let q = p + 1; q < d; q++) {
      const apq = load<f64>(at(a, lda, p, q));
      const g = 100.0 * Math.abs(apq);
      const app = Math.abs(load<f64>(at(a, lda, p, p)));
      const aqq = Math.abs(load<f64>(at(a, lda, q, q)));
      if (iter > 3 && app + g == app && aqq + g == aqq) {
        store<f64>(at(a, lda, p, q), 0.0);
        store<f64>(at(a, lda, q, p), 0.0);
      } else if (Math.abs(apq) > thresh && apq != 0.0) {
        rotate(d, a, lda, v, ldv, p, q);
      }
    }
  }
}

/** Sorts eigenvalues ascending (stable selection), moving V's columns with them. */
function sortPairs(d: i32, w: usize, v: usize, ldv: i32): void {
  for (let i = 0; i < d - 1; i++) {
    let m = i;
    for (let j = i + 1; j < d; j++) if (load<f64>(w + ((<usize>j) << 3)) < load<f64>(w + ((<usize>m) << 3))) m = j;
    if (m == i) continue;
    const t = load<f64>(w + ((<usize>i) << 3));
    store<f64>(w + ((<usize>i) << 3), load<f64>(w + ((<usize>m) << 3)));
    store<f64>(w + ((<usize>m) << 3), t);
    for (let k = 0; k < d; k++) {
      const x = load<f64>(at(v, ldv, k, i));
      store<f64>(at(v, ldv, k, i), load<f64>(at(v, ldv, k, m)));
      store<f64>(at(v, ldv, k, m), x);
    }
  }
}

/** Flips each eigenvector so that its entry of largest magnitude (the first such) is positive. */
function fixSigns(d: i32, v: usize, ldv: i32): void {
  for (let j = 0; j < d; j++) {
    let big = 0.0;
    let sign = 1.0;
    for (let k = 0; k < d; k++) {
      const x = load<f64>(at(v, ldv, k, j));
      if (Math.abs(x) > big) {
        big = Math.abs(x);
        sign = x < 0 ? -1.0 : 1.0;
      }
    }
    if (sign < 0) for (let k = 0; k < d; k++) store<f64>(at(v, ldv, k, j), -load<f64>(at(v, ldv, k, j)));
  }
}

/**
 * Eigendecomposition A = V diag(w) V^T of a symmetric d x d column-major matrix at `a` (both
 * triangles read; destroyed). Writes the eigenvalues ascending to `w` (d doubles) and the unit
 * eigenvectors as the columns of `v` (d x d, leading dimension ldv), each with its largest-magnitude
 * entry positive. Returns 0, or 1 when the off-diagonal mass has not fallen to 1e-30 of A's squared
 * Frobenius norm (or to zero) within `maxSweeps` sweeps; the outputs then hold the last iterate.
 */
export function eigen_sym(d: i32, a: usize, lda: i32, w: usize, v: usize, ldv: i32, maxSweeps: i32): i32 {
  let diag2 = 0.0;
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) store<f64>(at(v, ldv, i, j), i == j ? 1.0 : 0.0);
    const x = load<f64>(at(a, lda, j, j));
    diag2 += x * x;
  }
  let status = 1;
  for (let iter = 0; iter <= maxSweeps; iter++) {
    const off2 = offNorm2(d, a, lda);
    if (off2 == 0.0 || off2 <= 1e-30 * (off2 + diag2)) {
      status = 0;
      break;
    }
    if (iter == maxSweeps) break;
    sweep(d, a, lda, v, ldv, iter, off2);
    diag2 = 0.0;
    for (let j = 0; j < d; j++) {
      const x = load<f64>(at(a, lda, j, j));
      diag2 += x * x;
    }
  }
  for (let j = 0; j < d; j++) store<f64>(w + ((<usize>j) << 3), load<f64>(at(a, lda, j, j)));
  sortPairs(d, w, v, ldv);
  fixSigns(d, v, ldv);
  return status;
}
