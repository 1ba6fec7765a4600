import type { RandomStream } from "./rng.js";
import { jacobiSvd } from "./svd.js";

/** The mixing functions g of the invariance DGP (spec §2.3); `discrete` is the spec's `discretize`. */
export const MIXINGS = ["linear", "poly1", "poly2", "poly3", "invmlp", "discrete"] as const;

/** One of MIXINGS. */
export type Mixing = (typeof MIXINGS)[number];

/** The number of latents U = [V, W] (d_V = d_W = 2) and of confounders H (d_H = 2). */
export const D_U = 4;
export const D_H = 2;
const D_V = 2;

/** out_j = bias_j + sum_k in_k w[j, k]: `w` is out x in, row-major (torch's Linear weight). */
export interface DenseLayer {
  readonly out: number;
  readonly in: number;
  readonly w: Float64Array;
  readonly bias: Float64Array | null;
}

/** A mixing map: what `applyMixing` does to U, with its drawn weights. */
export interface MixingMap {
  readonly kind: Mixing;
  /** The number of instruments Z. */
  readonly dz: number;
  /** The polynomial degree (poly1..3), 0 otherwise. */
  readonly degree: number;
  /** linear: [Bᵀ]; poly: [M] after the monomials; invmlp and discrete: [W1, W2] around a LeakyReLU. */
  readonly layers: readonly DenseLayer[];
}

/** The polynomial degree of a mixing (0 unless poly). */
export function degreeOf(mixing: Mixing): number {
  return mixing.startsWith("poly") ? Number(mixing.slice(4)) : 0;
}

/** The number of monomials of D_U variables of degree 0 .. p: C(D_U + p, p) = 5, 15, 35. */
export function monomialCount(p: number): number {
  let c = 1;
  for (let k = 1; k <= p; k++) c = (c * (D_U + k)) / k;
  return c;
}

/** The number of instruments a mixing gives (linear: `linearDz`). */
export function mixingDz(mixing: Mixing, linearDz: number): number {
  if (mixing === "linear") return linearDz;
  if (mixing === "invmlp" || mixing === "discrete") return D_U;
  return monomialCount(degreeOf(mixing));
}

/** What the mixing map depends on besides its stream. */
export interface MixingSettings {
  readonly mixing: Mixing;
  readonly linear_dz: number;
  readonly linear_constant: boolean;
}

/**
 * Draws a mixing map from `rng` (spec §2.3): linear B iid N(0, 1) of (4 (+1)) x dz, row-major;
 * poly M from A iid N(0, 1) (dz x dz, row-major) with its singular values clamped below at
 * s_max / 5; invmlp W1 then W2, 4 x 4 iid U(-1, 1) row-major, each column scaled to unit norm;
 * discrete Linear(4 -> 8) and Linear(8 -> 12) with weights then biases U(±1/√fan_in).
 */
export function drawMixing(s: MixingSettings, rng: RandomStream): MixingMap {
  const dz = mixingDz(s.mixing, s.linear_dz);
  const degree = degreeOf(s.mixing);
  switch (s.mixing) {
    case "linear":
      return { kind: s.mixing, dz, degree, layers: [linearLayer(rng, dz, s.linear_constant)] };
    case "invmlp": {
      const w1 = unitColumns(rng.uniform(-1, 1, D_U * D_U), D_U);
      const w2 = unitColumns(rng.uniform(-1, 1, D_U * D_U), D_U);
      return { kind: s.mixing, dz, degree, layers: [dense(D_U, D_U, w1, null), dense(D_U, D_U, w2, null)] };
    }
    case "discrete":
      return { kind: s.mixing, dz, degree, layers: [torchLinear(rng, D_U, 8), torchLinear(rng, 8, 3 * D_U)] };
    default:
      return {
        kind: s.mixing,
        dz,
        degree,
        layers: [dense(dz, dz, clampedMatrix(rng.normal(0, 1, dz * dz), dz), null)],
      };
  }
}

function dense(out: number, inp: number, w: Float64Array, bias: Float64Array | null): DenseLayer {
  return { out, in: inp, w, bias };
}

/** Z = [U, (1)] B: the layer's weight is Bᵀ, and the constant row of B its bias. */
function linearLayer(rng: RandomStream, dz: number, constant: boolean): DenseLayer {
  const rows = D_U + (constant ? 1 : 0);
  const b = rng.normal(0, 1, rows * dz);
  const w = new Float64Array(dz * D_U);
  for (let j = 0; j < dz; j++) for (let k = 0; k < D_U; k++) w[j * D_U + k] = b[k * dz + j] as number;
  return dense(dz, D_U, w, constant ? b.slice(D_U * dz) : null);
}

/** torch.nn.Linear(inp, out)'s default initialisation from our stream: weight, then bias, U(±1/√inp). */
function torchLinear(rng: RandomStream, inp: number, out: number): DenseLayer {
  const bound = 1 / Math.sqrt(inp);
  const w = rng.uniform(-bound, bound, out * inp);
  return dense(out, inp, w, rng.uniform(-bound, bound, out));
}

/** The n x n row-major matrix with every column divided by its Euclidean norm (in place). */
function unitColumns(w: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (w[i * n + j] as number) ** 2;
    const norm = Math.sqrt(ss);
    for (let i = 0; i < n; i++) w[i * n + j] = (w[i * n + j] as number) / norm;
  }
  return w;
}

/** The largest condition number the clamped polynomial mixing matrix may have. */
export const MAX_CONDITION = 5;

/** M = P diag(max(s_i, s_max / 5)) Qᵀ for A = P diag(s) Qᵀ (n x n, row-major): cond(M) <= 5. */
export function clampedMatrix(a: Float64Array, n: number): Float64Array {
  const { g, q, s } = jacobiSvd(a, n);
  const floor = Math.max(...s) / MAX_CONDITION;
  // G = A Q = P diag(s), so M = G diag(max(s, floor) / s) Qᵀ.
  const f = s.map((v) => Math.max(v, floor) / v);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += (g[i * n + j] as number) * (f[j] as number) * (q[k * n + j] as number);
      m[i * n + k] = acc;
    }
  }
  return m;
}

/** Σ_V and Σ_W (2 x 2, row-major) for `sigma`: Toeplitz [[1, .5], [.5, 1]], or Wishart(6, I) draws, V's first. */
export function covariances(sigma: "toeplitz" | "wishart", rng: () => RandomStream): [Float64Array, Float64Array] {
  if (sigma === "toeplitz") return [Float64Array.of(1, 0.5, 0.5, 1), Float64Array.of(1, 0.5, 0.5, 1)];
  const stream = rng();
  return [wishart(stream), wishart(stream)];
}

/** Σ_k x_k x_kᵀ over df = 3 d rows x_k ~ N(0, I_d), drawn row by row. */
function wishart(rng: RandomStream): Float64Array {
  const df = 3 * D_V;
  const x = rng.normal(0, 1, df * D_V);
  const out = new Float64Array(D_V * D_V);
  for (let k = 0; k < df; k++) {
    for (let i = 0; i < D_V; i++) {
      for (let j = 0; j < D_V; j++)
        out[i * D_V + j] = (out[i * D_V + j] as number) + (x[k * D_V + i] as number) * (x[k * D_V + j] as number);
    }
  }
  return out;
}

/** The lower Cholesky factor of a 2 x 2 row-major positive definite matrix. */
export function cholesky2(s: Float64Array): Float64Array {
  const l00 = Math.sqrt(s[0] as number);
  const l10 = (s[2] as number) / l00;
  return Float64Array.of(l00, 0, l10, Math.sqrt((s[3] as number) - l10 * l10));
}

/** The spec's loadings η_e (2 x 2 row-major, concatenated): E = 2: I, 2I; E = 3: I, diag(2, 1), diag(1, 2). */
export function defaultLoadings(E: number): number[] {
  if (E === 2) return [1, 0, 0, 1, 2, 0, 0, 2];
  return [1, 0, 0, 1, 2, 0, 0, 1, 1, 0, 0, 2];
}
