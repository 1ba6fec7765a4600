import type { Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import { errors } from "../errors.js";
import { seedrandomStream } from "../sim/numpy/stream.js";
import type { RandomStream } from "../sim/rng.js";

/**
 * MM-regression reproducing `robustbase::lmrob(y ~ X - 1, weights = w)` with its default control
 * (method "MM", bisquare psi, `.vcov.avar1`) on the core's `lmrob_mm` (assembly/stats/lmrob.ts).
 * The S-start's random subsamples are drawn here from a seeded stream and passed in, so a fit is
 * reproducible from its seed; they are not R's draws, so fits agree with R's where the S-step
 * finds the same optimum (well-posed data), not bit for bit. Always the "fast_s" path: robustbase
 * switches to its large-n variant above n = 2000 rows (fast.s.large.n), which this does not copy.
 */

/** lmrob.control's settings that the fit reads (robustbase 0.95 defaults in LMROB_DEFAULTS). */
export interface LmrobControl {
  /** Breakdown tuning constant of the S-step's bisquare chi (50% breakdown). */
  tuningChi: number;
  /** Right side b of the M-scale equation. */
  bb: number;
  /** Efficiency tuning constant of the M-step's bisquare psi (95% efficiency). */
  tuningPsi: number;
  /** Random subsamples of the S-step. */
  nResample: number;
  /** Candidates refined to convergence. */
  bestR: number;
  /** IRWLS steps per subsample candidate. */
  kFastS: number;
  /** Maximum refinement steps of the S candidates. */
  kMax: number;
  /** Maximum iterations of the M-scale. */
  maxitScale: number;
  /** Convergence of an S refinement: ||change||_2 <= refineTol ||beta||_2. */
  refineTol: number;
  /** Convergence of the M-step: ||change||_1 <= relTol ||beta||_1. */
  relTol: number;
  /** Convergence of the M-scale: relative change <= scaleTol. */
  scaleTol: number;
  /** Pivot tolerance of a subsample's exact fit. */
  solveTol: number;
  /** M-step iteration limit (at most maxIt - 1 steps, as robustbase counts). */
  maxIt: number;
  /**
   * Rows of each subsample's random order (default min(n, p + 8)): lmrob's "nonsingular"
   * subsampling walks a random permutation until p independent rows are found; a subsample whose
   * first `subsampleRows` rows do not hold p independent ones is skipped (counted in `skipped`).
   */
  subsampleRows?: number;
  /** Explicit row orders, `nResample` x `subsampleRows` (row-major), instead of random draws. */
  subsamples?: Int32Array;
}

/** robustbase::lmrob.control() defaults (0.95-0). */
export const LMROB_DEFAULTS: Readonly<LmrobControl> = {
  tuningChi: 1.54764,
  bb: 0.5,
  tuningPsi: 4.685061,
  nResample: 500,
  bestR: 2,
  kFastS: 1,
  kMax: 200,
  maxitScale: 200,
  refineTol: 1e-7,
  relTol: 1e-7,
  scaleTol: 1e-10,
  solveTol: 1e-7,
  maxIt: 50,
};

/** Outcome of a fit: `ok`, or what robustbase would warn about or stop on. */
export type LmrobStatus = "ok" | "not_converged" | "singular" | "exact_fit";

const STATUSES: readonly LmrobStatus[] = ["ok", "not_converged", "singular", "exact_fit"];

/** An MM fit. `cov`/`se` are NaN unless converged (robustbase reports none), 0 for an exact fit. */
export interface LmrobFit {
  status: LmrobStatus;
  coefficients: Float64Array;
  /** p x p column-major `.vcov.avar1` covariance. */
  cov: Float64Array;
  se: Float64Array;
  /** The S-estimate's scale, which the M-step keeps (summary()$sigma). */
  scale: number;
  /** The S-estimate the M-step started from. */
  sCoefficients: Float64Array;
  /** y - X beta (unweighted). */
  residuals: Float64Array;
  /** Robustness weights psi(r/s)/(r/s) of the weighted residuals. */
  rweights: Float64Array;
  /** Most refinement steps of an S candidate, and M-step iterations. */
  iterations: { s: number; m: number };
  converged: { s: boolean; m: boolean };
  /** Subsamples without p independent rows among their first `subsampleRows`. */
  skipped: number;
  /** Negative eigenvalues of the covariance set to zero (robustbase's posdefify). */
  negativeEigen: number;
}

/**
 * `count` random row orders of length m from 0..n-1, row-major: each is the prefix of a
 * permutation drawn as R's sample_noreplace does (j = floor(left * U), swap the last in).
 */
export function drawSubsamples(n: number, m: number, count: number, rng: RandomStream): Int32Array {
  const u = rng.uniform(0, 1, count * m);
  const out = new Int32Array(count * m);
  const pool = new Int32Array(n);
  for (let t = 0; t < count; t++) {
    for (let i = 0; i < n; i++) pool[i] = i;
    let left = n;
    for (let i = 0; i < m; i++) {
      const j = Math.floor(left * (u[t * m + i] as number));
      out[t * m + i] = pool[j] as number;
      left--;
      pool[j] = pool[left] as number;
    }
  }
  return out;
}

/** Checks the inputs; returns the number of rows each subsample order holds. */
function check(x: Matrix, y: Float64Array, weights: Float64Array | undefined, c: LmrobControl): number {
  const where = "lmrob";
  const { rows: n, cols: p } = x;
  if (!(p >= 1 && n > p)) throw errors.invalid(where, "the number of rows", `more than the ${p} columns`, n);
  if (y.length !== n) throw errors.invalid(where, "the length of y", `the ${n} rows of X`, y.length);
  if (!x.data.every(Number.isFinite)) throw errors.invalid(where, "X", "finite", "a non-finite value");
  if (!y.every(Number.isFinite)) throw errors.invalid(where, "y", "finite", "a non-finite value");
  if (weights) {
    if (weights.length !== n) throw errors.invalid(where, "the length of weights", `${n}`, weights.length);
    const bad = weights.find((w) => !(w > 0 && Number.isFinite(w)));
    if (bad !== undefined) throw errors.invalid(where, "each weight", "positive and finite", bad);
  }
  for (const k of ["nResample", "bestR", "kFastS", "kMax", "maxitScale", "maxIt"] as const) {
    if (!(Number.isInteger(c[k]) && c[k] >= 1)) throw errors.invalid(where, k, "a positive integer", c[k]);
  }
  const m = c.subsampleRows ?? Math.min(n, p + 8);
  if (!(Number.isInteger(m) && m >= p && m <= n)) {
    throw errors.invalid(where, "subsampleRows", `an integer from ${p} to ${n}`, m);
  }
  const s = c.subsamples;
  if (s && (s.length !== c.nResample * m || !s.every((i) => i >= 0 && i < n))) {
    throw errors.invalid(where, "subsamples", `${c.nResample} x ${m} row indices below ${n}`, s.length);
  }
  return m;
}

/**
 * Fits y on the columns of x (include a column of ones for an intercept) with prior weights
 * (rows scaled by their square roots, as lmrob does), drawing the subsamples from `rng` (a stream,
 * or a seed for the project's seedrandom-seeded PCG64) unless `options.subsamples` gives them.
 */
export function lmrob(
  core: Core,
  x: Matrix,
  y: Float64Array,
  weights: Float64Array | undefined,
  rng: RandomStream | number | string,
  options: Partial<LmrobControl> = {},
): LmrobFit {
  const c: LmrobControl = { ...LMROB_DEFAULTS, ...options };
  const m = check(x, y, weights, c);
  const stream = typeof rng === "object" ? rng : seedrandomStream(rng, core);
  const sub = c.subsamples ?? drawSubsamples(x.rows, m, c.nResample, stream);
  return core.scoped(fitInCore, core, x, y, weights, sub, m, c);
}

function fitInCore(
  core: Core,
  x: Matrix,
  y: Float64Array,
  weights: Float64Array | undefined,
  sub: Int32Array,
  m: number,
  c: LmrobControl,
): LmrobFit {
  const { rows: n, cols: p } = x;
  const w = core.wasm;
  const ctrl = [c.tuningChi, c.bb, c.tuningPsi, c.bestR, c.kFastS, c.kMax, c.maxitScale];
  ctrl.push(c.refineTol, c.relTol, c.scaleTol, c.solveTol, c.maxIt);
  const outLen = w.lmrob_out_size(n, p);
  const work = core.alloc(w.lmrob_work_size(n, p, c.bestR));
  const out = core.alloc(outLen);
  const subPtr = core.alloc(Math.ceil(sub.length / 2));
  const xPtr = core.put(x.data);
  const yPtr = core.put(y);
  const wPtr = weights ? core.put(weights) : 0;
  const ctrlPtr = core.put(ctrl);
  new Int32Array(w.memory.buffer, subPtr, sub.length).set(sub);
  const code = w.lmrob_mm(n, p, xPtr, yPtr, wPtr, subPtr, m, c.nResample, ctrlPtr, work, out);
  const status = STATUSES[code];
  if (status === undefined) throw new Error(`lmrob_mm returned status ${code} (bug)`);
  return unpack(core.read(out, outLen), n, p, status);
}

function unpack(o: Float64Array, n: number, p: number, status: LmrobStatus): LmrobFit {
  const cov = o.slice(p, p + p * p);
  const s = p + p * p;
  const t = s + 8;
  return {
    status,
    coefficients: o.slice(0, p),
    cov,
    se: Float64Array.from({ length: p }, (_, j) => Math.sqrt(cov[j * p + j] as number)),
    scale: o[s] as number,
    sCoefficients: o.slice(t, t + p),
    residuals: o.slice(t + p, t + p + n),
    rweights: o.slice(t + p + n, t + p + 2 * n),
    iterations: { s: o[s + 1] as number, m: o[s + 2] as number },
    converged: { s: o[s + 3] === 1, m: o[s + 4] === 1 },
    skipped: o[s + 5] as number,
    negativeEigen: o[s + 6] as number,
  };
}
