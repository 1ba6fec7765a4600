import type { Core } from "../core/memory.js";
import type { Chunks } from "./lasso-design.js";

/**
 * Sufficient statistics of row blocks for cross-validated least-squares models. One pass over the
 * (globally centred, perhaps standardised) design gives, per fold, the test block's X^T X, column sums, X^T y, sum y and
 * sum y^2; every training fold's centred Gram form and every held-out MSE then follow in O(p^2),
 * so LassoCV touches the n x p data once instead of once per fold and alpha. Everything lives in
 * the core (pointers), allocated in the caller's scope, so the kernels read it without copies.
 */

/** Moments of one block of rows: pointers to X^T X (p x p, column-major), the column sums and X^T y. */
export interface Moments {
  m: number;
  xtx: number;
  sx: number;
  xty: number;
  sy: number;
  syy: number;
}

/**
 * Moments of rows [a, b) of the design Z (read from X a chunk at a time, see lasso-design.ts) and of
 * centred y (at `py`, n doubles); `ones` points to at least `chunks.rows` ones.
 */
export function blockMoments(
  core: Core,
  chunks: Chunks,
  py: number,
  rows: readonly [number, number],
  ones: number,
): Moments {
  const w = core.wasm;
  const { p } = chunks.d;
  const [a, b] = rows;
  const m = b - a;
  const xtx = core.alloc(p * p);
  const sx = core.alloc(p);
  const xty = core.alloc(p);
  core.view(xtx, p * p).fill(0);
  core.view(sx, p).fill(0);
  core.view(xty, p).fill(0);
  for (let i = a; i < b; i += chunks.rows) {
    const r = Math.min(chunks.rows, b - i);
    chunks.load(i, r);
    w.crossprod(r, p, chunks.at, r, chunks.pp);
    addInto(core, xtx, chunks.pp, p * p);
    w.gemv_t(r, p, 1, chunks.at, r, ones, 1, sx);
    w.gemv_t(r, p, 1, chunks.at, r, py + i * 8, 1, xty);
  }
  const y0 = py + a * 8;
  return { m, xtx, sx, xty, sy: w.sum(m, y0), syy: w.dot(m, y0, y0) };
}

/** x += y elementwise over `len` doubles, both in the core. */
function addInto(core: Core, x: number, y: number, len: number): void {
  const h = core.heap;
  const [xi, yi] = [x >>> 3, y >>> 3];
  for (let i = 0; i < len; i++) h[xi + i] = (h[xi + i] as number) + (h[yi + i] as number);
}

/** The moments of all the blocks together, in one new set of buffers. */
export function sumMoments(core: Core, blocks: readonly Moments[], p: number): Moments {
  const first = blocks[0] as Moments;
  const all = { ...first, xtx: core.copy(first.xtx, p * p), sx: core.copy(first.sx, p), xty: core.copy(first.xty, p) };
  for (const b of blocks.slice(1)) {
    addInto(core, all.xtx, b.xtx, p * p);
    addInto(core, all.sx, b.sx, p);
    addInto(core, all.xty, b.xty, p);
    all.m += b.m;
    all.sy += b.sy;
    all.syy += b.syy;
  }
  return all;
}

/** x + sign * y elementwise over `len` doubles, into a new buffer in the core; returns its pointer. */
function addScaled(core: Core, x: number, y: number, len: number, sign: 1 | -1): number {
  const out = core.alloc(len);
  const h = core.heap;
  const [o, xi, yi] = [out >>> 3, x >>> 3, y >>> 3];
  for (let i = 0; i < len; i++) h[o + i] = (h[xi + i] as number) + sign * (h[yi + i] as number);
  return out;
}

/** Sum (sign +1) or difference (sign -1) of two blocks' moments. */
export function combine(core: Core, a: Moments, b: Moments, sign: 1 | -1, p: number): Moments {
  return {
    m: a.m + sign * b.m,
    xtx: addScaled(core, a.xtx, b.xtx, p * p, sign),
    sx: addScaled(core, a.sx, b.sx, p, sign),
    xty: addScaled(core, a.xty, b.xty, p, sign),
    sy: a.sy + sign * b.sy,
    syy: a.syy + sign * b.syy,
  };
}

/** A block's centred Gram form: pointers to q = (X - mean)^T (X - mean), xy = (X - mean)^T (y - mean) and the means. */
export interface GramForm {
  q: number;
  xy: number;
  yy: number;
  xMean: number;
  yMean: number;
}

/**
 * The centred Gram form of a block's moments, ||y - mean||^2 as `yy`. With `reuse` it is written
 * over the moments' X^T X and X^T y (elementwise, so in place is safe): for moments used only once,
 * it saves a p x p buffer.
 */
export function centredForm(core: Core, mo: Moments, p: number, reuse = false): GramForm {
  const { m } = mo;
  const xMean = core.alloc(p);
  const q = reuse ? mo.xtx : core.alloc(p * p);
  const xy = reuse ? mo.xty : core.alloc(p);
  const h = core.heap;
  const [xm, sx, xtx, qq, xty, xyy] = [xMean >>> 3, mo.sx >>> 3, mo.xtx >>> 3, q >>> 3, mo.xty >>> 3, xy >>> 3];
  for (let j = 0; j < p; j++) h[xm + j] = (h[sx + j] as number) / m;
  const yMean = mo.sy / m;
  for (let k = 0; k < p * p; k++)
    h[qq + k] = (h[xtx + k] as number) - (h[sx + (k % p)] as number) * (h[xm + Math.floor(k / p)] as number);
  for (let j = 0; j < p; j++) h[xyy + j] = (h[xty + j] as number) - (h[sx + j] as number) * yMean;
  return { q, xy, yy: mo.syy - mo.sy * yMean, xMean, yMean };
}
