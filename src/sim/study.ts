import { frame } from "../data/frame.js";
import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import type { Dgp, SimContext, Simulated } from "./types.js";

/** The context variables of the study, in its coefficient order. */
export const CONTEXT_NAMES = [
  "age",
  "sex",
  "bmi",
  "smoker",
  "height",
  "weight",
  "bp_sys",
  "cholesterol",
  "glucose",
  "sleep",
] as const;

/** Parameters of the `study` DGP; the defaults are the study's `simulate_one_sample_MR`. */
export interface StudyParams {
  n: number;
  L: number;
  beta: number;
  pi_scale: number;
  pi_fixed: number | null;
  sigma_x: number;
  sigma_y: number;
  maf_min: number;
  maf_max: number;
  maf_fixed: number | null;
  u_x: number;
  u_y: number;
  theta_sd: number;
  theta_mean: number;
  context: boolean;
  gamma: readonly number[];
  zeta: readonly number[];
  delta: readonly number[];
  seed: number;
}

const K = CONTEXT_NAMES.length;

const DEFAULTS: StudyParams = {
  n: 5000,
  L: 15,
  beta: 0.3,
  pi_scale: 0.1,
  pi_fixed: null,
  sigma_x: 1,
  sigma_y: 1,
  maf_min: 0.05,
  maf_max: 0.5,
  maf_fixed: null,
  u_x: 1,
  u_y: 1,
  theta_sd: 0,
  theta_mean: 0,
  context: false,
  gamma: [0.03, 0.05, 0.14, 0.16, 0.0, 0.0, 0.08, 0.02, 0.12, -0.06],
  zeta: [0.02, 0.03, 0.1, 0.05, 0.0, 0.0, 0.12, 0.15, 0.18, 0.04],
  delta: new Array<number>(K).fill(0),
  seed: 7,
};

const PARAMS: readonly ParamSpec[] = [
  { name: "n", type: "int", min: 2, help: "number of individuals" },
  { name: "L", type: "int", min: 1, help: "number of SNPs (instruments)" },
  { name: "beta", type: "number", help: "causal effect of X on Y (the average effect when delta is non-zero)" },
  { name: "pi_scale", type: "number", min: 0, help: "SD of the SNP effects on X: pi_j ~ N(0, pi_scale)" },
  {
    name: "pi_fixed",
    type: "number",
    nullable: true,
    help: "one SNP effect for every SNP instead of drawing pi (none = draw)",
  },
  { name: "sigma_x", type: "number", min: 0, help: "SD of the noise in X" },
  { name: "sigma_y", type: "number", min: 0, help: "SD of the noise in Y" },
  { name: "maf_min", type: "number", above: 0, max: 0.5, help: "lower end of the uniform MAF law" },
  { name: "maf_max", type: "number", above: 0, max: 0.5, help: "upper end of the uniform MAF law" },
  {
    name: "maf_fixed",
    type: "number",
    above: 0,
    max: 0.5,
    nullable: true,
    help: "one MAF for every SNP (none = draw)",
  },
  { name: "u_x", type: "number", help: "loading of the confounder U on X" },
  { name: "u_y", type: "number", help: "loading of the confounder U on Y" },
  { name: "theta_sd", type: "number", min: 0, help: "SD of direct (pleiotropic) SNP effects on Y" },
  { name: "theta_mean", type: "number", help: "mean of direct SNP effects on Y (directional pleiotropy)" },
  { name: "context", type: "boolean", help: "context variables C affect X (gamma) and Y (zeta)" },
  { name: "gamma", type: "numbers", length: K, help: "effects of standardised C on X" },
  { name: "zeta", type: "numbers", length: K, help: "effects of standardised C on Y" },
  { name: "delta", type: "numbers", length: K, help: "effect heterogeneity: beta_i = beta + C_i . delta" },
  { name: "seed", type: "int", min: 0, help: "random seed" },
];

/** Sums `a[j] * M[:, j]` over columns of a column-major n x k matrix in the core: M a. */
function combine(ctx: SimContext, m: Float64Array, n: number, a: ArrayLike<number>): Float64Array {
  const { core } = ctx;
  return core.scoped(() => {
    const pm = core.put(m);
    const pa = core.put(a);
    const py = core.alloc(n);
    core.wasm.gemv_n(n, a.length, 1, pm, n, pa, 0, py);
    return core.read(py, n);
  });
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
function outcomes(t: Terms): { x: Float64Array; y: Float64Array } {
  const { n, ux, uy, gpi, cgamma, czeta, betaI, u, v, e } = t;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
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
function standardizedContext(raw: readonly Float64Array[], n: number): Float64Array {
  const c = new Float64Array(n * K);
  raw.forEach((col, j) => {
    c.set(col, j * n);
  });
  standardize(c, n, K);
  return c;
}

function simulateStudy(p: StudyParams, ctx: SimContext): Simulated {
  if (p.maf_fixed === null && p.maf_min > p.maf_max) {
    throw errors.invalid("study", "parameter maf_min", `<= maf_max (${p.maf_max})`, p.maf_min);
  }
  const { rng } = ctx;
  const { n, L } = p;
  const mafs = p.maf_fixed === null ? rng.uniform(p.maf_min, p.maf_max, L) : new Float64Array(L).fill(p.maf_fixed);
  const g = rng.binomialMatrix(2, mafs, n);
  const u = rng.normal(0, 1, n);
  const raw: Float64Array[] = [
    rng.integers(12, 50, n),
    rng.integers(0, 2, n),
    rng.normal(25, 4, n),
    rng.integers(0, 2, n),
    rng.normal(170, 10, n),
    rng.normal(70, 15, n),
    rng.normal(120, 15, n),
    rng.normal(200, 40, n),
    rng.normal(90, 15, n),
    rng.normal(7, 1.5, n),
  ];
  const heterogeneous = p.delta.some((d) => d !== 0);
  // C is needed only when it enters X and Y or the effect; skipping it changes no draw.
  const c = p.context || heterogeneous ? standardizedContext(raw, n) : null;
  const pi = p.pi_fixed === null ? rng.normal(0, p.pi_scale, L) : new Float64Array(L).fill(p.pi_fixed);
  const v = rng.normal(0, p.sigma_x, n);
  const e = rng.normal(0, p.sigma_y, n);
  const pleiotropic = p.theta_sd > 0 || p.theta_mean !== 0;
  const theta = p.theta_sd > 0 ? rng.normal(p.theta_mean, p.theta_sd, L) : new Float64Array(L).fill(p.theta_mean);

  const gpi = combine(ctx, g, n, pi);
  const zero = new Float64Array(n);
  const cgamma = c && p.context ? combine(ctx, c, n, p.gamma) : zero;
  const czeta = c && p.context ? combine(ctx, c, n, p.zeta) : zero;
  const cdelta = c && heterogeneous ? combine(ctx, c, n, p.delta) : zero;
  const gtheta = pleiotropic ? combine(ctx, g, n, theta) : null;
  const betaI = new Float64Array(n);
  for (let i = 0; i < n; i++) betaI[i] = p.beta + (cdelta[i] as number);
  const { x, y } = outcomes({
    n,
    context: p.context,
    ux: p.u_x,
    uy: p.u_y,
    gpi,
    cgamma,
    czeta,
    betaI,
    u,
    v,
    e,
    gtheta,
  });

  const genotypes = Array.from({ length: L }, (_, j) => [`G${j}`, g.subarray(j * n, (j + 1) * n), true] as const);
  const data = frame([
    ["Y", y],
    ["X", x],
    ...CONTEXT_NAMES.map(
      (name, j) => [name, raw[j] as Float64Array, name === "age" || name === "sex" || name === "smoker"] as const,
    ),
    ...genotypes,
  ]);
  return {
    data,
    roles: { outcome: "Y", exposure: "X", instruments: genotypes.map((gj) => gj[0]), context: [...CONTEXT_NAMES] },
    meta: {
      dgp: "study",
      params: { ...p },
      seed: p.seed,
      rng: rng.backend,
      beta_true: p.beta,
      mafs: Array.from(mafs),
      pi: Array.from(pi),
      theta: Array.from(theta),
      beta_individual: heterogeneous ? Array.from(betaI) : null,
    },
  };
}

/** The contextualized-MR study's one-sample simulator, generalised (see docs/dgps.md). */
export const studyDgp: Dgp<StudyParams> = {
  id: "study",
  label: "Contextualized-MR study",
  description:
    "One-sample MR: G ~ Bin(2, MAF), confounder U, 10 context variables, X = G pi [+ C gamma] + U + e_x, Y = beta X [+ C zeta] + U + e_y",
  params: PARAMS,
  defaults: DEFAULTS,
  simulate: simulateStudy,
};
