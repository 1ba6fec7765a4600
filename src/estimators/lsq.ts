import type { Core } from "../core/memory.js";
import { crossWith, type Design, denseDesign, gram, subtractFit } from "./design.js";

/**
 * Least squares on column-centred data held in the core, for models with an intercept: the
 * intercept is absorbed by centring (Frisch-Waugh-Lovell), so slopes, residuals and the slope
 * block of (D^T D)^-1 are exact for the full model. The normal equations are equilibrated to unit
 * diagonal before the Cholesky factorization, which keeps their accuracy close to a QR solve for
 * the well-conditioned designs of MR and lets a small pivot flag collinearity. The design is a
 * dense centred matrix, or columns centred on the fly where they lie (src/estimators/design.ts).
 */

/** Pivot tolerance: a column whose 1 - R^2 on the earlier columns is below this is called collinear. */
export const COLLINEAR_TOL = 1e-10;

/** A successful solve. Pointers live in the caller's arena scope. */
export interface LsqFit {
  readonly ok: true;
  readonly coef: Float64Array;
  /** (D^T D)^-1, p x p column-major. */
  readonly inv: Float64Array;
  readonly rss: number;
  /** Pointer to the n residuals. */
  readonly resid: number;
}

/** A failed solve: which column (0-based) and why. */
export interface LsqFailure {
  readonly ok: false;
  readonly reason: "constant_column" | "collinear";
  readonly column: number;
}

/** Copies columns into the core as one n x p column-major matrix and centres it; returns the pointer. */
export function putCentred(core: Core, columns: readonly Float64Array[], n: number): number {
  const p = columns.length;
  const ptr = core.alloc(n * p);
  const heap = core.heap;
  for (let j = 0; j < p; j++) heap.set(columns[j] as Float64Array, (ptr >>> 3) + j * n);
  const means = core.alloc(p);
  core.wasm.center(n, p, ptr, n, means);
  return ptr;
}

/** An equilibrated Cholesky factor of D^T D, reusable for several right-hand sides. */
export interface LsqFactor {
  readonly ok: true;
  readonly n: number;
  readonly p: number;
  readonly design: Design;
  /** Pointer to the lower factor of S D^T D S, S = diag(scale). */
  readonly chol: number;
  readonly scale: Float64Array;
  /** (D^T D)^-1, p x p column-major. */
  readonly inv: Float64Array;
}

/** Factors the dense centred design D (n x p at `d`); fails on a constant or collinear column. */
export function factorDesign(core: Core, n: number, p: number, d: number): LsqFactor | LsqFailure {
  return factorCentred(core, denseDesign(n, p, d));
}

/** Factors a centred design, dense or implicit; fails on a constant or collinear column. */
export function factorCentred(core: Core, design: Design): LsqFactor | LsqFailure {
  const w = core.wasm;
  const { n, p } = design;
  const c = gram(core, design);
  const scale = new Float64Array(p);
  const cv = core.view(c, p * p);
  for (let j = 0; j < p; j++) {
    const djj = cv[j * p + j] as number;
    if (!(djj > 0)) return { ok: false, reason: "constant_column", column: j };
    scale[j] = 1 / Math.sqrt(djj);
  }
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) cv[j * p + i] = (cv[j * p + i] as number) * (scale[i] as number) * (scale[j] as number);
  }
  const status = w.cholesky(p, c, p, COLLINEAR_TOL);
  if (status !== 0) return { ok: false, reason: "collinear", column: status - 1 };
  const pinv = core.alloc(p * p);
  w.chol_inverse(p, c, p, pinv);
  const inv = core.read(pinv, p * p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++)
      inv[j * p + i] = (inv[j * p + i] as number) * (scale[i] as number) * (scale[j] as number);
  }
  return { ok: true, n, p, design, chol: c, scale, inv };
}

/** Solves min ||y - D b|| with a factored design; y (centred) is at `y`. */
export function solveFactored(core: Core, f: LsqFactor, y: number): LsqFit {
  const w = core.wasm;
  const { n, p, design, scale } = f;
  const b = core.alloc(p);
  crossWith(core, design, y, b);
  const bv = core.view(b, p);
  for (let j = 0; j < p; j++) bv[j] = (bv[j] as number) * (scale[j] as number);
  w.chol_solve(p, f.chol, p, b, p, 1);
  const coef = core.read(b, p);
  for (let j = 0; j < p; j++) coef[j] = (coef[j] as number) * (scale[j] as number);
  const resid = core.copy(y, n);
  subtractFit(core, design, core.put(coef), resid);
  return { ok: true, coef, inv: f.inv, rss: w.dot(n, resid, resid), resid };
}

/** Solves min ||y - D b|| for centred D (n x p at `d`) and centred y (at `y`). */
export function lsq(core: Core, n: number, p: number, d: number, y: number): LsqFit | LsqFailure {
  const f = factorDesign(core, n, p, d);
  return f.ok ? solveFactored(core, f, y) : f;
}

/**
 * Heteroskedasticity-consistent variance of coefficient 0, HC1 flavour:
 * n / (n - k) * [A^-1 D^T diag(e^2) D A^-1]_00 with A^-1 = `inv`, k = parameters including the intercept.
 */
export function hc1Variance(
  core: Core,
  n: number,
  p: number,
  d: number,
  resid: number,
  inv: Float64Array,
  k: number,
): number {
  const w = core.wasm;
  const e2 = core.alloc(n);
  w.square(n, resid, e2);
  const meat = core.alloc(p * p);
  w.crossprod_w(n, p, d, n, e2, meat);
  const m = core.view(meat, p * p);
  let v = 0;
  for (let j = 0; j < p; j++) {
    for (let l = 0; l < p; l++) v += (inv[j * p] as number) * (m[l * p + j] as number) * (inv[l * p] as number);
  }
  return (v * n) / (n - k);
}
