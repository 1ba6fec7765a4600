import { alphaGrid, kfoldBounds } from "../src/estimators/lasso-cv.js";

/**
 * A plain TypeScript port of the same LassoCV algorithm as src/estimators/lasso-cv.ts (block
 * moments in one pass, Gram coordinate descent along each fold's path, held-out MSE by quadratic
 * forms, Gram refit): the baseline the WASM kernels are timed against.
 */

/** One block's moments, as src/estimators/lasso-moments.ts keeps them in the core. */
interface Moments {
  m: number;
  xtx: Float64Array;
  sx: Float64Array;
  xty: Float64Array;
  sy: number;
  syy: number;
}

function addScaled(x: Float64Array, y: Float64Array, sign: 1 | -1): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) + sign * (y[i] as number);
  return out;
}

function combine(a: Moments, b: Moments, sign: 1 | -1): Moments {
  const { xtx, sx, xty } = b;
  return {
    m: a.m + sign * b.m,
    xtx: addScaled(a.xtx, xtx, sign),
    sx: addScaled(a.sx, sx, sign),
    xty: addScaled(a.xty, xty, sign),
    sy: a.sy + sign * b.sy,
    syy: a.syy + sign * b.syy,
  };
}

function centredForm(mo: Moments, p: number) {
  const { m } = mo;
  const xMean = mo.sx.map((s) => s / m);
  const yMean = mo.sy / m;
  const q = mo.xtx.map((v, k) => v - (mo.sx[k % p] as number) * (xMean[Math.floor(k / p)] as number));
  const xy = mo.xty.map((v, j) => v - (mo.sx[j] as number) * yMean);
  return { q, xy, yy: mo.syy - mo.sy * yMean, xMean, yMean };
}

function blockMomentsTs(x: Float64Array, y: Float64Array, n: number, p: number, a: number, b: number): Moments {
  const m = b - a;
  const xtx = new Float64Array(p * p);
  const sx = new Float64Array(p);
  const xty = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const oj = j * n;
    for (let k = j; k < p; k++) {
      const ok = k * n;
      let s = 0;
      for (let i = a; i < b; i++) s += (x[oj + i] as number) * (x[ok + i] as number);
      xtx[k * p + j] = s;
      xtx[j * p + k] = s;
    }
    let s1 = 0;
    let sy = 0;
    for (let i = a; i < b; i++) {
      s1 += x[oj + i] as number;
      sy += (x[oj + i] as number) * (y[i] as number);
    }
    sx[j] = s1;
    xty[j] = sy;
  }
  let sy = 0;
  let syy = 0;
  for (let i = a; i < b; i++) {
    sy += y[i] as number;
    syy += (y[i] as number) ** 2;
  }
  return { m, xtx, sx, xty, sy, syy };
}

function soft(t: number, a: number, d: number): number {
  const m = Math.abs(t) - a;
  return m > 0 ? (t > 0 ? m : -m) / d : 0;
}

function cdGram(
  p: number,
  q: Float64Array,
  xy: Float64Array,
  yy: number,
  w: Float64Array,
  alpha: number,
  tol: number,
  maxIter: number,
): void {
  const h = new Float64Array(p);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++) h[k] = (h[k] as number) + (w[j] as number) * (q[j * p + k] as number);
  const tolS = tol * yy;
  for (let it = 0; it < maxIter; it++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      const qjj = q[j * p + j] as number;
      if (qjj === 0) continue;
      const old = w[j] as number;
      const neu = soft((xy[j] as number) - ((h[j] as number) - qjj * old), alpha, qjj);
      w[j] = neu;
      if (neu !== old) for (let k = 0; k < p; k++) h[k] = (h[k] as number) + (neu - old) * (q[j * p + k] as number);
      dwMax = Math.max(dwMax, Math.abs(neu - old));
      wMax = Math.max(wMax, Math.abs(neu));
    }
    if (wMax === 0 || dwMax / wMax < tol || it === maxIter - 1) {
      let qw = 0;
      let wh = 0;
      let dual = 0;
      let l1 = 0;
      for (let j = 0; j < p; j++) {
        qw += (w[j] as number) * (xy[j] as number);
        wh += (w[j] as number) * (h[j] as number);
        dual = Math.max(dual, Math.abs((xy[j] as number) - (h[j] as number)));
        l1 += Math.abs(w[j] as number);
      }
      const rr = yy + wh - 2 * qw;
      const c = dual > alpha ? alpha / dual : 1;
      const gap = (dual > alpha ? 0.5 * (rr + rr * c * c) : rr) + alpha * l1 - c * yy + c * qw;
      if (gap < tolS) return;
    }
  }
}

function quad(p: number, a: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++) s += (w[j] as number) * (a[k * p + j] as number) * (w[k] as number);
  return s;
}

/** LassoCV(cv = 5) in plain TypeScript; returns the chosen alpha and the refitted coefficients. */
export function lassoCvTs(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
): { alpha: number; coef: Float64Array } {
  const blocks = kfoldBounds(n, 5).map(([a, b]) => blockMomentsTs(x, y, n, p, a, b));
  const all = blocks.slice(1).reduce((acc, bl) => combine(acc, bl, 1), blocks[0] as Moments);
  const full = centredForm(all, p);
  const alphas = alphaGrid(Math.max(...full.xy.map(Math.abs)) / n, 1e-3, 100);
  const mean = new Float64Array(alphas.length);
  for (const test of blocks) {
    const train = centredForm(combine(all, test, -1), p);
    const held = centredForm(test, p);
    const w = new Float64Array(p);
    alphas.forEach((alpha, k) => {
      cdGram(p, train.q, train.xy, train.yy, w, alpha * (n - test.m), 1e-4, 1000);
      let wt = 0;
      let d = train.yMean - held.yMean;
      for (let j = 0; j < p; j++) {
        wt += (w[j] as number) * (held.xy[j] as number);
        d += ((held.xMean[j] as number) - (train.xMean[j] as number)) * (w[j] as number);
      }
      const mse = (quad(p, held.q, w) - 2 * wt + held.yy) / test.m + d * d;
      mean[k] = (mean[k] as number) + mse / blocks.length;
    });
  }
  let best = 0;
  mean.forEach((v, k) => {
    if (v < (mean[best] as number)) best = k;
  });
  const coef = new Float64Array(p);
  cdGram(p, full.q, full.xy, full.yy, coef, (alphas[best] as number) * n, 1e-4, 1000);
  return { alpha: alphas[best] as number, coef };
}
