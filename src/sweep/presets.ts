const NS = [1000, 3000, 5000, 10000, 20000];
const LS = [5, 10, 15, 30, 50];

/** The study's nine models: three baselines, and three contextualized ones with each of two encoders. */
const STUDY_ESTIMATORS = [
  "ols",
  "tsls",
  "tsls_lasso",
  ...["ctx_ols", "ctx_tsls", "ctx_tsls_lasso"].flatMap((id) => [
    { id, name: `${id}_mlp`, params: { preset: "package-default" } },
    { id, name: `${id}_small`, params: { preset: "study-small" } },
  ]),
];

/** Named sweep configurations (raw; validated like a user's JSON file). */
export const SWEEP_PRESETS: Readonly<Record<string, Record<string, unknown>>> = {
  quick: {
    dgp: "study",
    params: { pi_scale: 0.3, delta: [0.15, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    grid: { n: [1000, 3000, 10000], L: [5, 15], context: [false, true] },
    replicates: 100,
    estimators: [
      "ols",
      "tsls",
      "tsls_lasso",
      "tsls_post_lasso",
      { id: "ctx_tsls", name: "ctx_tsls_fast", params: { preset: "fast" } },
    ],
    seed: 2026,
  },
  study: {
    dgp: "study",
    grid: { n: NS, L: LS, context: [true, false] },
    replicates: 100,
    estimators: STUDY_ESTIMATORS,
    seed: 7,
  },
  "study-exact": {
    dgp: "study",
    rng: "numpy",
    params: { seed: 7 },
    grid: { n: NS, L: LS, context: [true, false] },
    replicates: 1,
    estimators: STUDY_ESTIMATORS,
    seed: 7,
    seeds: "dgp",
  },
};
