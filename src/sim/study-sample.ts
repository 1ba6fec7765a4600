import type { Core } from "../core/memory.js";
import { CONTEXT_NAMES } from "./context-names.js";
import type { StudyParams } from "./study.js";
import type { SimContext } from "./types.js";

const K = CONTEXT_NAMES.length;

/** One sample's draws that depend on people: genotypes, confounder, raw context. */
export interface People {
  g: Float64Array;
  u: Float64Array;
  raw: Float64Array[];
}

/** One sample, assembled: what the frame needs. */
export interface Sample {
  g: Float64Array;
  raw: Float64Array[];
  x: Float64Array;
  y: Float64Array;
  betaI: Float64Array;
  sample: Float64Array;
}

/** Genotypes, U and the ten context variables of n people, in the study's draw order. */
export function drawPeople(ctx: SimContext, mafs: Float64Array, n: number): People {
  const { rng, alloc } = ctx;
  const g = rng.binomialMatrix(2, mafs, n, alloc(n * mafs.length));
  const u = rng.normal(0, 1, n, alloc(n));
  const raw = [
    rng.integers(12, 50, n, alloc(n)),
    rng.integers(0, 2, n, alloc(n)),
    rng.normal(25, 4, n, alloc(n)),
    rng.integers(0, 2, n, alloc(n)),
    rng.normal(170, 10, n, alloc(n)),
    rng.normal(70, 15, n, alloc(n)),
    rng.normal(120, 15, n, alloc(n)),
    rng.normal(200, 40, n, alloc(n)),
    rng.normal(90, 15, n, alloc(n)),
    rng.normal(7, 1.5, n, alloc(n)),
  ];
  return { g, u, raw };
}

/**
 * One sample's columns in the frame's order: Y, X, the ten raw context columns, G0..G{L-1}, and
 * `sample` when there are two samples. Genotype columns are views of the sample's matrix.
 */
export function sampleColumns(s: Sample, n: number, L: number, twoSample: boolean): Float64Array[] {
  const out = [s.y, s.x, ...s.raw];
  for (let j = 0; j < L; j++) out.push(s.g.subarray(j * n, (j + 1) * n));
  if (twoSample) out.push(s.sample);
  return out;
}

/** Samples' columns stacked: column j is every sample's column j end to end (one sample: as is). */
export function joinSamples(ctx: SimContext, samples: readonly Float64Array[][]): Float64Array[] {
  const first = samples[0] as Float64Array[];
  if (samples.length === 1) return first;
  const out: Float64Array[] = [];
  for (let j = 0; j < first.length; j++) {
    let len = 0;
    for (const s of samples) len += (s[j] as Float64Array).length;
    const col = ctx.alloc(len);
    let at = 0;
    for (const s of samples) {
      col.set(s[j] as Float64Array, at);
      at += (s[j] as Float64Array).length;
    }
    out.push(col);
  }
  return out;
}

/** X, Y and the per-person effects of one sample; `sample` numbers it (1, or 2 for the second of two). */
export function assemble(
  ctx: SimContext,
  p: StudyParams,
  people: People,
  noise: { v: Float64Array; e: Float64Array },
  pi: Float64Array,
  theta: Float64Array,
  sample: number,
): Sample {
  const { n } = p;
  const heterogeneous = p.delta.some((d) => d !== 0);
  // C is needed only when it enters X and Y or the effect; skipping it changes no draw.
  const c = p.context || heterogeneous ? standardizedContext(ctx, people.raw, n) : null;
  const gpi = combine(ctx, people.g, n, pi);
  const zero = ctx.alloc(n).fill(0);
  const cgamma = c && p.context ? combine(ctx, c, n, p.gamma) : zero;
  const czeta = c && p.context ? combine(ctx, c, n, p.zeta) : zero;
  const cdelta = c && heterogeneous ? combine(ctx, c, n, p.delta) : zero;
  const pleiotropic = p.theta_sd > 0 || p.theta_mean !== 0;
  const gtheta = pleiotropic ? combine(ctx, people.g, n, theta) : null;
  const betaI = ctx.alloc(n);
  // A local: p.beta read inside the loop boxed a HeapNumber per person (p is a dictionary object).
  const beta = p.beta;
  for (let i = 0; i < n; i++) betaI[i] = beta + (cdelta[i] as number);
  const { x, y } = outcomes(ctx, {
    n,
    context: p.context,
    ux: p.u_x,
    uy: p.u_y,
    gpi,
    cgamma,
    czeta,
    betaI,
    u: people.u,
    v: noise.v,
    e: noise.e,
    gtheta,
  });
  return { g: people.g, raw: people.raw, x, y, betaI, sample: ctx.alloc(n).fill(sample) };
}

/** Sums `a[j] * M[:, j]` over columns of a column-major n x k matrix in the core: M a. */
function combine(ctx: SimContext, m: Float64Array, n: number, a: ArrayLike<number>): Float64Array {
  return ctx.core.scoped(combineInCore, ctx.core, m, n, a, ctx.alloc(n));
}

function combineInCore(core: Core, m: Float64Array, n: number, a: ArrayLike<number>, out: Float64Array): Float64Array {
  const pm = core.put(m);
  const pa = core.put(a);
  const py = core.alloc(n);
  core.wasm.gemv_n(n, a.length, 1, pm, n, pa, 0, py);
  out.set(core.view(py, n));
  return out;
}

/**
 * Standardises the columns of C in place with the population SD, in numpy's arithmetic for
 * C.mean(0) and C.std(0) on a C-ordered array: sequential sums down each column.
 */
function standardize(c: Float64Array, n: number, k: number): void {
  for (let j = 0; j < k; j++) {
    const col = c.subarray(j * n, (j + 1) * n);
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i] as number;
    const mean = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = (col[i] as number) - mean;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / n);
    for (let i = 0; i < n; i++) col[i] = ((col[i] as number) - mean) / sd;
  }
}

/** The inputs of X and Y for every person (gtheta null without pleiotropy). */
interface Terms {
  n: number;
  context: boolean;
  ux: number;
  uy: number;
  gpi: Float64Array;
  cgamma: Float64Array;
  czeta: Float64Array;
  betaI: Float64Array;
  u: Float64Array;
  v: Float64Array;
  e: Float64Array;
  gtheta: Float64Array | null;
}

/**
 * X and Y, in the same association order as the study's numpy expressions (so the numpy backend
 * reproduces them): with context X = ((G pi + C gamma) + U) + v, without X = G pi + (U + v); Y alike.
 */
function outcomes(ctx: SimContext, t: Terms): { x: Float64Array; y: Float64Array } {
  const { n, ux, uy, gpi, cgamma, czeta, betaI, u, v, e } = t;
  const x = ctx.alloc(n);
  const y = ctx.alloc(n);
  if (t.context) {
    for (let i = 0; i < n; i++) {
      const xi = (gpi[i] as number) + (cgamma[i] as number) + ux * (u[i] as number) + (v[i] as number);
      x[i] = xi;
      y[i] = (betaI[i] as number) * xi + (czeta[i] as number) + uy * (u[i] as number) + (e[i] as number);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const xi = (gpi[i] as number) + (ux * (u[i] as number) + (v[i] as number));
      x[i] = xi;
      y[i] = (betaI[i] as number) * xi + (uy * (u[i] as number) + (e[i] as number));
    }
  }
  if (t.gtheta) for (let i = 0; i < n; i++) y[i] = (y[i] as number) + (t.gtheta[i] as number);
  return { x, y };
}

/** The context columns bound column-major and standardised as the study does. */
function standardizedContext(ctx: SimContext, raw: readonly Float64Array[], n: number): Float64Array {
  const c = ctx.alloc(n * K);
  for (let j = 0; j < raw.length; j++) c.set(raw[j] as Float64Array, j * n);
  standardize(c, n, K);
  return c;
}
