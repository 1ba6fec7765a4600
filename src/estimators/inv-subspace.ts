import seedrandom from "seedrandom";
import { EIGEN_MAX_SWEEPS, type EigenResult } from "../core/linalg.js";
import type { Matrix } from "../core/matrix.js";
import type { Core } from "../core/memory.js";
import { permutation } from "./permutation.js";

/**
 * Stationary subspace analysis for `inv_linear` (docs: invariance-mr.md 3.3; von Buenau et al.
 * 2009): the directions of the whitened instruments whose mean and covariance do not shift between
 * environments. Pure numerics on the core; the estimator (inv-linear.ts) turns them into instruments.
 */

/** How k, the number of invariant directions, is chosen. */
export type KRule = "gap" | "perm" | "oracle";

/** Settings of the subspace search. */
export interface SubspaceOptions {
  readonly rule: KRule;
  /** k under `oracle`. */
  readonly oracleK: number;
  /** Label permutations under `perm`. */
  readonly permutations: number;
  readonly seed: string;
}

/** The invariant subspace found: bases in Z's coordinates, so that W_hat = (Z - mean) basisW. */
export interface Subspace {
  readonly ok: true;
  /** Rank of Z's covariance kept by the whitening (eigenvalues above 1e-10 of the largest). */
  readonly rank: number;
  /** Eigenvalues of M, ascending (rank of them). */
  readonly eigenvalues: Float64Array;
  readonly k: number;
  /** gap: the largest log gap; perm: the 95th percentile of the permuted largest eigenvalues; oracle: NaN. */
  readonly score: number;
  /** dz x k and dz x (rank - k), column-major. */
  readonly basisW: Matrix;
  readonly basisV: Matrix;
}

/** Why no subspace: statuses of FIT_STATUSES. */
export interface SubspaceFailure {
  readonly ok: false;
  readonly reason: "constant_column" | "not_converged" | "too_few_rows" | "too_few_variants" | "no_instruments";
}

/** Eigendecomposition of a symmetric d x d matrix through buffers in the caller's arena scope. */
function eigen(core: Core, d: number, a: Float64Array): EigenResult {
  const pw = core.alloc(d);
  const pv = core.alloc(d * d);
  const status = core.wasm.eigen_sym(d, core.put(a), d, pw, pv, d, EIGEN_MAX_SWEEPS);
  return { values: core.read(pw, d), vectors: { rows: d, cols: d, data: core.read(pv, d * d) }, status };
}

/** Environment labels as 0-based codes of the sorted distinct labels. */
export function environmentCodes(env: Float64Array): { codes: Int32Array; levels: number[] } {
  const levels = [...new Set(env)].sort((a, b) => a - b);
  const index = new Map(levels.map((v, i) => [v, i]));
  const codes = new Int32Array(env.length);
  for (let i = 0; i < env.length; i++) codes[i] = index.get(env[i] as number) as number;
  return { codes, levels };
}

/** The whitening T = Q_r Lambda_r^(-1/2) (dz x r) of the pooled covariance of the centred Z at `zc`. */
function whitening(core: Core, n: number, dz: number, zc: number): Matrix | SubspaceFailure {
  const s = core.alloc(dz * dz);
  core.wasm.crossprod(n, dz, zc, n, s);
  const cov = core.read(s, dz * dz).map((v) => v / (n - 1));
  const eig = eigen(core, dz, cov);
  if (eig.status !== 0) return { ok: false, reason: "not_converged" };
  const max = eig.values[dz - 1] as number;
  if (!(max > 0)) return { ok: false, reason: "constant_column" };
  let r = 0;
  while (r < dz && (eig.values[dz - 1 - r] as number) > 1e-10 * max) r++;
  const t = new Float64Array(dz * r);
  for (let j = 0; j < r; j++) {
    const col = dz - r + j;
    const f = 1 / Math.sqrt(eig.values[col] as number);
    for (let i = 0; i < dz; i++) t[j * dz + i] = (eig.vectors.data[col * dz + i] as number) * f;
  }
  return { rows: dz, cols: r, data: t };
}

/** A (n x p at `x`) times B (p x q, in JavaScript) into a new n x q buffer in the core. */
function times(core: Core, n: number, x: number, b: Matrix): number {
  const out = core.alloc(n * b.cols);
  const pb = core.put(b.data);
  for (let j = 0; j < b.cols; j++) core.wasm.gemv_n(n, b.rows, 1, x, n, pb + j * b.rows * 8, 0, out + j * n * 8);
  return out;
}

/**
 * M = sum over e >= 1 of (m_e - m_0)(m_e - m_0)^T + (C_e - C_0)^2 for the whitened rows at `zt`
 * (n x r) labelled by `codes`; null when an environment has fewer than 2 rows. `ind` is n doubles
 * of scratch in the core.
 */
function shiftMatrix(core: Core, n: number, r: number, zt: number, codes: Int32Array, levels: number, ind: number) {
  const w = core.wasm;
  const sums = core.alloc(r);
  const cross = core.alloc(r * r);
  const moments: { m: Float64Array; c: Float64Array }[] = [];
  for (let e = 0; e < levels; e++) {
    const iv = core.view(ind, n);
    let ne = 0;
    for (let i = 0; i < n; i++) {
      const on = codes[i] === e ? 1 : 0;
      iv[i] = on;
      ne += on;
    }
    if (ne < 2) return null;
    w.gemv_t(n, r, 1, zt, n, ind, 0, sums);
    w.crossprod_w(n, r, zt, n, ind, cross);
    const m = core.read(sums, r).map((v) => v / ne);
    const c = core.read(cross, r * r);
    for (let j = 0; j < r; j++) {
      for (let i = 0; i < r; i++)
        c[j * r + i] = ((c[j * r + i] as number) - ne * (m[i] as number) * (m[j] as number)) / (ne - 1);
    }
    moments.push({ m, c });
  }
  return accumulateShifts(r, moments);
}

/** The sum of the squared mean and covariance shifts of environments 1.. against environment 0. */
function accumulateShifts(r: number, moments: readonly { m: Float64Array; c: Float64Array }[]): Float64Array {
  const out = new Float64Array(r * r);
  const base = moments[0] as { m: Float64Array; c: Float64Array };
  const dc = new Float64Array(r * r);
  for (const { m, c } of moments.slice(1)) {
    for (let q = 0; q < r * r; q++) dc[q] = (c[q] as number) - (base.c[q] as number);
    for (let j = 0; j < r; j++) {
      const dmj = (m[j] as number) - (base.m[j] as number);
      for (let i = 0; i < r; i++) {
        let sq = 0;
        for (let l = 0; l < r; l++) sq += (dc[l * r + i] as number) * (dc[j * r + l] as number);
        out[j * r + i] = (out[j * r + i] as number) + ((m[i] as number) - (base.m[i] as number)) * dmj + sq;
      }
    }
  }
  return out;
}

/** k by the largest gap of log eigenvalues (floored at 1e-12 of the largest): k in 1..r-1. */
export function gapRule(values: Float64Array): { k: number; score: number } {
  const r = values.length;
  const floor = 1e-12 * Math.max(values[r - 1] as number, 0);
  const log = (v: number) => Math.log(Math.max(v, floor));
  let k = 1;
  let score = Number.NEGATIVE_INFINITY;
  for (let j = 1; j < r; j++) {
    const gap = log(values[j] as number) - log(values[j - 1] as number);
    if (gap > score) {
      score = gap;
      k = j;
    }
  }
  return { k, score };
}

/** The q-quantile of xs by linear interpolation between order statistics (numpy's default, type 7). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return (s[lo] as number) + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] as number) - (s[lo] as number));
}

/** 95th percentile of M's largest eigenvalue over permutations of the environment labels. */
function permutationThreshold(
  core: Core,
  n: number,
  r: number,
  zt: number,
  codes: Int32Array,
  levels: number,
  opt: SubspaceOptions,
) {
  const rng = seedrandom.xor4096(opt.seed);
  const rand = () => rng.double();
  const ind = core.alloc(n);
  const shuffled = new Int32Array(n);
  const maxima: number[] = [];
  for (let b = 0; b < opt.permutations; b++) {
    const perm = permutation(n, rand);
    for (let i = 0; i < n; i++) shuffled[i] = codes[perm[i] as number] as number;
    // A permutation keeps each environment's size, so none falls below 2 rows.
    const m = shiftMatrix(core, n, r, zt, shuffled, levels, ind) as Float64Array;
    const eig = eigen(core, r, m);
    maxima.push(eig.values[r - 1] as number);
  }
  return quantile(maxima, 0.95);
}

/** Columns from..to-1 of T R as a dz x (to - from) matrix. */
function basis(t: Matrix, rot: Matrix, from: number, to: number): Matrix {
  const { rows: dz, cols: r } = t;
  const out = new Float64Array(dz * (to - from));
  for (let c = from; c < to; c++) {
    for (let l = 0; l < r; l++) {
      const x = rot.data[c * r + l] as number;
      for (let i = 0; i < dz; i++)
        out[(c - from) * dz + i] = (out[(c - from) * dz + i] as number) + (t.data[l * dz + i] as number) * x;
    }
  }
  return { rows: dz, cols: to - from, data: out };
}

/**
 * Finds the invariant subspace of the n x dz instruments `z` across the environments `codes`
 * (0 .. levels-1). Runs inside the caller's arena scope.
 */
export function invariantSubspace(
  core: Core,
  z: Matrix,
  codes: Int32Array,
  levels: number,
  opt: SubspaceOptions,
): Subspace | SubspaceFailure {
  const n = z.rows;
  const zc = core.put(z.data);
  core.wasm.center(n, z.cols, zc, n, core.alloc(z.cols));
  const t = whitening(core, n, z.cols, zc);
  if (!("data" in t)) return t;
  const r = t.cols;
  const zt = times(core, n, zc, t);
  const m = shiftMatrix(core, n, r, zt, codes, levels, core.alloc(n));
  if (!m) return { ok: false, reason: "too_few_rows" };
  const eig = eigen(core, r, m);
  if (eig.status !== 0) return { ok: false, reason: "not_converged" };
  const values = eig.values;
  let k: number;
  let score = Number.NaN;
  if (opt.rule === "oracle") {
    if (opt.oracleK > r) return { ok: false, reason: "too_few_variants" };
    k = opt.oracleK;
  } else if (opt.rule === "gap") {
    if (r < 2) return { ok: false, reason: "too_few_variants" };
    ({ k, score } = gapRule(values));
  } else {
    score = permutationThreshold(core, n, r, zt, codes, levels, opt);
    k = values.filter((v) => v < score).length;
    if (k === 0) return { ok: false, reason: "no_instruments" };
  }
  return {
    ok: true,
    rank: r,
    eigenvalues: values,
    k,
    score,
    basisW: basis(t, eig.vectors, 0, k),
    basisV: basis(t, eig.vectors, k, r),
  };
}

/** The centred Z times a basis, as column arrays (the recovered latents). */
export function project(core: Core, z: Matrix, b: Matrix): Float64Array[] {
  return core.scoped(projectInCore, core, z, b);
}

function projectInCore(core: Core, z: Matrix, b: Matrix): Float64Array[] {
  const n = z.rows;
  const zc = core.put(z.data);
  core.wasm.center(n, z.cols, zc, n, core.alloc(z.cols));
  const out = times(core, n, zc, b);
  const cols: Float64Array[] = [];
  for (let j = 0; j < b.cols; j++) cols.push(core.read(out + j * n * 8, n));
  return cols;
}
