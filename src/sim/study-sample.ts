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
  /** Per-person instrument-effect factor 1 + C_i . pi_delta, or null when pi_delta is zero. */
  piFactor: Float64Array | null;
  sample: Float64Array;
}

/** Whether instrument effects vary by person (a non-zero pi_delta). */
export function variesInstruments(p: StudyParams): boolean {
  return p.pi_delta.some((d) => d !== 0);
}

/**
 * The laws of the ten context variables, in CONTEXT_NAMES order: integers on [a, b) or normals
 * with mean a and SD b (age, sex, bmi, smoker, height, weight, bp_sys, cholesterol, glucose, sleep).
 */
const CONTEXT_LAWS: ReadonlyArray<readonly ["integers" | "normal", number, number]> = [
  ["integers", 12, 50],
  ["integers", 0, 2],
  ["normal", 25, 4],
  ["integers", 0, 2],
  ["normal", 170, 10],
  ["normal", 70, 15],
  ["normal", 120, 15],
  ["normal", 200, 40],
  ["normal", 90, 15],
  ["normal", 7, 1.5],
];

/**
 * Genotypes, U and the ten context variables of n people, in the study's draw order. The context
 * draws loop over their laws, so the optimising compiler inlines two draw call sites, not ten.
 */
export function drawPeople(ctx: SimContext, mafs: Float64Array, n: number): People {
  const { rng, alloc } = ctx;
  const g = rng.binomialMatrix(2, mafs, n, alloc(n * mafs.length));
  const u = rng.normal(0, 1, n, alloc(n));
  const raw: Float64Array[] = [];
  for (const [law, a, b] of CONTEXT_LAWS) {
    raw.push(law === "integers" ? rng.integers(a, b, n, alloc(n)) : rng.normal(a, b, n, alloc(n)));
  }
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
  const piVaries = variesInstruments(p);
  // C is needed only when it enters X and Y or an effect; skipping it changes no draw.
  const c = p.context || heterogeneous || piVaries ? standardizedContext(ctx, people.raw, n) : null;
  const fixed = combine(ctx, people.g, n, pi);
  const varying = c && piVaries ? varyInstruments(ctx, fixed, combine(ctx, c, n, coefficients(ctx, p.pi_delta))) : null;
  const gpi = varying ? varying.gpi : fixed;
  const zero = ctx.alloc(n).fill(0);
  const cgamma = c && p.context ? combine(ctx, c, n, coefficients(ctx, p.gamma)) : zero;
  const czeta = c && p.context ? combine(ctx, c, n, coefficients(ctx, p.zeta)) : zero;
  const cdelta = c && heterogeneous ? combine(ctx, c, n, coefficients(ctx, p.delta)) : zero;
  const pleiotropic = p.theta_sd > 0 || p.theta_mean !== 0;
  const gtheta = pleiotropic ? combine(ctx, people.g, n, theta) : null;
  const out = { betaI: ctx.alloc(n), x: ctx.alloc(n), y: ctx.alloc(n) };
  const terms: Terms = {
    n,
    context: p.context,
    beta: p.beta,
    u_x: p.u_x,
    u_y: p.u_y,
    gpi,
    cgamma,
    czeta,
    cdelta,
    u: people.u,
    v: noise.v,
    e: noise.e,
    gtheta,
  };
  ctx.core.scoped(outcomesInCore, ctx.core, terms, out);
  const piFactor = varying ? varying.factor : null;
  return { g: people.g, raw: people.raw, ...out, piFactor, sample: ctx.alloc(n).fill(sample) };
}

/**
 * A parameter's coefficients in an array from `ctx.alloc`, like the drawn ones: in a sweep they are
 * then already in the core, and `combine` only ever sees Float64Arrays.
 */
function coefficients(ctx: SimContext, values: readonly number[]): Float64Array {
  const out = ctx.alloc(values.length);
  for (let j = 0; j < values.length; j++) out[j] = values[j] as number;
  return out;
}

/**
 * The instrument term with person-varying effects, by the core's study_vary_instruments: since
 * pi_j(C_i) = pi_j factor_i for every j, sum_j G_ij pi_j(C_i) = (G pi)_i factor_i.
 */
function varyInstruments(
  ctx: SimContext,
  gpi: Float64Array,
  cpd: Float64Array,
): { gpi: Float64Array; factor: Float64Array } {
  const out = { gpi: ctx.alloc(gpi.length), factor: ctx.alloc(gpi.length) };
  ctx.core.scoped(varyInCore, ctx.core, gpi, cpd, out);
  return out;
}

function varyInCore(
  core: Core,
  gpi: Float64Array,
  cpd: Float64Array,
  out: { gpi: Float64Array; factor: Float64Array },
): void {
  const factor = core.target(out.factor);
  const g = core.target(out.gpi);
  core.wasm.study_vary_instruments(gpi.length, core.at(gpi), core.at(cpd), factor, g);
  core.deliver(factor, out.factor);
  core.deliver(g, out.gpi);
}

/** Sums `a[j] * M[:, j]` over columns of a column-major n x k matrix: M a, computed in the core. */
function combine(ctx: SimContext, m: Float64Array, n: number, a: Float64Array): Float64Array {
  return ctx.core.scoped(combineInCore, ctx.core, m, n, a, ctx.alloc(n));
}

function combineInCore(core: Core, m: Float64Array, n: number, a: Float64Array, out: Float64Array): Float64Array {
  const py = core.target(out);
  core.wasm.gemv_n(n, a.length, 1, core.at(m), n, core.at(a), 0, py);
  return core.deliver(py, out);
}

/** The inputs of X and Y for every person (gtheta null without pleiotropy; zeros stand for absent C terms). */
interface Terms {
  n: number;
  context: boolean;
  beta: number;
  u_x: number;
  u_y: number;
  gpi: Float64Array;
  cgamma: Float64Array;
  czeta: Float64Array;
  cdelta: Float64Array;
  u: Float64Array;
  v: Float64Array;
  e: Float64Array;
  gtheta: Float64Array | null;
}

/** X, Y and beta_i by the core's study_outcomes (the study's association order; see assembly/study.ts). */
function outcomesInCore(core: Core, t: Terms, out: { betaI: Float64Array; x: Float64Array; y: Float64Array }): void {
  const betaI = core.target(out.betaI);
  const x = core.target(out.x);
  const y = core.target(out.y);
  core.wasm.study_outcomes(
    t.n,
    t.context ? 1 : 0,
    t.beta,
    t.u_x,
    t.u_y,
    core.at(t.gpi),
    core.at(t.cgamma),
    core.at(t.czeta),
    core.at(t.cdelta),
    core.at(t.u),
    core.at(t.v),
    core.at(t.e),
    t.gtheta ? core.at(t.gtheta) : 0,
    betaI,
    x,
    y,
  );
  core.deliver(betaI, out.betaI);
  core.deliver(x, out.x);
  core.deliver(y, out.y);
}

/**
 * The context columns bound column-major and standardised with the population SD, in numpy's
 * arithmetic for C.mean(0) and C.std(0) on a C-ordered array (the core's standardize_columns).
 */
function standardizedContext(ctx: SimContext, raw: readonly Float64Array[], n: number): Float64Array {
  const c = ctx.alloc(n * K);
  for (let j = 0; j < raw.length; j++) c.set(raw[j] as Float64Array, j * n);
  return ctx.core.scoped(standardizeInCore, ctx.core, c, n);
}

function standardizeInCore(core: Core, c: Float64Array, n: number): Float64Array {
  const pc = core.at(c);
  core.wasm.standardize_columns(n, K, pc);
  return core.deliver(pc, c);
}
