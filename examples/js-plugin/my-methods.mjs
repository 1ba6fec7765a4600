// An mrsweep plug-in: one data-generating process and one estimator, in plain JavaScript.
// A plug-in is an ES module exporting `dgps` and/or `estimators`; sweep.json names it in "plugins",
// and `mrsweep fit --plugin`, `mrsweep simulate --plugin` and `mrsweep list --plugin` load it too.
// Every sweep worker imports it, and run.json records its path and sha256: editing this file
// makes `mrsweep sweep` refuse to resume a run started with the old version.
import { defineDgp, defineEstimator, dot, failedRow, frame, tRow } from "mrsweep";

const names = (L) => Array.from({ length: L }, (_, j) => `G${j + 1}`);

/**
 * Y = beta X + c U + e_Y, X = G pi + c U + e_X: L independent variants (allele frequency maf,
 * effect `strength` each on X) and a confounder U of X and Y. Draws come from ctx.rng, which the
 * sweep seeds per task, so the data are the same with any number of threads and after a resume.
 */
export const dgps = [
  defineDgp({
    id: "confounded_iv",
    label: "Confounded exposure, independent variants",
    description: "L variants of equal effect on X; a normal confounder U of X and Y",
    params: [
      { name: "n", type: "int", min: 10, help: "people" },
      { name: "L", type: "int", min: 1, max: 200, help: "variants" },
      { name: "beta", type: "number", help: "causal effect of X on Y" },
      { name: "strength", type: "number", min: 0, help: "each variant's effect on X" },
      { name: "maf", type: "number", above: 0, max: 0.5, help: "allele frequency of every variant" },
      { name: "confounding", type: "number", help: "effect c of U on both X and Y" },
    ],
    defaults: { n: 1000, L: 10, beta: 0.5, strength: 0.15, maf: 0.3, confounding: 1 },
    columns: (p) => ["Y", "X", ...names(p.L)],
    roles: (p) => ({ outcome: "Y", exposure: "X", instruments: names(p.L) }),
    rows: (p) => p.n,
    simulate(p, ctx) {
      const { n, L } = p;
      // ctx.alloc puts the arrays where the estimators read them (the worker's WASM memory).
      const g = ctx.rng.binomialMatrix(2, new Float64Array(L).fill(p.maf), n, ctx.alloc(n * L));
      const u = ctx.rng.normal(0, 1, n, ctx.alloc(n));
      const x = ctx.rng.normal(0, 1, n, ctx.alloc(n));
      const y = ctx.rng.normal(0, 1, n, ctx.alloc(n));
      for (let i = 0; i < n; i++) {
        let score = 0;
        for (let j = 0; j < L; j++) score += g[j * n + i];
        x[i] += p.strength * score + p.confounding * u[i];
        y[i] += p.beta * x[i] + p.confounding * u[i];
      }
      const variants = names(L).map((name, j) => [name, g.subarray(j * n, (j + 1) * n), true]);
      return {
        data: frame([["Y", y], ["X", x], ...variants]),
        roles: { outcome: "Y", exposure: "X", instruments: names(L) },
        meta: { dgp: "confounded_iv", params: p, seed: p.seed, rng: ctx.rng.backend, beta_true: p.beta },
      };
    },
  }),
];

/** Centred copy of a column. */
function centred(v) {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i];
  mean /= v.length;
  return v.map((x) => x - mean);
}

/**
 * The allele-score estimator: one instrument S = sum_j w_j G_j, with equal weights or each
 * variant's marginal slope on X estimated in the same data ("internal", which overfits weak
 * variants towards the confounded OLS). beta = S'Y / S'X on centred columns; SE from the residual
 * variance on n - 2 degrees of freedom; `score_f` is the first-stage F of S. The dot products run
 * in mrsweep's WASM core (ctx.core).
 */
export const estimators = [
  defineEstimator({
    id: "allele_score",
    label: "Allele score IV",
    description: "Wald ratio of one weighted allele score",
    params: [{ name: "weights", type: "choice", choices: ["equal", "internal"], help: "variant weights of the score" }],
    defaults: { weights: "equal" },
    extras: ["score_f"],
    interval: "exact",
    fit(data, params, ctx) {
      const { n, instruments } = data;
      if (n < 4) return failedRow("allele_score", "too_few_rows", ["score_f"]);
      const x = centred(data.exposure);
      const y = centred(data.outcome);
      const s = new Float64Array(n);
      for (let j = 0; j < instruments.cols; j++) {
        const g = centred(instruments.data.subarray(j * n, (j + 1) * n));
        const w = params.weights === "equal" ? 1 : dot(ctx.core, g, x) / dot(ctx.core, g, g);
        for (let i = 0; i < n; i++) s[i] += w * g[i];
      }
      const sx = dot(ctx.core, s, x);
      const ss = dot(ctx.core, s, s);
      const beta = dot(ctx.core, s, y) / sx;
      const resid = y.map((yi, i) => yi - beta * x[i]);
      const se = Math.sqrt((dot(ctx.core, resid, resid) / (n - 2)) * ss) / Math.abs(sx);
      const r2 = (sx * sx) / (ss * dot(ctx.core, x, x));
      return tRow("allele_score", beta, se, n - 2, { score_f: (r2 * (n - 2)) / (1 - r2) });
    },
  }),
];
