// Cholesky factorization A = L L^T of a symmetric p x p column-major matrix (lower triangle
// used and overwritten; the strict upper triangle is left alone), and solves with the factor.
// Left-looking, column by column, so every inner loop runs down a contiguous column.
// see: LAPACK dpotf2 (lower), dpotrs

import { axpy, axpy_scalar, dot, dot_scalar, scal, scal_scalar } from "./blas1";

function at(base: usize, ld: i32, i: i32, j: i32): usize {
  return base + ((<usize>j * <usize>ld + <usize>i) << 3);
}

function factor(p: i32, a: usize, lda: i32, tol: f64, simd: bool): i32 {
  for (let j = 0; j < p; j++) {
    const ajj = at(a, lda, j, j);
    const orig = load<f64>(ajj);
    const len = p - j;
    for (let k = 0; k < j; k++) {
      const ljk = load<f64>(at(a, lda, j, k));
      if (simd) axpy(len, -ljk, at(a, lda, j, k), ajj);
      else axpy_scalar(len, -ljk, at(a, lda, j, k), ajj);
    }
    const d = load<f64>(ajj);
    if (!(d > tol * orig) || !(d > 0)) return j + 1;
    const s = Math.sqrt(d);
    if (simd) scal(len, 1.0 / s, ajj);
    else scal_scalar(len, 1.0 / s, ajj);
    store<f64>(ajj, s);
  }
  return 0;
}

/**
 * Factors A in place. Returns 0, or k >= 1 when the k-th pivot (1-based) is not positive or has
 * fallen to tol times its original diagonal or below: for a Gram matrix, pivot / diagonal equals
 * 1 - R^2 of column k regressed on the columns before it, so tol flags near-collinear columns.
 */
export function cholesky(p: i32, a: usize, lda: i32, tol: f64): i32 {
  return factor(p, a, lda, tol, true);
}

/** Scalar twin of `cholesky`. */
export function cholesky_scalar(p: i32, a: usize, lda: i32, tol: f64): i32 {
  return factor(p, a, lda, tol, false);
}

function solve(p: i32, l: usize, ldl: i32, b: usize, ldb: i32, nrhs: i32, simd: bool): void {
  for (let r = 0; r < nrhs; r++) {
    const x = b + ((<usize>r * <usize>ldb) << 3);
    for (let j = 0; j < p; j++) {
      const xj = x + ((<usize>j) << 3);
      const v = load<f64>(xj) / load<f64>(at(l, ldl, j, j));
      store<f64>(xj, v);
      if (simd) axpy(p - j - 1, -v, at(l, ldl, j + 1, j), xj + 8);
      else axpy_scalar(p - j - 1, -v, at(l, ldl, j + 1, j), xj + 8);
    }
    for (let j = p - 1; j >= 0; j--) {
      const xj = x + ((<usize>j) << 3);
      const t = simd
        ? dot(p - j - 1, at(l, ldl, j + 1, j), xj + 8)
        : dot_scalar(p - j - 1, at(l, ldl, j + 1, j), xj + 8);
      store<f64>(xj, (load<f64>(xj) - t) / load<f64>(at(l, ldl, j, j)));
    }
  }
}

/** Solves (L L^T) X = B in place for nrhs right-hand sides (columns of B, leading dimension ldb). */
export function chol_solve(p: i32, l: usize, ldl: i32, b: usize, ldb: i32, nrhs: i32): void {
  solve(p, l, ldl, b, ldb, nrhs, true);
}

/** Scalar twin of `chol_solve`. */
export function chol_solve_scalar(p: i32, l: usize, ldl: i32, b: usize, ldb: i32, nrhs: i32): void {
  solve(p, l, ldl, b, ldb, nrhs, false);
}

/** Writes (L L^T)^-1 into `out` (p x p, leading dimension p) by solving against the identity. */
export function chol_inverse(p: i32, l: usize, ldl: i32, out: usize): void {
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) store<f64>(at(out, p, i, j), i == j ? 1.0 : 0.0);
  }
  solve(p, l, ldl, out, p, p, true);
}
