import seedrandom from "seedrandom";
import { type Matrix, zeros } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import { Chunks, type ImplicitDesign, implicitDesign } from "./lasso-design.js";
import { blockMoments, centredForm, combine, type GramForm, type Moments, sumMoments } from "./lasso-moments.js";
import { permutation } from "./permutation.js";

/**
 * Cross-validated lasso with scikit-learn's LassoCV semantics (v1.2, defaults): a descending
 * log-spaced alpha grid from alpha_max = max|X_c^T y_c| / n, K contiguous unshuffled folds (the
 * first n mod K one row larger), a warm-started path per fold solved on the Gram form, the mean
 * held-out MSE per alpha with the first minimum winning, and a cold-start refit on all the data. see: sklearn/linear_model/_coordinate_descent.py LassoCV,
 * _alpha_grid, _path_residuals; scikit-learn 1.2, as the study's code calls it.
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
  /** Held-out MSE, nAlphas x folds (row = alpha, column = fold), as scikit-learn's mse_path_. */
  msePath: Matrix;
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

/**
 * The rows LassoCV reads: X where it lies with a centred copy of y, or, with a shuffle seed, copies
 * of X (n x p: the one copy of X a fit may make) and y with their rows permuted.
 */
function load(core: Core, d: ImplicitDesign, py: number, seed: string | number | null | undefined) {
  const { n, p } = d;
  if (seed === null || seed === undefined) return { d, py: core.copy(py, n) };
  const rng = seedrandom.xor4096(String(seed));
  // The row indices go into the core as u32 (half as many doubles), before the other allocations.
  const pperm = core.alloc(Math.ceil(n / 2));
  core.u32(pperm, n).set(permutation(n, () => rng.double()));
  const xs = core.alloc(n * p);
  const ys = core.alloc(n);
  core.wasm.gather_rows(n, p, d.x, d.ld, pperm, xs);
  core.wasm.gather_rows(n, 1, py, n, pperm, ys);
  // The means and scales stay X's own (a permutation changes only their rounding).
  return { d: { ...d, x: xs, ld: n }, py: ys };
}

/** Gram coordinate descent from w (in place, at pw); the caller's scope frees its buffers. */
function gramSolve(
  core: Core,
  f: GramForm,
  pw: number,
  p: number,
  alphaScaled: number,
  o: { tol: number; maxIter: number },
) {
  const out = core.alloc(2);
  const iters = core.wasm.lasso_cd_gram(p, f.q, f.xy, f.yy, pw, alphaScaled, o.tol, o.maxIter, core.alloc(p), out);
  const res = core.view(out, 2);
  const gap = res[0] as number;
  const tolScaled = res[1] as number;
  return { iters, gap, tolScaled, converged: gap < tolScaled };
}

/** The alpha grid in the core (at `at`, `count` values, descending). */
interface CoreGrid {
  at: number;
  count: number;
}

/**
 * Held-out MSE along the alpha path for one fold, in one WASM call: a warm-started Gram path on
 * the training moments, each MSE from the test moments centred on the test block. Run it in a
 * scope of its own (its buffers are p x p); returns the MSEs.
 */
function foldPath(core: Core, all: Moments, test: Moments, p: number, alphas: CoreGrid, o: Required<LassoCvOptions>) {
  // Each block's moments serve only its own fold (their sum is made before): both forms overwrite theirs.
  const train = centredForm(core, combine(core, all, test, -1, p), p, true);
  const held = centredForm(core, test, p, true);
  const w = core.alloc(p);
  core.view(w, p).fill(0);
  const mse = core.alloc(alphas.count);
  const dx = core.alloc(p);
  const h = core.heap;
  for (let j = 0; j < p; j++)
    h[(dx >>> 3) + j] = (h[(held.xMean >>> 3) + j] as number) - (h[(train.xMean >>> 3) + j] as number);
  const notConverged = core.wasm.lasso_fold_path(
    p,
    train.q,
    train.xy,
    train.yy,
    alphas.at,
    alphas.count,
    all.m - test.m,
    o.tol,
    o.maxIter,
    held.q,
    held.xy,
    held.yy,
    dx,
    train.yMean - held.yMean,
    test.m,
    w,
    core.alloc(p),
    core.alloc(p),
    core.alloc(2),
    mse,
  );
  return { mse: core.read(mse, alphas.count), notConverged };
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
  const res = core.view(out, 2);
  const gap = res[0] as number;
  const tolScaled = res[1] as number;
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
  return core.scoped(lassoFitInCore, core, x, y, alpha, o);
}

function lassoFitInCore(
  core: Core,
  x: Matrix,
  y: Float64Array,
  alpha: number,
  o: { maxIter: number; tol: number },
): LassoFit {
  const { rows: n, cols: p } = x;
  const px = core.put(x.data);
  const py = core.put(y);
  const c = centre(core, px, py, n, p);
  return solvePlain(core, n, p, px, py, c.xMeans, c.yMean, alpha, o);
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
  return core.scoped(lassoCvLoaded, core, x, y, o);
}

function lassoCvLoaded(core: Core, x: Matrix, y: Float64Array, o: Required<LassoCvOptions>): LassoCvResult {
  const d = implicitDesign(core, { x: core.put(x.data), ld: x.rows }, x.rows, x.cols, false);
  return lassoCvAt(core, d, core.put(y), o);
}

/**
 * `lassoCv` on the design `d` (X where it lies, seen centred or standardised: lasso-design.ts) and
 * y (at `y0`), both left unchanged; all of `opts` must be given. The coefficients and intercept are
 * those of X itself, or of standardised X when `d` standardises. Without shuffling, nothing of size
 * n x p is allocated: the fold moments are made from X a chunk of rows at a time. Its working
 * buffers are freed by the caller's scope.
 */
export function lassoCvAt(core: Core, d0: ImplicitDesign, y0: number, o: Required<LassoCvOptions>): LassoCvResult {
  const { n, p } = d0;
  const { d, py } = load(core, d0, y0, o.shuffleSeed);
  const yMeanAt = core.alloc(1);
  core.wasm.center(n, 1, py, n, yMeanAt);
  const yMean = core.view(yMeanAt, 1)[0] as number;
  const chunks = new Chunks(core, d);
  const ones = core.alloc(chunks.rows);
  core.view(ones, chunks.rows).fill(1);
  const blocks = kfoldBounds(n, o.folds).map((rows) => blockMoments(core, chunks, py, rows, ones));
  const all = sumMoments(core, blocks, p);
  const full = centredForm(core, all, p);
  const fullXy = core.view(full.xy, p);
  let xyMax = 0;
  for (let j = 0; j < p; j++) xyMax = Math.max(xyMax, Math.abs(fullXy[j] as number));
  const alphas = alphaGrid(xyMax / n, o.eps, o.nAlphas);
  const nAlphas = alphas.length;
  const grid = { at: core.put(alphas), count: nAlphas };

  const msePath = zeros(nAlphas, blocks.length);
  let foldsNotConverged = 0;
  blocks.forEach((block, f) => {
    const path = core.scoped(foldPath, core, all, block, p, grid, o);
    msePath.data.set(path.mse, f * nAlphas);
    foldsNotConverged += path.notConverged;
  });
  const meanMse = new Float64Array(nAlphas);
  let best = 0;
  for (let k = 0; k < nAlphas; k++) {
    let sum = 0;
    for (let f = 0; f < blocks.length; f++) sum += msePath.data[f * nAlphas + k] as number;
    meanMse[k] = sum / blocks.length;
    if ((meanMse[k] as number) < (meanMse[best] as number)) best = k;
  }
  const alpha = alphas[best] as number;

  // The refit solves the Gram form of all the data: scikit-learn's plain coordinate descent
  // makes the same iterates up to rounding, at O(p^2) per sweep instead of O(n p).
  const pw = core.alloc(p);
  core.view(pw, p).fill(0);
  const s = gramSolve(core, full, pw, p, alpha * n, o);
  const coef = core.read(pw, p);
  return {
    coef,
    intercept: yMean + full.yMean - fittedAtMeans(core, d, full, coef),
    nIter: s.iters,
    gap: s.gap,
    tolScaled: s.tolScaled,
    converged: s.converged,
    alpha,
    alphas,
    msePath,
    meanMse,
    foldsNotConverged,
  };
}

/**
 * coef . (the mean row of the fitted design): Z's means (rounding-small, as Z is centred) plus,
 * when the coefficients are X's own (not standardised), X's column means.
 */
function fittedAtMeans(core: Core, d: ImplicitDesign, full: GramForm, coef: Float64Array): number {
  const zMean = core.view(full.xMean, d.p);
  const xMean = core.view(d.means, d.p);
  let fitted = 0;
  for (let j = 0; j < d.p; j++) {
    const centre = (zMean[j] as number) + (d.standardized ? 0 : (xMean[j] as number));
    fitted += (coef[j] as number) * centre;
  }
  return fitted;
}
