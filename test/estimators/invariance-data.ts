import seedrandom from "seedrandom";
import type { IndividualData } from "../../src/estimators/types.js";

/**
 * Multi-environment data for the inv_linear tests, made here rather than by the `invariance` DGP
 * (invariance-mr.md 2.1 with linear mixing): H ~ N(mean_step e 1, I), V = V0 + H eta_e, W with the
 * same law in every environment, Z = [V, W (, 1)] A, X = 1'U + 1'H + e_X, Y = theta X + 1'H + e_Y.
 */
export interface InvarianceDataOptions {
  nPerEnv: number;
  envs: 2 | 3;
  seed: string;
  /** Mixing matrix, 4 x dz (or 5 x dz with a constant latent), row-major; default a fixed 4 x 4. */
  mixing?: readonly number[][];
  /** false: no environment effect at all (H's mean and eta the same everywhere). */
  shift?: boolean;
  theta?: number;
}

/** A fixed, well-conditioned 4 x 4 mixing matrix. */
export const MIXING_4: readonly number[][] = [
  [1.0, 0.4, -0.3, 0.2],
  [-0.2, 0.9, 0.5, -0.4],
  [0.6, -0.5, 1.1, 0.3],
  [0.3, 0.2, -0.6, 1.2],
];

const ETA: Record<2 | 3, [number, number][]> = {
  2: [
    [1, 1],
    [2, 2],
  ],
  3: [
    [1, 1],
    [2, 1],
    [1, 2],
  ],
};

/** Draws the data; the truth columns W0, W1, V0, V1 are in `columns` as the DGP names them. */
export function invarianceData(opt: InvarianceDataOptions): IndividualData {
  const rng = seedrandom(opt.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
  const mixing = opt.mixing ?? MIXING_4;
  const dz = (mixing[0] as number[]).length;
  const n = opt.nPerEnv * opt.envs;
  const theta = opt.theta ?? 1;
  const cols = (k: number) => Array.from({ length: k }, () => new Float64Array(n));
  const [z, v, w] = [cols(dz), cols(2), cols(2)];
  const [x, y, env] = cols(3) as [Float64Array, Float64Array, Float64Array];
  const shift = opt.shift ?? true;
  const l21 = 0.5;
  const l22 = Math.sqrt(0.75);
  for (let i = 0; i < n; i++) {
    const e = Math.floor(i / opt.nPerEnv);
    const eta = ETA[opt.envs][shift ? e : 0] as [number, number];
    const h = [normal() + (shift ? 2 * e : 0), normal() + (shift ? 2 * e : 0)] as const;
    const [a, b, c, d] = [normal(), normal(), normal(), normal()];
    const u = [a + h[0] * eta[0], l21 * a + l22 * b + h[1] * eta[1], c, l21 * c + l22 * d, 1];
    for (let j = 0; j < dz; j++) {
      let s = 0;
      for (let l = 0; l < mixing.length; l++) s += (u[l] as number) * ((mixing[l] as number[])[j] as number);
      (z[j] as Float64Array)[i] = s;
    }
    [v[0], v[1], w[0], w[1]].forEach((col, l) => {
      (col as Float64Array)[i] = u[l] as number;
    });
    const hs = h[0] + h[1];
    x[i] = (u[0] as number) + (u[1] as number) + (u[2] as number) + (u[3] as number) + hs + normal();
    y[i] = theta * (x[i] as number) + hs + normal();
    env[i] = e;
  }
  const data = new Float64Array(n * dz);
  for (let j = 0; j < dz; j++) data.set(z[j] as Float64Array, j * n);
  const columns = new Map<string, Float64Array>([
    ["Y", y],
    ["X", x],
    ["env", env],
    ["W0", w[0] as Float64Array],
    ["W1", w[1] as Float64Array],
    ["V0", v[0] as Float64Array],
    ["V1", v[1] as Float64Array],
  ]);
  for (let j = 0; j < dz; j++) columns.set(`Z${j}`, z[j] as Float64Array);
  return {
    n,
    outcome: y,
    exposure: x,
    instruments: { rows: n, cols: dz, data },
    instrumentNames: z.map((_, j) => `Z${j}`),
    columns,
    context: [],
    sample: null,
    environment: env,
    sequence: null,
  };
}
