import { frame } from "../data/frame.js";
import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import { CONTEXT_NAMES } from "./context-names.js";
import { assemble, drawPeople, joinSamples, type Sample, sampleColumns, variesInstruments } from "./study-sample.js";
import type { Dgp, Roles, SimContext, Simulated } from "./types.js";

export { CONTEXT_NAMES } from "./context-names.js";

/** Parameters of the `study` DGP; the defaults are the study's `simulate_one_sample_MR`. */
export interface StudyParams {
  n: number;
  L: number;
  beta: number;
  pi_scale: number;
  pi_mean: number;
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
  pleiotropic_fraction: number;
  two_sample: boolean;
  pi_draw: PiDraw;
  design_seed: number;
  context: boolean;
  gamma: readonly number[];
  zeta: readonly number[];
  delta: readonly number[];
  pi_delta: readonly number[];
  seed: number;
}

/** Whether the per-SNP design (MAFs, pi, theta) is drawn in every replicate or once per cell. */
export type PiDraw = "replicate" | "cell";

const K = CONTEXT_NAMES.length;

/**
 * The design stream of pi_draw "cell" is seeded with DESIGN_STREAM + design_seed: never a
 * replicate's own stream (with --rng numpy it is np.random.default_rng([design_seed, 1])).
 */
const DESIGN_STREAM = 2 ** 32;
/** Columns with non-integer values; the others (genotypes, age, sex, smoker, sample) are written as integers. */
const REAL_COLUMNS = new Set(["Y", "X", ...CONTEXT_NAMES.filter((c) => !["age", "sex", "smoker"].includes(c))]);
/** The frame's first columns, in order; the genotypes G0.. follow, then `sample` for two samples. */
const STUDY_LEADING = ["Y", "X", ...CONTEXT_NAMES];

/** G0 .. G{L-1}. */
function instrumentNames(L: number): string[] {
  const out: string[] = [];
  for (let j = 0; j < L; j++) out.push(`G${j}`);
  return out;
}

const DEFAULTS: StudyParams = {
  n: 5000,
  L: 15,
  beta: 0.3,
  pi_scale: 0.1,
  pi_mean: 0,
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
  pleiotropic_fraction: 1,
  two_sample: false,
  pi_draw: "replicate",
  design_seed: 0,
  context: false,
  gamma: [0.03, 0.05, 0.14, 0.16, 0.0, 0.0, 0.08, 0.02, 0.12, -0.06],
  zeta: [0.02, 0.03, 0.1, 0.05, 0.0, 0.0, 0.12, 0.15, 0.18, 0.04],
  delta: new Array<number>(K).fill(0),
  pi_delta: new Array<number>(K).fill(0),
  seed: 7,
};

const PARAMS: readonly ParamSpec[] = [
  { name: "n", type: "int", min: 2, help: "number of individuals" },
  { name: "L", type: "int", min: 1, help: "number of SNPs (instruments)" },
  { name: "beta", type: "number", help: "causal effect of X on Y (the average effect when delta is non-zero)" },
  { name: "pi_scale", type: "number", min: 0, help: "SD of the SNP effects on X: pi_j ~ N(pi_mean, pi_scale)" },
  { name: "pi_mean", type: "number", help: "mean of the SNP effects on X (0 in the study)" },
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
  {
    name: "pleiotropic_fraction",
    type: "number",
    min: 0,
    max: 1,
    help: "share of SNPs (the first ones) with direct effects on Y; the rest are valid instruments",
  },
  {
    name: "two_sample",
    type: "boolean",
    help: "add an independent second sample of n (column sample = 1, 2): summary estimators take X-G associations from sample 1, Y-G from sample 2",
  },
  {
    name: "pi_draw",
    type: "choice",
    choices: ["replicate", "cell"],
    help: "replicate: MAFs, pi and theta are drawn anew in every replicate (the study); cell: drawn once from design_seed, so every replicate of a cell has the same design and only people and noises vary",
  },
  {
    name: "design_seed",
    type: "int",
    min: 0,
    max: DESIGN_STREAM - 1,
    help: "seed of the design with pi_draw cell (ignored otherwise); cells with the same design_seed share their standardised draws, a grid over it gives several designs",
  },
  { name: "context", type: "boolean", help: "context variables C affect X (gamma) and Y (zeta)" },
  { name: "gamma", type: "numbers", length: K, help: "effects of standardised C on X" },
  { name: "zeta", type: "numbers", length: K, help: "effects of standardised C on Y" },
  { name: "delta", type: "numbers", length: K, help: "effect heterogeneity: beta_i = beta + C_i . delta" },
  {
    name: "pi_delta",
    type: "numbers",
    length: K,
    help: "instrument-effect heterogeneity: pi_j(C_i) = pi_j (1 + C_i . pi_delta) for every SNP j (C standardised)",
  },
  { name: "seed", type: "int", min: 0, help: "random seed" },
];

/** The one check between parameters: the uniform MAF law needs its ends in order (unless a fixed MAF replaces it). */
function checkStudy(p: StudyParams, where: string): void {
  if (p.maf_fixed === null && p.maf_min > p.maf_max) {
    throw errors.invalid(where, "parameter maf_min", `<= maf_max (${p.maf_max})`, p.maf_min);
  }
}

/** Y, X, the context variables, G0 .. G{L-1}, then `sample` for two samples. */
function studyColumns(p: StudyParams): string[] {
  return [...STUDY_LEADING, ...instrumentNames(p.L), ...(p.two_sample ? ["sample"] : [])];
}

/** The number of studyColumns, without their names (L may be absurdly large in a refused config). */
function studyWidth(p: StudyParams): number {
  return STUDY_LEADING.length + p.L + (p.two_sample ? 1 : 0);
}

/** Y outcome, X exposure, the genotypes as instruments, the context variables, and `sample` for two samples. */
function studyRoles(p: StudyParams): Roles {
  return {
    outcome: "Y",
    exposure: "X",
    instruments: instrumentNames(p.L),
    context: [...CONTEXT_NAMES],
    ...(p.two_sample ? { sample: "sample" } : {}),
  };
}

/** n people, or 2n when a second sample is stacked under the first. */
function studyRows(p: StudyParams): number {
  return p.two_sample ? 2 * p.n : p.n;
}

function simulateStudy(p: StudyParams, ctx: SimContext): Simulated {
  checkStudy(p, "study");
  const { rng, alloc } = ctx;
  const { n, L } = p;
  // The study's draw order: MAFs, sample 1's people, pi, its noises, then theta; a second
  // (two-sample) sample draws its people and noises after all of that. With pi_draw "cell" the
  // design (MAFs, pi, theta) comes from its own stream, in the same relative order, and the
  // replicate's stream draws only people and noises.
  const design = p.pi_draw === "cell" ? ctx.stream(DESIGN_STREAM + p.design_seed) : rng;
  const mafs = p.maf_fixed === null ? design.uniform(p.maf_min, p.maf_max, L) : new Float64Array(L).fill(p.maf_fixed);
  const people = drawPeople(ctx, mafs, n);
  const pi = p.pi_fixed === null ? design.normal(p.pi_mean, p.pi_scale, L) : new Float64Array(L).fill(p.pi_fixed);
  const noise = { v: rng.normal(0, p.sigma_x, n, alloc(n)), e: rng.normal(0, p.sigma_y, n, alloc(n)) };
  const theta = p.theta_sd > 0 ? design.normal(p.theta_mean, p.theta_sd, L) : new Float64Array(L).fill(p.theta_mean);
  // Only the first ceil(fraction L) SNPs are pleiotropic; the draws above are the same either way.
  theta.fill(0, Math.ceil(p.pleiotropic_fraction * L));
  const samples = [assemble(ctx, p, people, noise, pi, theta, 1)];
  if (p.two_sample) {
    const second = drawPeople(ctx, mafs, n);
    const noise2 = { v: rng.normal(0, p.sigma_x, n, alloc(n)), e: rng.normal(0, p.sigma_y, n, alloc(n)) };
    samples.push(assemble(ctx, p, second, noise2, pi, theta, 2));
  }
  const names = studyColumns(p);
  const parts: Float64Array[][] = [];
  for (const s of samples) parts.push(sampleColumns(s, n, L, p.two_sample));
  const columns = joinSamples(ctx, parts);
  const entries: Array<readonly [string, Float64Array, boolean]> = [];
  for (let j = 0; j < names.length; j++) {
    const name = names[j] as string;
    entries.push([name, columns[j] as Float64Array, !REAL_COLUMNS.has(name)]);
  }
  const data = frame(entries);
  const heterogeneous = p.delta.some((d) => d !== 0);
  const perPerson = (pick: (s: Sample) => Float64Array) =>
    Array.from(
      joinSamples(
        ctx,
        samples.map((s) => [pick(s)]),
      )[0] as Float64Array,
    );
  return {
    data,
    roles: studyRoles(p),
    meta: {
      dgp: "study",
      params: { ...p },
      seed: p.seed,
      rng: rng.backend,
      beta_true: p.beta,
      pi_draw: p.pi_draw,
      mafs: Array.from(mafs),
      pi: Array.from(pi),
      theta: Array.from(theta),
      beta_individual: heterogeneous ? perPerson((s) => s.betaI) : null,
      // pi_j(C_i) = pi_j pi_factor_individual[i]: one factor per row (both samples), null without pi_delta.
      pi_factor_individual: variesInstruments(p) ? perPerson((s) => s.piFactor as Float64Array) : null,
    },
  };
}

/** The contextualized-MR study's one-sample simulator, generalised (see docs/dgps.md). */
export const studyDgp: Dgp<StudyParams> = {
  id: "study",
  label: "Contextualized-MR study",
  description:
    "One-sample MR: G ~ Bin(2, MAF), confounder U, 10 context variables, X = G pi(C) [+ C gamma] + U + e_x, Y = beta(C) X [+ C zeta] + U + e_y, pi_j(C) = pi_j (1 + C pi_delta), beta(C) = beta + C delta",
  params: PARAMS,
  defaults: DEFAULTS,
  check: checkStudy,
  columns: studyColumns,
  roles: studyRoles,
  rows: studyRows,
  width: studyWidth,
  simulate: simulateStudy,
};
