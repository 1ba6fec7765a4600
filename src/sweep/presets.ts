import { DEEP_MR_PRESETS } from "./presets-deep-mr.js";

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

/**
 * The invariance design's classical estimators (invariance-mr.md 3.1-3.3): the baselines on the
 * observed Z, the oracles on the true W, and the closed-form invariance estimator. `kclass` drops an
 * instrument in the span of the others, as the fixed-setting baselines do: polynomial mixing makes
 * one combination of Z equal the intercept, which its default (`refuse`) turns into status collinear.
 */
const INVARIANCE_ESTIMATORS = [
  "tsls_z",
  { id: "kclass", name: "liml_z", params: { kappa: "liml", collinear: "drop" } },
  "tsls_z_po_k",
  "liml_z_po_k",
  "egger_z",
  "egger_z_po_k",
  "oracle_tsls_w",
  "oracle_tsls_w_po_v",
  "inv_linear",
];

/** inv_repr at the reduced size of invariance-mr.md section 6 (a 2 x 2 λ grid, 100 epochs). */
const REPR_SMALL = { lambda1: [1, 5], lambda2: [1, 5], epochs: 100, decoder_degree: 2 };

/**
 * The baselines the paper's figures show beside inv_repr, an oracle and inv_linear, then inv_repr
 * with both second stages (one trained model per task: they share their λ runs).
 */
function reprEstimators(training: Record<string, unknown>): unknown[] {
  return [
    "tsls_z",
    "tsls_z_po_k",
    "egger_z",
    "egger_z_po_k",
    "oracle_tsls_w",
    "inv_linear",
    { id: "inv_repr", name: "inv_repr", params: training },
    { id: "inv_repr", name: "inv_repr_po_v", params: { ...training, second_stage: "tsls_w_po_v" } },
  ];
}

/** The paper's environment control: the label as one numeric column (invariance-mr.md 3.1). */
const INDEX = { environment_as: "index" };

/**
 * The paper's figures (invariance-mr.md section 5): its four baselines with the environment as an
 * index, both oracles, and inv_repr with the decoder the paper pairs with each mixing, both second
 * stages and the λ2 = 0 "no independence penalty" ablation (its own three λ runs).
 */
function paperEstimators(epochs: number): unknown[] {
  const training = { decoder: "matched", epochs, lambda2: [1, 5, 10] };
  return [
    "tsls_z",
    { id: "tsls_z_po_k", params: INDEX },
    { id: "liml_z_po_k", params: INDEX },
    "egger_z",
    { id: "egger_z_po_k", params: INDEX },
    "oracle_tsls_w",
    "oracle_tsls_w_po_v",
    { id: "inv_repr", name: "inv_repr", params: training },
    { id: "inv_repr", name: "inv_repr_po_v", params: { ...training, second_stage: "tsls_w_po_v" } },
    { id: "inv_repr", name: "inv_repr_no_hsic", params: { ...training, lambda2: [0] } },
  ];
}

/** The paper's mixings, evaluated on the authors' resampled rows. */
const PAPER_MIXINGS = { mixing: ["poly1", "poly2", "poly3", "invmlp"] };

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
  "invariance-quick": {
    dgp: "invariance",
    params: { E: 2 },
    grid: { mixing: ["linear", "poly1", "poly2", "poly3", "invmlp"] },
    replicates: 200,
    estimators: INVARIANCE_ESTIMATORS,
    seed: 2026,
  },
  "invariance-repr-small": {
    dgp: "invariance",
    params: { E: 2, mixing: "poly2", n_train: 2000, n_val: 500 },
    replicates: 5,
    estimators: reprEstimators(REPR_SMALL),
    seed: 2026,
  },
  "invariance-paper": {
    dgp: "invariance",
    params: { E: 2, mix_seed: 100, eval_rows: "resampled" },
    grid: PAPER_MIXINGS,
    replicates: 20,
    estimators: paperEstimators(400),
    seed: 42,
  },
  "invariance-paper-e3": {
    dgp: "invariance",
    params: { E: 3, mix_seed: 123, eval_rows: "resampled" },
    grid: PAPER_MIXINGS,
    replicates: 20,
    estimators: paperEstimators(800),
    seed: 42,
  },
  "invariance-paper-pw": {
    dgp: "invariance",
    params: { E: 2, mix_seed: 100, mixing: "poly3", eval_rows: "resampled" },
    replicates: 20,
    estimators: [
      "tsls_z",
      "oracle_tsls_w",
      ...[1, 2, 3, 4].map((pw) => ({ id: "inv_repr", name: `inv_repr_pw${pw}`, params: { pw, lambda2: [1, 5, 10] } })),
    ],
    seed: 42,
  },
  ...DEEP_MR_PRESETS,
};
