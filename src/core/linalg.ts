import type { Matrix } from "./matrix.js";
import type { Core } from "./memory.js";

/**
 * Convenience wrappers that copy JavaScript arrays into the core, run one kernel and copy the
 * result out. Estimators keep their data in the core between kernels instead; these serve the
 * library API, the tests and the benchmarks.
 */

/** Which twin of a kernel to run. */
export interface KernelOptions {
  scalar?: boolean;
}

/** x . y */
export function dot(core: Core, x: Float64Array, y: Float64Array, opt: KernelOptions = {}): number {
  return core.scoped(() => {
    const px = core.put(x);
    const py = core.put(y);
    const f = opt.scalar ? core.wasm.dot_scalar : core.wasm.dot;
    return f(Math.min(x.length, y.length), px, py);
  });
}

/** alpha * op(A) x, where op is A or A^T. */
export function gemv(
  core: Core,
  a: Matrix,
  x: Float64Array,
  trans = false,
  alpha = 1,
  opt: KernelOptions = {},
): Float64Array {
  const outLen = trans ? a.cols : a.rows;
  return core.scoped(() => {
    const pa = core.put(a.data);
    const px = core.put(x);
    const py = core.alloc(outLen);
    const w = core.wasm;
    const f = trans ? (opt.scalar ? w.gemv_t_scalar : w.gemv_t) : opt.scalar ? w.gemv_n_scalar : w.gemv_n;
    f(a.rows, a.cols, alpha, pa, a.rows, px, 0, py);
    return core.read(py, outLen);
  });
}

/** X^T X as a p x p column-major matrix. */
export function crossprod(core: Core, x: Matrix, opt: KernelOptions = {}): Matrix {
  const p = x.cols;
  return core.scoped(() => {
    const px = core.put(x.data);
    const pc = core.alloc(p * p);
    (opt.scalar ? core.wasm.crossprod_scalar : core.wasm.crossprod)(x.rows, p, px, x.rows, pc);
    return { rows: p, cols: p, data: core.read(pc, p * p) };
  });
}

/** Result of a Cholesky factorization: `status` 0, or the 1-based column where it failed. */
export interface CholeskyResult {
  lower: Matrix;
  status: number;
}

/** Lower Cholesky factor of a symmetric matrix (upper triangle of the result zeroed). */
export function cholesky(core: Core, a: Matrix, tol = 0, opt: KernelOptions = {}): CholeskyResult {
  const p = a.rows;
  return core.scoped(() => {
    const pa = core.put(a.data);
    const status = (opt.scalar ? core.wasm.cholesky_scalar : core.wasm.cholesky)(p, pa, p, tol);
    const data = core.read(pa, p * p);
    for (let j = 1; j < p; j++) data.fill(0, j * p, j * p + j);
    return { lower: { rows: p, cols: p, data }, status };
  });
}

/** Solves A X = B given A's lower Cholesky factor; B is p x nrhs. */
export function cholSolve(core: Core, lower: Matrix, b: Matrix, opt: KernelOptions = {}): Matrix {
  const p = lower.rows;
  return core.scoped(() => {
    const pl = core.put(lower.data);
    const pb = core.put(b.data);
    (opt.scalar ? core.wasm.chol_solve_scalar : core.wasm.chol_solve)(p, pl, p, pb, p, b.cols);
    return { rows: p, cols: b.cols, data: core.read(pb, p * b.cols) };
  });
}

/** Sweeps of the Jacobi eigensolver before it reports non-convergence (it needs about 10 at d = 300). */
export const EIGEN_MAX_SWEEPS = 100;

/** Eigendecomposition of a symmetric matrix: `status` 0, or 1 when the Jacobi sweeps did not converge. */
export interface EigenResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Unit eigenvectors as columns (d x d), each with its largest-magnitude entry positive. */
  vectors: Matrix;
  status: number;
}

/** A = V diag(values) V^T for a symmetric matrix (both triangles read; A is not modified). */
export function eigenSym(core: Core, a: Matrix, maxSweeps = EIGEN_MAX_SWEEPS): EigenResult {
  const d = a.rows;
  return core.scoped(() => {
    const pa = core.put(a.data);
    const pw = core.alloc(d);
    const pv = core.alloc(d * d);
    const status = core.wasm.eigen_sym(d, pa, d, pw, pv, d, maxSweeps);
    return { values: core.read(pw, d), vectors: { rows: d, cols: d, data: core.read(pv, d * d) }, status };
  });
}
