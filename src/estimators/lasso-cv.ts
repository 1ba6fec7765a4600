import seedrandom from "seedrandom";
import type { Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import { blockMoments, centredForm, combine, type Moments } from "./lasso-moments.js";

/**
 * Cross-validated lasso with scikit-learn's LassoCV semantics (v1.2, defaults): a descending
 * log-spaced alpha grid from alpha_max = max|X_c^T y_c| / n, K contiguous unshuffled folds (the
 * first n mod K one row larger), a warm-started path per fold solved on the Gram form, the mean
 * held-out MSE per alpha with the first minimum winning, and a cold-start refit on all the data. see: sklearn/linear_model/_coordinate_descent.py LassoCV,
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

/** A centred Gram form copied into the core once, for many solves. */
interface GramForm {
  q: number;
  xy: number;
  yy: number;
}

function putForm(core: Core, form: { q: Float64Array; xy: Float64Array; yy: number }): GramForm {
  return { q: core.put(form.q), xy: core.put(form.xy), yy: form.yy };
}

/** Gram coordinate descent from w (in place, at pw). */
function gramSolve(
  core: Core,
  f: GramForm,
  pw: number,
  p: number,
  alphaScaled: number,
  o: { tol: number; maxIter: number },
) {
  return core.scoped(() => {
    const out = core.alloc(2);
    const iters = core.wasm.lasso_cd_gram(p, f.q, f.xy, f.yy, pw, alphaScaled, o.tol, o.maxIter, core.alloc(p), out);
    const [gap, tolScaled] = core.read(out, 2) as unknown as [number, number];
    return { iters, gap, tolScaled, converged: gap < tolScaled };
  });
}

/**
 * Held-out MSE along the alpha path for one fold, in one WASM call: a warm-started Gram path on
 * the training moments, each MSE from the test moments centred on the test block.
 */
function foldPath(
  core: Core,
  all: Moments,
  test: Moments,
  p: number,
  alphas: Float64Array,
  o: Required<LassoCvOptions>,
) {
  const train = centredForm(combine(all, test, -1), p);
  const held = centredForm(test, p);
  return core.scoped(() => {
    const w = core.alloc(p);
    core.view(w, p).fill(0);
    const mse = core.alloc(alphas.length);
    const dx = held.xMean.map((v, j) => v - (train.xMean[j] as number));
    const notConverged = core.wasm.lasso_fold_path(
      p,
      core.put(train.q),
      core.put(train.xy),
      train.yy,
      core.put(alphas),
      alphas.length,
      all.m - test.m,
      o.tol,
      o.maxIter,
      core.put(held.q),
      core.put(held.xy),
      held.yy,
      core.put(dx),
      train.yMean - held.yMean,
      test.m,
      w,
      core.alloc(p),
      core.alloc(p),
      core.alloc(2),
      mse,
    );
    return { mse: core.read(mse, alphas.length), notConverged };
  });
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

/** Centres X (n x p at px) and y (at py) in place; returns the means. */
function centre(core: Core, px: number, py: number, n: number, p: number) {
  const xMeans = core.alloc(p);
  const yMean = core.alloc(1);
  core.wasm.center(n, p, px, n, xMeans);
  core.wasm.center(n, 1, py, n, yMean);
  return { xMeans, yMean: core.view(yMean, 1)[0] as number };
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
    const px = core.put(x.data);
    const py = core.put(y);
    const c = centre(core, px, py, n, p);
    return solvePlain(core, n, p, px, py, c.xMeans, c.yMean, alpha, o);
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
    const { px, py } = load(core, x, y, o.shuffleSeed);
    const { xMeans, yMean } = centre(core, px, py, n, p);
    const blocks = kfoldBounds(n, o.folds).map(([a, b]) => blockMoments(core, px, py, n, p, a, b));
    const all = blocks.slice(1).reduce((acc, bl) => combine(acc, bl, 1), blocks[0] as Moments);
    const full = centredForm(all, p);
    const alphas = alphaGrid(Math.max(...full.xy.map(Math.abs)) / n, o.eps, o.nAlphas);

    const paths = blocks.map((test) => foldPath(core, all, test, p, alphas, o));
    const msePath = Array.from(alphas, (_, k) => Float64Array.from(paths, (f) => f.mse[k] as number));
    const meanMse = Float64Array.from(msePath, (row) => row.reduce((s, v) => s + v, 0) / row.length);
    let best = 0;
    meanMse.forEach((v, k) => {
      if (v < (meanMse[best] as number)) best = k;
    });
    const alpha = alphas[best] as number;

    // The refit solves the Gram form of all the data: scikit-learn's plain coordinate descent
    // makes the same iterates up to rounding, at O(p^2) per sweep instead of O(n p).
    const pw = core.alloc(p);
    core.view(pw, p).fill(0);
    const s = gramSolve(core, putForm(core, full), pw, p, alpha * n, o);
    const coef = core.read(pw, p);
    const means = core.read(xMeans, p).map((v, j) => v + (full.xMean[j] as number));
    const intercept = yMean + full.yMean - coef.reduce((acc, c, j) => acc + c * (means[j] as number), 0);
    const refit: LassoFit = {
      coef,
      intercept,
      nIter: s.iters,
      gap: s.gap,
      tolScaled: s.tolScaled,
      converged: s.converged,
    };
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
