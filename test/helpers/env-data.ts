import seedrandom from "seedrandom";
import { type Frame, frame } from "../../src/data/frame.js";
import type { Roles } from "../../src/data/roles.js";

/** Standard normal draws (Box-Muller on seedrandom) for test data. */
export function normals(rng: () => number, len: number): Float64Array {
  const out = new Float64Array(len);
  for (let i = 0; i < len; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const t = 2 * Math.PI * rng();
    out[i] = r * Math.cos(t);
    if (i + 1 < len) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** Settings of `envData`. */
export interface EnvDataOptions {
  /** Rows per environment. */
  n: number;
  /** Environments 0 .. E - 1. */
  E?: number;
  theta?: number;
  /** The confounder's mean step per environment (the invariance design's 2). */
  step?: number;
  /** Z = [V0, V1, W0, W1] B for this 4 x 4 mixing matrix (row-major); identity when absent. */
  mixing?: readonly number[];
}

/**
 * Multi-environment data in the shape of the invariance design (invariance-mr.md 2.1), made in the
 * tests so they do not depend on the invariance DGP: H ~ N(step e 1, I), V = V0 + e_scale H with the
 * loading (1 + e) in environment e, W ~ N(0, I) independent of H, Z = [V, W] B, X = 1'U + 1'H + e_X,
 * Y = theta X + 1'H + e_Y. The environment shifts H, so V (and Z) correlate with the confounder:
 * 2SLS on Z is biased upward, 2SLS on W is not.
 */
export function envData(seed: string, o: EnvDataOptions): { data: Frame; roles: Roles } {
  const E = o.E ?? 2;
  const theta = o.theta ?? 1;
  const step = o.step ?? 2;
  const B = o.mixing ?? [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const N = o.n * E;
  const rng = seedrandom(seed);
  const z = normals(rng, N * 10);
  const cols = Array.from({ length: 13 }, () => new Float64Array(N));
  const [env, y, x, v0, v1, w0, w1, h0, h1, ...zs] = cols as [Float64Array, ...Float64Array[]];
  for (let i = 0; i < N; i++) {
    const e = Math.floor(i / o.n);
    const d = (k: number) => z[i * 10 + k] as number;
    env[i] = e;
    const H = [step * e + d(0), step * e + d(1)];
    const U = [d(2) + (1 + e) * (H[0] as number), d(3) + (1 + e) * (H[1] as number), d(4), d(5)];
    (h0 as Float64Array)[i] = H[0] as number;
    (h1 as Float64Array)[i] = H[1] as number;
    [v0, v1, w0, w1].forEach((c, k) => {
      (c as Float64Array)[i] = U[k] as number;
    });
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += (U[k] as number) * (B[k * 4 + j] as number);
      (zs[j] as Float64Array)[i] = s;
    }
    const hSum = (H[0] as number) + (H[1] as number);
    const xi = U.reduce((s, u) => s + u, 0) + hSum + d(6);
    (x as Float64Array)[i] = xi;
    (y as Float64Array)[i] = theta * xi + hSum + d(7);
  }
  const names = ["env", "Y", "X", "V0", "V1", "W0", "W1", "H0", "H1", "Z0", "Z1", "Z2", "Z3"];
  const data = frame(names.map((name, k) => [name, cols[k] as Float64Array] as const));
  return { data, roles: { outcome: "Y", exposure: "X", instruments: ["Z0", "Z1", "Z2", "Z3"], environment: "env" } };
}
