import type { Core } from "../core/memory.js";

/**
 * Sufficient statistics of row blocks for cross-validated least-squares models. One pass over the
 * (globally centred) data gives, per fold, the test block's X^T X, column sums, X^T y, sum y and
 * sum y^2; every training fold's centred Gram form and every held-out MSE then follow in O(p^2),
 * so LassoCV touches the n x p data once instead of once per fold and alpha.
 */

/** Moments of one block of rows; `xtx` is p x p column-major. */
export interface Moments {
  m: number;
  xtx: Float64Array;
  sx: Float64Array;
  xty: Float64Array;
  sy: number;
  syy: number;
}

/** Moments of rows [a, b) of centred X (n x p at px, leading dimension n) and y (at py). */
export function blockMoments(core: Core, px: number, py: number, n: number, p: number, a: number, b: number): Moments {
  return core.scoped(blockMomentsInCore, core, px, py, n, p, a, b);
}

function blockMomentsInCore(core: Core, px: number, py: number, n: number, p: number, a: number, b: number): Moments {
  const w = core.wasm;
  const m = b - a;
  const xtx = core.alloc(p * p);
  const sx = core.alloc(p);
  const xty = core.alloc(p);
  const ones = core.alloc(m);
  core.view(ones, m).fill(1);
  const x0 = px + a * 8;
  const y0 = py + a * 8;
  w.crossprod(m, p, x0, n, xtx);
  w.gemv_t(m, p, 1, x0, n, ones, 0, sx);
  w.gemv_t(m, p, 1, x0, n, y0, 0, xty);
  return {
    m,
    xtx: core.read(xtx, p * p),
    sx: core.read(sx, p),
    xty: core.read(xty, p),
    sy: w.sum(m, y0),
    syy: w.dot(m, y0, y0),
  };
}

/** x + sign * y, elementwise. */
function addScaled(x: Float64Array, y: Float64Array, sign: 1 | -1): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) + sign * (y[i] as number);
  return out;
}

/** Sum (sign +1) or difference (sign -1) of two blocks' moments. */
export function combine(a: Moments, b: Moments, sign: 1 | -1): Moments {
  return {
    m: a.m + sign * b.m,
    xtx: addScaled(a.xtx, b.xtx, sign),
    sx: addScaled(a.sx, b.sx, sign),
    xty: addScaled(a.xty, b.xty, sign),
    sy: a.sy + sign * b.sy,
    syy: a.syy + sign * b.syy,
  };
}

/** Centred Gram form of a block: (X - mean)^T (X - mean), (X - mean)^T (y - mean), ||y - mean||^2, and the means. */
export function centredForm(mo: Moments, p: number) {
  const { m } = mo;
  const xMean = new Float64Array(p);
  for (let j = 0; j < p; j++) xMean[j] = (mo.sx[j] as number) / m;
  const yMean = mo.sy / m;
  const q = new Float64Array(p * p);
  for (let k = 0; k < p * p; k++)
    q[k] = (mo.xtx[k] as number) - (mo.sx[k % p] as number) * (xMean[Math.floor(k / p)] as number);
  const xy = new Float64Array(p);
  for (let j = 0; j < p; j++) xy[j] = (mo.xty[j] as number) - (mo.sx[j] as number) * yMean;
  return { q, xy, yy: mo.syy - mo.sy * yMean, xMean, yMean };
}
