import seedrandom from "seedrandom";
import type { Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";

/**
 * Cross-validated lasso with scikit-learn's LassoCV semantics (v1.2, defaults): a descending
 * log-spaced alpha grid from alpha_max = max|X_c^T y_c| / n, K contiguous unshuffled folds (the
 * first n mod K one row larger), a warm-started path per fold solved on the Gram form, the mean
 * held-out MSE per alpha with the first minimum winning, and a cold-start refit on all the data
 * with plain coordinate descent. see: sklearn/linear_model/_coordinate_descent.py LassoCV,
 * _alpha_grid, _path_residuals; ../shared/docs/study-code-notes.md section 1.2.
 */

/** Options of `lassoCv` (scikit-learn's defaults). */
export interface LassoCvOptions {
  folds?: number;
  nAlphas?: number;
  eps?: number;
  maxIter?: number;
  tol?: number;
  /** Shuffle rows before splitting, with this seed (scikit-learn's default is no shuffling). */
  shuffleSeed?: string | number | null;
}

/** Result of `lassoCv`. */
export interface LassoCvResult extends LassoFit {
  alpha: number;
  /** The alpha grid, descending. */
  alphas: Float64Array;
  /** Held-out MSE, nAlphas x folds (row = alpha), as scikit-learn's mse_path_. */
  msePath: Float64Array[];
  meanMse: Float64Array;
  /** Path solves (folds x alphas) that hit maxIter. */
  foldsNotConverged: number;
}

/** numpy.logspace(log10(amax * eps), log10(amax), num)[::-1], with numpy's linspace arithmetic. */
export function alphaGrid(alphaMax: number, eps: number, num: number): Float64Array {
  // numpy.finfo(float).resolution: scikit-learn returns a flat grid at it when y is constant.
  if (!(alphaMax > 1e-15)) return new Float64Array(num).fill(1e-15);
  const start = Math.log10(alphaMax * eps);
  const stop = Math.log10(alphaMax);
  const step = (stop - start) / (num - 1);
  const out = new Float64Array(num);
  for (let i = 0; i < num; i++) out[num - 1 - i] = 10 ** (i === num - 1 ? stop : i * step + start);
  return out;
}

/** Fold boundaries of scikit-learn's KFold(k): [start, end) of each test block. */
export function kfoldBounds(n: number, k: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    out.push([at, at + size]);
    at += size;
  }
  return out;
}

/** Copies X (n x p) and y into the core, rows permuted when a shuffle seed is given. */
function load(
  core: Core,
  x: Matrix,
  y: Float64Array,
  seed: string | number | null | undefined,
): { px: number; py: number } {
  const { rows: n, cols: p } = x;
  if (seed === null || seed === undefined) return { px: core.put(x.data), py: core.put(y) };
  const perm = Array.from({ length: n }, (_, i) => i);
  const rng = seedrandom.xor4096(String(seed));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.double() * (i + 1));
    [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
  }
  const xs = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) xs[j * n + i] = x.data[j * n + (perm[i] as number)] as number;
  return { px: core.put(xs), py: core.put(perm.map((i) => y[i] as number)) };
}

/** Copies rows [0, a) and [b, n) of X and y into new centred buffers; returns them with the means. */
function trainFold(core: Core, px: number, py: number, n: number, p: number, a: number, b: number) {
  const m = n - (b - a);
  const xt = core.alloc(m * p);
  const yt = core.alloc(m);
  const heap = core.heap;
  const copyRows = (src: number, dst: number) => {
    heap.copyWithin(dst >>> 3, src >>> 3, (src >>> 3) + a);
    heap.copyWithin((dst >>> 3) + a, (src >>> 3) + b, (src >>> 3) + n);
  };
  for (let j = 0; j < p; j++) copyRows(px + j * n * 8, xt + j * m * 8);
  copyRows(py, yt);
  const xMeans = core.alloc(p);
  const yMean = core.alloc(1);
  core.wasm.center(m, p, xt, m, xMeans);
  core.wasm.center(m, 1, yt, m, yMean);
  return { m, xt, yt, xMeans, yMean: core.view(yMean, 1)[0] as number };
}

/** Held-out MSE of one fold along the whole alpha path (warm-started Gram coordinate descent). */
function foldPath(
  core: Core,
  px: number,
  py: number,
  n: number,
  p: number,
  a: number,
  b: number,
  alphas: Float64Array,
  o: Required<LassoCvOptions>,
) {
  const w = core.wasm;
  const t = trainFold(core, px, py, n, p, a, b);
  const q = core.alloc(p * p);
  const xy = core.alloc(p);
  w.crossprod(t.m, p, t.xt, t.m, q);
  w.gemv_t(t.m, p, 1, t.xt, t.m, t.yt, 0, xy);
  const yy = w.dot(t.m, t.yt, t.yt);
  const coef = core.alloc(p);
  core.view(coef, p).fill(0);
  const h = core.alloc(p);
  const out = core.alloc(2);
  const pred = core.alloc(b - a);
  const mse = new Float64Array(alphas.length);
  let notConverged = 0;
  alphas.forEach((alpha, k) => {
    const iters = w.lasso_cd_gram(p, q, xy, yy, coef, alpha * t.m, o.tol, o.maxIter, h, out);
    const [gap, tolScaled] = core.view(out, 2);
    if (iters >= o.maxIter && !((gap as number) < (tolScaled as number))) notConverged++;
    const intercept = t.yMean - w.dot(p, t.xMeans, coef);
    w.gemv_n(b - a, p, 1, px + a * 8, n, coef, 0, pred);
    mse[k] = w.mse_shift(b - a, pred, py + a * 8, intercept);
  });
  return { mse, notConverged };
}

/** A single lasso fit: coefficients, intercept, sweeps, final duality gap and the tolerance it had to reach. */
export interface LassoFit {
  coef: Float64Array;
  intercept: number;
  nIter: number;
  gap: number;
  tolScaled: number;
  converged: boolean;
}

/** Plain coordinate descent from w = 0 on centred data already in the core (scikit-learn's Lasso.fit). */
function solvePlain(
  core: Core,
  n: number,
  p: number,
  xc: number,
  yc: number,
  xMeans: number,
  yMean: number,
  alpha: number,
  o: { maxIter: number; tol: number },
): LassoFit {
  const w = core.wasm;
  const coef = core.alloc(p);
  core.view(coef, p).fill(0);
  const norms = core.alloc(p);
  const r = core.alloc(n);
  const out = core.alloc(2);
  const nIter = w.lasso_cd(n, p, xc, n, yc, coef, alpha * n, o.tol, o.maxIter, norms, r, out);
  const [gap, tolScaled] = core.read(out, 2) as unknown as [number, number];
  const intercept = yMean - w.dot(p, xMeans, coef);
  return { coef: core.read(coef, p), intercept, nIter, gap, tolScaled, converged: gap < tolScaled };
}

/** Centres copies of X and y in the core; returns their pointers and means. */
function centred(core: Core, px: number, py: number, n: number, p: number) {
  const xc = core.alloc(n * p);
  const yc = core.alloc(n);
  core.heap.copyWithin(xc >>> 3, px >>> 3, (px >>> 3) + n * p);
  core.heap.copyWithin(yc >>> 3, py >>> 3, (py >>> 3) + n);
  const xMeans = core.alloc(p);
  const yMean = core.alloc(1);
  core.wasm.center(n, p, xc, n, xMeans);
  core.wasm.center(n, 1, yc, n, yMean);
  return { xc, yc, xMeans, yMean: core.view(yMean, 1)[0] as number };
}

/** The lasso at one penalty (scikit-learn's Lasso(alpha, precompute=False).fit): cold start, intercept by centring. */
export function lassoFit(
  core: Core,
  x: Matrix,
  y: Float64Array,
  alpha: number,
  opts: { maxIter?: number; tol?: number } = {},
): LassoFit {
  const o = { maxIter: 1000, tol: 1e-4, ...opts };
  const { rows: n, cols: p } = x;
  return core.scoped(() => {
    const c = centred(core, core.put(x.data), core.put(y), n, p);
    return solvePlain(core, n, p, c.xc, c.yc, c.xMeans, c.yMean, alpha, o);
  });
}

/** Cross-validated lasso of y on the columns of X; see the module comment for the exact recipe. */
export function lassoCv(core: Core, x: Matrix, y: Float64Array, opts: LassoCvOptions = {}): LassoCvResult {
  const o: Required<LassoCvOptions> = {
    folds: 5,
    nAlphas: 100,
    eps: 1e-3,
    maxIter: 1000,
    tol: 1e-4,
    shuffleSeed: null,
    ...opts,
  };
  const { rows: n, cols: p } = x;
  return core.scoped(() => {
    const w = core.wasm;
    const { px, py } = load(core, x, y, o.shuffleSeed);
    const { xc, yc, xMeans, yMean } = centred(core, px, py, n, p);
    const xy = core.alloc(p);
    w.gemv_t(n, p, 1, xc, n, yc, 0, xy);
    const alphas = alphaGrid(w.amax(p, xy) / n, o.eps, o.nAlphas);

    const bounds = kfoldBounds(n, o.folds);
    const paths = bounds.map(([a, b]) => core.scoped(() => foldPath(core, px, py, n, p, a, b, alphas, o)));
    const msePath = Array.from(alphas, (_, k) => Float64Array.from(paths, (f) => f.mse[k] as number));
    const meanMse = Float64Array.from(msePath, (row) => row.reduce((s, v) => s + v, 0) / row.length);
    let best = 0;
    meanMse.forEach((v, k) => {
      if (v < (meanMse[best] as number)) best = k;
    });
    const alpha = alphas[best] as number;

    const refit = solvePlain(core, n, p, xc, yc, xMeans, yMean, alpha, o);
    return {
      ...refit,
      alpha,
      alphas,
      msePath,
      meanMse,
      foldsNotConverged: paths.reduce((s, f) => s + f.notConverged, 0),
    };
  });
}
