import { describe, expect, it } from "vitest";
import { getColumn } from "../../src/data/frame.js";
import { simulate } from "../../src/sim/simulate.js";
import { summarize } from "../helpers/mc.js";

/** The variables whose moments are checked, in order: the latents, then X and Y. */
const VARS = ["V0", "V1", "W0", "W1", "H0", "H1", "X", "Y"] as const;
const K = VARS.length;

interface Moments {
  mean: number[];
  /** K x K row-major. */
  cov: number[];
}

/**
 * The moments of [V, W, H, X, Y] in environment e (spec §2.1): H ~ N(m 1, I) with m = step e,
 * V = V0 + H η_e, W ~ N(0, Σ_W) independent, X = x_uᵀU + x_hᵀH + ε_X, Y = θ X + y_hᵀH + ε_Y. So
 * E V = m 1ᵀη_e, Cov V = Σ_V + η_eᵀη_e, Cov(V, H) = η_eᵀ, and [.., X, Y] = T [V0, W, H, ε_X, ε_Y].
 */
function theory(meta: Record<string, unknown>, e: number): Moments {
  const p = meta.params as Record<string, number & number[]>;
  const eta = (meta.eta as number[][])[e] as number[];
  const sv = meta.sigma_v as number[];
  const sw = meta.sigma_w as number[];
  const m = p.mean_step * e;
  // Rows of T over the sources [V0_0, V0_1, W0, W1, H0, H1, ε_X, ε_Y].
  const v = [0, 1].map((k) => [k === 0 ? 1 : 0, k === 1 ? 1 : 0, 0, 0, eta[k] as number, eta[2 + k] as number, 0, 0]);
  const t: number[][] = [...v, [0, 0, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0]];
  t.push([0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0]);
  const x = new Array(8)
    .fill(0)
    .map((_, s) =>
      t.slice(0, 6).reduce((acc, row, j) => acc + (p.x_u.concat(p.x_h)[j] as number) * (row[s] as number), 0),
    );
  x[6] = 1;
  const y = x.map((c, s) => p.theta * c + (s === 4 ? p.y_h[0] : s === 5 ? p.y_h[1] : 0) + (s === 7 ? 1 : 0));
  t.push(x, y);
  const srcMean = [0, 0, 0, 0, m, m, 0, 0];
  const srcCov = new Array(64).fill(0);
  [srcCov[0], srcCov[1], srcCov[8], srcCov[9]] = sv as [number, number, number, number];
  [srcCov[18], srcCov[19], srcCov[26], srcCov[27]] = sw as [number, number, number, number];
  srcCov[36] = 1;
  srcCov[45] = 1;
  srcCov[54] = p.sigma_x ** 2;
  srcCov[63] = p.sigma_y ** 2;
  const mean = t.map((row) => row.reduce((acc, c, s) => acc + c * (srcMean[s] as number), 0));
  const cov: number[] = [];
  for (const a of t) {
    for (const b of t) {
      let acc = 0;
      for (let r = 0; r < 8; r++)
        for (let s = 0; s < 8; s++) acc += (a[r] as number) * (srcCov[r * 8 + s] as number) * (b[s] as number);
      cov.push(acc);
    }
  }
  return { mean, cov };
}

/** Sample means and covariances (divisor n - 1, so unbiased) of VARS in each environment, and pooled Cov(W, H). */
function sampleMoments(s: ReturnType<typeof simulate>, E: number): { env: Moments[]; pooledWH: number[] } {
  const env = getColumn(s.data, "env") as Float64Array;
  const cols = VARS.map((name) => getColumn(s.data, name) as Float64Array);
  const out: Moments[] = [];
  for (let e = -1; e < E; e++) {
    const rows: number[] = [];
    for (let i = 0; i < s.data.n; i++) if (e < 0 || env[i] === e) rows.push(i);
    const mean = cols.map((c) => rows.reduce((acc, i) => acc + (c[i] as number), 0) / rows.length);
    const cov: number[] = [];
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) {
        let acc = 0;
        for (const i of rows)
          acc += ((cols[a]?.[i] as number) - (mean[a] as number)) * ((cols[b]?.[i] as number) - (mean[b] as number));
        cov.push(acc / (rows.length - 1));
      }
    }
    out.push({ mean, cov });
  }
  const pooled = out.shift() as Moments;
  // Cov(W_j, H_k) pooled over the environments: W ⊥ H holds also when pooled.
  return { env: out, pooledWH: [2, 3].flatMap((w) => [4, 5].map((h) => pooled.cov[w * K + h] as number)) };
}

/** Replicate values of every statistic, keyed by label. */
function collect(params: Record<string, unknown>, R: number) {
  const stats = new Map<string, number[]>();
  const add = (label: string, v: number): void => {
    const xs = stats.get(label);
    if (xs) xs.push(v);
    else stats.set(label, [v]);
  };
  let meta: Record<string, unknown> = {};
  for (let r = 0; r < R; r++) {
    const s = simulate("invariance", { ...params, seed: 1000 + r });
    meta = s.meta;
    const { env, pooledWH } = sampleMoments(s, s.meta.E as number);
    env.forEach((m, e) => {
      for (let a = 0; a < K; a++) add(`e${e} mean ${VARS[a]}`, m.mean[a] as number);
      for (let ab = 0; ab < K * K; ab++)
        add(`e${e} cov ${VARS[Math.floor(ab / K)]},${VARS[ab % K]}`, m.cov[ab] as number);
      if (e > 0) {
        for (const w of [2, 3]) add(`e${e}-e0 mean ${VARS[w]}`, m.mean[w] - (env[0]?.mean[w] as number));
        for (const ab of [18, 19, 27]) add(`e${e}-e0 cov W ${ab}`, (m.cov[ab] as number) - (env[0]?.cov[ab] as number));
      }
    });
    for (let j = 0; j < pooledWH.length; j++) add(`pooled cov W,H ${j}`, pooledWH[j] as number);
  }
  return { stats, meta };
}

/** Statistics whose mean over replicates is more than k MCSE from its target: "label: z". */
function misses(stats: Map<string, number[]>, target: (label: string) => number, k: number): string[] {
  const out: string[] = [];
  for (const [label, xs] of stats) {
    const { mean, mcse } = summarize(xs);
    const z = (mean - target(label)) / mcse;
    if (!(Math.abs(z) <= k)) out.push(`${label}: mean ${mean} target ${target(label)} z ${z.toFixed(2)}`);
  }
  return out;
}

/** The theoretical value of a per-environment statistic's label. */
function targetOf(meta: Record<string, unknown>, E: number): (label: string) => number {
  const th = Array.from({ length: E }, (_, e) => theory(meta, e));
  return (label) => {
    const [env, kind, which] = label.split(" ") as [string, string, string];
    if (env.includes("-") || env === "pooled") return 0;
    const m = th[Number(env.slice(1))] as Moments;
    if (kind === "mean") return m.mean[VARS.indexOf(which as (typeof VARS)[number])] as number;
    const [a, b] = which.split(",") as [string, string];
    return m.cov[VARS.indexOf(a as never) * K + VARS.indexOf(b as never)] as number;
  };
}

describe("invariance DGP: moments by environment, in Monte Carlo SE (spec §2.1, §7)", () => {
  it("E = 2 defaults: the derived X and Y moments (means 0 and 12, 0 and 16; Var X 15 and 25; Var Y 26 and 40)", () => {
    const meta = simulate("invariance", { n_train: 2, n_val: 0, mixing: "linear" }).meta;
    const [e0, e1] = [theory(meta, 0), theory(meta, 1)];
    const pick = (m: Moments) => [m.mean[6], m.mean[7], m.cov[6 * K + 6], m.cov[7 * K + 7], m.cov[6 * K + 7]];
    expect(pick(e0)).toEqual([0, 0, 15, 26, 19]);
    expect(pick(e1)).toEqual([12, 16, 25, 40, 31]);
    // V's mean is 2e 1ᵀη_e and its covariance Σ_V + η_eᵀη_e: env 1 shifts by (4, 4) and 3I.
    expect([e1.mean[0], e1.mean[1], e1.cov[0] - (e0.cov[0] as number), e1.cov[1] - (e0.cov[1] as number)]).toEqual([
      4, 4, 3, 0,
    ]);
  });

  for (const [label, params, R] of [
    ["E = 2, Toeplitz (the defaults)", { mixing: "linear", n_train: 800, n_val: 200 }, 200],
    [
      "E = 3, Wishart, other coefficients",
      {
        E: 3,
        sigma: "wishart",
        sigma_seed: 4,
        mixing: "linear",
        n_train: 600,
        n_val: 0,
        theta: 0.3,
        mean_step: 1.5,
        x_u: [1, 0.5, -1, 2],
        x_h: [0.5, 1],
        y_h: [-1, 2],
        sigma_x: 2,
        sigma_y: 0.5,
      },
      150,
    ],
  ] as const) {
    it(`${label}: every mean and covariance of V, W, H, X, Y per environment within 4 MCSE; W's equal across environments within 3`, () => {
      const { stats, meta } = collect(params, R);
      const target = targetOf(meta, meta.E as number);
      const all = misses(stats, target, 4);
      expect(all, all.join("\n")).toEqual([]);
      const invariant = new Map([...stats].filter(([k]) => k.includes("-e0") || k.startsWith("pooled")));
      expect(invariant.size).toBe(((meta.E as number) - 1) * 5 + 4);
      const w = misses(invariant, () => 0, 3);
      expect(w, w.join("\n")).toEqual([]);
      // The V shift is real: env 1's V0 mean is many MCSE from env 0's.
      const shift = summarize(stats.get("e1 mean V0") as number[]);
      expect(shift.mean / shift.mcse).toBeGreaterThan(20);
    });
  }
});
