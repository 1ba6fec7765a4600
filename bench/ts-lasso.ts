import { alphaGrid, kfoldBounds } from "../src/estimators/lasso-cv.js";

/**
 * A plain TypeScript port of the same LassoCV recipe (Gram coordinate descent along the path in
 * each fold, plain coordinate descent for the refit), the baseline the WASM version is timed against.
 */

function centre(x: Float64Array, n: number, p: number): Float64Array {
  const means = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[j * n + i] as number;
    const m = s / n;
    means[j] = m;
    for (let i = 0; i < n; i++) x[j * n + i] = (x[j * n + i] as number) - m;
  }
  return means;
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
      if (old !== 0) for (let k = 0; k < p; k++) h[k] = (h[k] as number) - old * (q[j * p + k] as number);
      const neu = soft((xy[j] as number) - (h[j] as number), alpha, qjj);
      w[j] = neu;
      if (neu !== 0) for (let k = 0; k < p; k++) h[k] = (h[k] as number) + neu * (q[j * p + k] as number);
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

function cdPlain(
  n: number,
  p: number,
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  alpha: number,
  tol: number,
  maxIter: number,
): void {
  const r = Float64Array.from(y);
  const norms = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) yy += (y[i] as number) * (y[i] as number);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) norms[j] = (norms[j] as number) + (x[j * n + i] as number) ** 2;
  const tolS = tol * yy;
  for (let it = 0; it < maxIter; it++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      const nj = norms[j] as number;
      if (nj === 0) continue;
      const o = j * n;
      const old = w[j] as number;
      if (old !== 0) for (let i = 0; i < n; i++) r[i] = (r[i] as number) + old * (x[o + i] as number);
      let t = 0;
      for (let i = 0; i < n; i++) t += (x[o + i] as number) * (r[i] as number);
      const neu = soft(t, alpha, nj);
      w[j] = neu;
      if (neu !== 0) for (let i = 0; i < n; i++) r[i] = (r[i] as number) - neu * (x[o + i] as number);
      dwMax = Math.max(dwMax, Math.abs(neu - old));
      wMax = Math.max(wMax, Math.abs(neu));
    }
    if (wMax === 0 || dwMax / wMax < tol || it === maxIter - 1) {
      let dual = 0;
      let rr = 0;
      let ry = 0;
      let l1 = 0;
      for (let j = 0; j < p; j++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += (x[j * n + i] as number) * (r[i] as number);
        dual = Math.max(dual, Math.abs(g));
        l1 += Math.abs(w[j] as number);
      }
      for (let i = 0; i < n; i++) {
        rr += (r[i] as number) ** 2;
        ry += (r[i] as number) * (y[i] as number);
      }
      const c = dual > alpha ? alpha / dual : 1;
      const gap = (dual > alpha ? 0.5 * (rr + rr * c * c) : rr) + alpha * l1 - c * ry;
      if (gap < tolS) return;
    }
  }
}

/** LassoCV(cv = 5) in plain TypeScript; returns the chosen alpha and the refitted coefficients. */
export function lassoCvTs(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
): { alpha: number; coef: Float64Array } {
  const xc = Float64Array.from(x);
  const yc = Float64Array.from(y);
  centre(xc, n, p);
  centre(yc, n, 1);
  let amax = 0;
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (xc[j * n + i] as number) * (yc[i] as number);
    amax = Math.max(amax, Math.abs(s));
  }
  const alphas = alphaGrid(amax / n, 1e-3, 100);
  const mean = new Float64Array(alphas.length);
  for (const [a, b] of kfoldBounds(n, 5)) {
    const m = n - (b - a);
    const xt = new Float64Array(m * p);
    const yt = new Float64Array(m);
    for (let j = 0; j < p; j++) {
      xt.set(x.subarray(j * n, j * n + a), j * m);
      xt.set(x.subarray(j * n + b, (j + 1) * n), j * m + a);
    }
    yt.set(y.subarray(0, a));
    yt.set(y.subarray(b), a);
    const xm = centre(xt, m, p);
    const ym = centre(yt, m, 1)[0] as number;
    const q = new Float64Array(p * p);
    const xy = new Float64Array(p);
    let yy = 0;
    for (let i = 0; i < m; i++) yy += (yt[i] as number) ** 2;
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += (xt[j * m + i] as number) * (xt[k * m + i] as number);
        q[j * p + k] = s;
      }
      let s = 0;
      for (let i = 0; i < m; i++) s += (xt[j * m + i] as number) * (yt[i] as number);
      xy[j] = s;
    }
    const w = new Float64Array(p);
    alphas.forEach((alpha, k) => {
      cdGram(p, q, xy, yy, w, alpha * m, 1e-4, 1000);
      let icpt = ym;
      for (let j = 0; j < p; j++) icpt -= (xm[j] as number) * (w[j] as number);
      let s = 0;
      for (let i = a; i < b; i++) {
        let pred = icpt;
        for (let j = 0; j < p; j++) pred += (w[j] as number) * (x[j * n + i] as number);
        s += (pred - (y[i] as number)) ** 2;
      }
      mean[k] = (mean[k] as number) + s / (b - a) / 5;
    });
  }
  let best = 0;
  mean.forEach((v, k) => {
    if (v < (mean[best] as number)) best = k;
  });
  const coef = new Float64Array(p);
  cdPlain(n, p, xc, yc, coef, (alphas[best] as number) * n, 1e-4, 1000);
  return { alpha: alphas[best] as number, coef };
}
