import { cholesky2, D_H, D_U } from "./invariance-design.js";
import type { RandomStream } from "./rng.js";
import type { SimContext } from "./types.js";

/** What the per-person draws need from the parameters. */
export interface LatentSettings {
  readonly E: number;
  readonly n_train: number;
  readonly n_val: number;
  readonly theta: number;
  readonly mean_step: number;
  readonly x_u: readonly number[];
  readonly x_h: readonly number[];
  readonly y_h: readonly number[];
  readonly sigma_x: number;
  readonly sigma_y: number;
  readonly eval_rows: "banks" | "resampled";
}

/** Every row's latents, outcomes and labels; u (N x 4: V0, V1, W0, W1) and h (N x 2) column-major. */
export interface Latents {
  readonly u: Float64Array;
  readonly h: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly env: Float64Array;
  readonly split: Float64Array;
}

/** Sub-stream components inside a block, as the authors' generator offsets (1: H, 2: V0, 3: W, 4: noise). */
const H_DRAWS = 1;
const V_DRAWS = 2;
const W_DRAWS = 3;
const NOISE_DRAWS = 4;
/** Ours: the with-replacement row indices of eval_rows "resampled". */
const RESAMPLE_DRAWS = 5;
/** A block's offset: 10 000 per bank (0 training, 1 validation), 100 per environment, plus the component. */
const BANK_STRIDE = 10_000;
const ENV_STRIDE = 100;
/** The most environments the offsets keep apart. */
export const MAX_ENVIRONMENTS = BANK_STRIDE / ENV_STRIDE - 1;

/**
 * The seed of a sub-stream: the replicate's base word (drawn from the task's stream) plus 2^32
 * times its offset, so with --rng numpy it is np.random.default_rng([base, offset]).
 */
export function subSeed(base: number, offset: number): number {
  return base + 2 ** 32 * offset;
}

/**
 * Draws the training then the validation bank, each environment 0 .. E-1 in turn (spec §2.1):
 * H ~ N(step e 1, I), V = V0 + H η_e with V0 = z L_Vᵀ, W = z L_Wᵀ, X = x_uᵀU + x_hᵀH + ε_X,
 * Y = θ X + y_hᵀH + ε_Y; z are standard normals drawn row by row. Each (bank, environment,
 * component) has its own sub-stream, so resizing a bank or adding an environment leaves every
 * other block's draws unchanged.
 */
export function drawLatents(
  ctx: SimContext,
  p: LatentSettings,
  base: number,
  sigmas: readonly [Float64Array, Float64Array],
  eta: readonly number[],
): Latents {
  const banks = [p.n_train, p.n_val];
  const N = p.E * (p.n_train + p.n_val);
  const out: Latents = {
    u: ctx.alloc(D_U * N),
    h: ctx.alloc(D_H * N),
    x: ctx.alloc(N),
    y: ctx.alloc(N),
    env: ctx.alloc(N),
    split: ctx.alloc(N),
  };
  const scratch = ctx.alloc(2 * Math.max(p.n_train, p.n_val));
  const chol = [cholesky2(sigmas[0]), cholesky2(sigmas[1])] as const;
  let start = 0;
  for (let bank = 0; bank < banks.length; bank++) {
    const n = banks[bank] as number;
    for (let e = 0; e < p.E && n > 0; e++) {
      const stream = (component: number) => ctx.stream(subSeed(base, bank * BANK_STRIDE + e * ENV_STRIDE + component));
      const block: Block = { N, start, n, e, bank, eta: eta.slice(4 * e, 4 * e + 4), scratch };
      drawBlock(out, p, block, stream, chol);
      if (p.eval_rows === "resampled") resample(out, block, stream(RESAMPLE_DRAWS));
      start += n;
    }
  }
  return out;
}

/** One bank of one environment: rows start .. start + n - 1 of N. */
interface Block {
  N: number;
  start: number;
  n: number;
  e: number;
  bank: number;
  eta: number[];
  scratch: Float64Array;
}

function drawBlock(
  out: Latents,
  p: LatentSettings,
  b: Block,
  stream: (component: number) => RandomStream,
  chol: readonly [Float64Array, Float64Array],
): void {
  const { N, start, n, eta } = b;
  const z = b.scratch.subarray(0, 2 * n);
  const { u, h } = out;
  stream(H_DRAWS).normal(0, 1, 2 * n, z);
  const mean = p.mean_step * b.e;
  for (let i = 0; i < n; i++) {
    h[start + i] = mean + (z[2 * i] as number);
    h[N + start + i] = mean + (z[2 * i + 1] as number);
  }
  for (const [component, col, l] of [
    [V_DRAWS, 0, chol[0]],
    [W_DRAWS, 2, chol[1]],
  ] as const) {
    stream(component).normal(0, 1, 2 * n, z);
    const [l00, , l10, l11] = l as unknown as [number, number, number, number];
    for (let i = 0; i < n; i++) {
      const z0 = z[2 * i] as number;
      const z1 = z[2 * i + 1] as number;
      u[col * N + start + i] = z0 * l00;
      u[(col + 1) * N + start + i] = z0 * l10 + z1 * l11;
    }
  }
  // V = V0 + H η_e (H a row vector).
  const [e00, e01, e10, e11] = eta as [number, number, number, number];
  for (let i = start; i < start + n; i++) {
    const h0 = h[i] as number;
    const h1 = h[N + i] as number;
    u[i] = (u[i] as number) + h0 * e00 + h1 * e10;
    u[N + i] = (u[N + i] as number) + h0 * e01 + h1 * e11;
  }
  const noise = stream(NOISE_DRAWS);
  const ex = noise.normal(0, p.sigma_x, n, b.scratch.subarray(0, n));
  const ey = noise.normal(0, p.sigma_y, n, b.scratch.subarray(n, 2 * n));
  outcomes(out, p, b, ex, ey);
}

/** X, Y, env and split of a block's rows, given its noises. */
function outcomes(out: Latents, p: LatentSettings, b: Block, ex: Float64Array, ey: Float64Array): void {
  const { N, start, n } = b;
  const { u, h, x, y } = out;
  const [a0, a1, a2, a3] = p.x_u as [number, number, number, number];
  const [c0, c1] = p.x_h as [number, number];
  const [d0, d1] = p.y_h as [number, number];
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const h0 = h[i] as number;
    const h1 = h[N + i] as number;
    const xi =
      a0 * (u[i] as number) +
      a1 * (u[N + i] as number) +
      a2 * (u[2 * N + i] as number) +
      a3 * (u[3 * N + i] as number) +
      (c0 * h0 + c1 * h1) +
      (ex[k] as number);
    x[i] = xi;
    y[i] = p.theta * xi + (d0 * h0 + d1 * h1) + (ey[k] as number);
  }
  out.env.fill(b.e, start, start + n);
  out.split.fill(b.bank, start, start + n);
}

/**
 * eval_rows "resampled" (the authors' evaluation rows): the block's rows replaced by n draws with
 * replacement from them, in draw order, for every latent, X and Y.
 */
function resample(out: Latents, b: Block, rng: RandomStream): void {
  const { N, start, n } = b;
  const idx = rng.integers(0, n, n, b.scratch.subarray(0, n));
  const tmp = b.scratch.subarray(n, 2 * n);
  const columns = [out.x, out.y];
  for (let j = 0; j < D_U; j++) columns.push(out.u.subarray(j * N, (j + 1) * N));
  for (let j = 0; j < D_H; j++) columns.push(out.h.subarray(j * N, (j + 1) * N));
  for (const col of columns) {
    tmp.set(col.subarray(start, start + n));
    for (let i = 0; i < n; i++) col[start + i] = tmp[idx[i] as number] as number;
  }
}
