import { frame } from "../data/frame.js";
import { errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import {
  covariances,
  D_U,
  defaultLoadings,
  degreeOf,
  drawMixing,
  MIXINGS,
  type Mixing,
  type MixingMap,
  type MixingSettings,
  mixingDz,
} from "./invariance-design.js";
import { applyMixing } from "./invariance-mix.js";
import { drawLatents, MAX_ENVIRONMENTS, subSeed } from "./invariance-sample.js";
import { numpyStream } from "./numpy/stream.js";
import type { Dgp, Roles, SimContext, Simulated } from "./types.js";

/** Parameters of the `invariance` DGP (spec §2; defaults: the authors' code and §9). */
export interface InvarianceParams {
  E: number;
  n_train: number;
  n_val: number;
  theta: number;
  mean_step: number;
  eta: readonly number[] | null;
  x_u: readonly number[];
  x_h: readonly number[];
  y_h: readonly number[];
  sigma_x: number;
  sigma_y: number;
  sigma: "toeplitz" | "wishart";
  sigma_seed: number;
  mixing: Mixing;
  leaky_slope: number;
  linear_dz: number;
  linear_constant: boolean;
  mix_seed: number | null;
  mix_per_replicate: boolean;
  eval_rows: "banks" | "resampled";
  seed: number;
}

/** The latent columns (role `latent`): V, W, then the confounder H. */
export const LATENT_COLUMNS = ["V0", "V1", "W0", "W1", "H0", "H1"] as const;
const LEADING = ["Y", "X", "env", "split"];
/** Σ_V and Σ_W are drawn from the stream seeded SIGMA_STREAM + sigma_seed (numpy: default_rng([sigma_seed, 2^20])). */
const SIGMA_STREAM = 2 ** 52;
/** With mix_per_replicate, the mixing map's sub-stream offset (the authors' unused test bank is 20 000). */
const MIX_OFFSET = 30_000;
const SEED_MAX = 2 ** 32 - 1;

const DEFAULTS: InvarianceParams = {
  E: 2,
  n_train: 10_000,
  n_val: 2_000,
  theta: 1,
  mean_step: 2,
  eta: null,
  x_u: [1, 1, 1, 1],
  x_h: [1, 1],
  y_h: [1, 1],
  sigma_x: 1,
  sigma_y: 1,
  sigma: "toeplitz",
  sigma_seed: 0,
  mixing: "poly3",
  leaky_slope: 0.2,
  linear_dz: 4,
  linear_constant: false,
  mix_seed: null,
  mix_per_replicate: false,
  eval_rows: "banks",
  seed: 42,
};

const PARAMS: readonly ParamSpec[] = [
  { name: "E", type: "int", min: 2, max: MAX_ENVIRONMENTS, help: "number of environments (populations)" },
  { name: "n_train", type: "int", min: 1, help: "rows of the training bank per environment (split 0)" },
  { name: "n_val", type: "int", min: 0, help: "rows of the validation bank per environment (split 1)" },
  { name: "theta", type: "number", help: "causal effect of X on Y" },
  { name: "mean_step", type: "number", help: "the confounder's mean in environment e: H ~ N(mean_step e 1, I)" },
  {
    name: "eta",
    type: "numbers",
    nullable: true,
    help: "loadings η_e of H on V (V = V0 + H η_e): 4 E numbers, each 2 x 2 row-major; none = the paper's (E = 2: I, 2I; E = 3: I, diag(2, 1), diag(1, 2))",
  },
  { name: "x_u", type: "numbers", length: 4, help: "coefficients of U = [V0, V1, W0, W1] on X" },
  { name: "x_h", type: "numbers", length: 2, help: "coefficients of H on X" },
  { name: "y_h", type: "numbers", length: 2, help: "coefficients of H on Y" },
  { name: "sigma_x", type: "number", min: 0, help: "SD of the noise in X" },
  { name: "sigma_y", type: "number", min: 0, help: "SD of the noise in Y" },
  {
    name: "sigma",
    type: "choice",
    choices: ["toeplitz", "wishart"],
    help: "Σ_V and Σ_W: toeplitz [[1, .5], [.5, 1]], or independent Wishart(6, I) draws from sigma_seed",
  },
  {
    name: "sigma_seed",
    type: "int",
    min: 0,
    max: SEED_MAX,
    help: "seed of the Wishart draws (shared by every replicate)",
  },
  {
    name: "mixing",
    type: "choice",
    choices: MIXINGS,
    help: "Z = g(U): linear ([U, (1)] B), poly1..3 (monomials times a matrix of condition <= 5; dz 5, 15, 35), invmlp (LeakyReLU(U W1ᵀ) W2ᵀ, dz 4), discrete (argmax of a random MLP's triples: {0, 1, 2}, dz 4)",
  },
  { name: "leaky_slope", type: "number", help: "negative slope of the LeakyReLU of invmlp and discrete" },
  { name: "linear_dz", type: "int", min: 1, max: 1000, help: "number of instruments of the linear mixing" },
  { name: "linear_constant", type: "boolean", help: "the linear mixing adds a constant row to B" },
  {
    name: "mix_seed",
    type: "int",
    min: 0,
    max: SEED_MAX,
    nullable: true,
    help: "seed of the mixing map, drawn with np.random.default_rng(mix_seed) whatever --rng; none = the authors' (100 for E = 2, 123 otherwise)",
  },
  { name: "mix_per_replicate", type: "boolean", help: "draw the mixing map anew in every replicate (from its stream)" },
  {
    name: "eval_rows",
    type: "choice",
    choices: ["banks", "resampled"],
    help: "banks: the rows as drawn; resampled: each bank of each environment resampled with replacement (the authors' evaluation rows)",
  },
  { name: "seed", type: "int", min: 0, help: "random seed (the authors' data seeds are 42..61)" },
];

/** Loadings need 4 E numbers; the paper's defaults exist for E = 2 and 3 only. */
function checkInvariance(p: InvarianceParams, where: string): void {
  if (p.eta === null && p.E > 3) {
    throw errors.invalid(
      where,
      "parameter eta",
      "given (4 E numbers) when E > 3: the paper's loadings exist for E = 2, 3",
      p.eta,
    );
  }
  if (p.eta !== null && p.eta.length !== 4 * p.E) {
    throw errors.invalid(where, "parameter eta length", `4 E = ${4 * p.E}`, p.eta.length);
  }
}

function dzOf(p: InvarianceParams): number {
  return mixingDz(p.mixing, p.linear_dz);
}

/** Z0 .. Z{dz-1}. */
function instrumentNames(dz: number): string[] {
  const out: string[] = [];
  for (let j = 0; j < dz; j++) out.push(`Z${j}`);
  return out;
}

/** Y, X, env, split, Z0 .. Z{dz-1}, then the latents V0, V1, W0, W1, H0, H1. */
function invarianceColumns(p: InvarianceParams): string[] {
  return [...LEADING, ...instrumentNames(dzOf(p)), ...LATENT_COLUMNS];
}

function invarianceWidth(p: InvarianceParams): number {
  return LEADING.length + dzOf(p) + LATENT_COLUMNS.length;
}

function invarianceRows(p: InvarianceParams): number {
  return p.E * (p.n_train + p.n_val);
}

/** Y, X, the Z columns as instruments, env as the environment, split, and the latents (never instruments). */
function invarianceRoles(p: InvarianceParams): Roles {
  return {
    outcome: "Y",
    exposure: "X",
    instruments: instrumentNames(dzOf(p)),
    environment: "env",
    split: "split",
    latent: [...LATENT_COLUMNS],
  };
}

/** The authors' mix_seed: 100 for the 2-environment runs, 123 for 3. */
function mixSeedOf(p: InvarianceParams): number {
  return p.mix_seed ?? (p.E === 2 ? 100 : 123);
}

/** Mixing maps drawn from a mix_seed, kept per worker: the same in every replicate, drawn once. */
const MIX_CACHE = new Map<string, MixingMap>();
const MIX_CACHE_SIZE = 32;

function fixedMixing(ctx: SimContext, s: MixingSettings, seed: number): MixingMap {
  const key = `${s.mixing}|${s.linear_dz}|${s.linear_constant}|${seed}`;
  let map = MIX_CACHE.get(key);
  if (!map) {
    if (MIX_CACHE.size >= MIX_CACHE_SIZE) MIX_CACHE.clear();
    map = drawMixing(s, numpyStream(seed, ctx.core));
    MIX_CACHE.set(key, map);
  }
  return map;
}

function simulateInvariance(p: InvarianceParams, ctx: SimContext): Simulated {
  checkInvariance(p, "invariance");
  const eta = p.eta ?? defaultLoadings(p.E);
  const base = ctx.rng.integers(0, SEED_MAX, 1)[0] as number;
  const sigmas = covariances(p.sigma, () => ctx.stream(SIGMA_STREAM + p.sigma_seed));
  const map = p.mix_per_replicate
    ? drawMixing(p, ctx.stream(subSeed(base, MIX_OFFSET)))
    : fixedMixing(ctx, p, mixSeedOf(p));
  const lat = drawLatents(ctx, p, base, sigmas, eta);
  const N = invarianceRows(p);
  const z = ctx.alloc(N * map.dz);
  applyMixing(ctx.core, map, p.leaky_slope, N, lat.u, z);
  const names = invarianceColumns(p);
  const discrete = p.mixing === "discrete";
  const columns: Array<readonly [string, Float64Array, boolean]> = [
    ["Y", lat.y, false],
    ["X", lat.x, false],
    ["env", lat.env, true],
    ["split", lat.split, true],
  ];
  for (let j = 0; j < map.dz; j++) columns.push([names[4 + j] as string, z.subarray(j * N, (j + 1) * N), discrete]);
  for (let j = 0; j < D_U; j++) columns.push([LATENT_COLUMNS[j] as string, lat.u.subarray(j * N, (j + 1) * N), false]);
  for (let j = 0; j < 2; j++)
    columns.push([LATENT_COLUMNS[D_U + j] as string, lat.h.subarray(j * N, (j + 1) * N), false]);
  return { data: frame(columns), roles: invarianceRoles(p), meta: metaOf(p, ctx, map, sigmas, eta) };
}

function metaOf(
  p: InvarianceParams,
  ctx: SimContext,
  map: MixingMap,
  sigmas: readonly [Float64Array, Float64Array],
  eta: readonly number[],
): Simulated["meta"] {
  const degree = degreeOf(p.mixing);
  const loadings: number[][] = [];
  for (let e = 0; e < p.E; e++) loadings.push(eta.slice(4 * e, 4 * e + 4));
  return {
    dgp: "invariance",
    params: { ...p },
    seed: p.seed,
    rng: ctx.rng.backend,
    beta_true: p.theta,
    E: p.E,
    dz: map.dz,
    mixing: p.mixing,
    degree,
    mix_seed: p.mix_per_replicate ? null : mixSeedOf(p),
    // inv_linear's "oracle" k: d_W for linear mixing, the non-constant W-only monomials for poly.
    oracle_k: p.mixing === "linear" ? 2 : degree > 0 ? ((degree + 1) * (degree + 2)) / 2 - 1 : null,
    latent: { V: ["V0", "V1"], W: ["W0", "W1"], H: ["H0", "H1"] },
    sigma_v: Array.from(sigmas[0]),
    sigma_w: Array.from(sigmas[1]),
    eta: loadings,
    mixing_layers: map.layers.map((l) => ({
      out: l.out,
      in: l.in,
      w: Array.from(l.w),
      bias: l.bias ? Array.from(l.bias) : null,
    })),
  };
}

/** Multi-environment MR with instrument–outcome confounding (Huang, Robinson and Locatello; spec §2). */
export const invarianceDgp: Dgp<InvarianceParams> = {
  id: "invariance",
  label: "Multi-environment MR, confounded instruments",
  description:
    "E environments: H ~ N(2e 1, I), V = V0 + H η_e (confounded), W (valid, same law everywhere), U = [V, W], Z = g(U) (linear, poly1..3, invmlp, discrete), X = 1ᵀU + 1ᵀH + e_x, Y = θ X + 1ᵀH + e_y; training and validation banks",
  params: PARAMS,
  defaults: DEFAULTS,
  check: checkInvariance,
  columns: invarianceColumns,
  roles: invarianceRoles,
  rows: invarianceRows,
  width: invarianceWidth,
  simulate: simulateInvariance,
};
