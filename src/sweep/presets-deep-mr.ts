/**
 * Deep MR presets (deep-mr.md §9–10): the four confounding scenarios as the grid, both estimators
 * sharing one model stage per task (their members are fit pieces, spread over the workers).
 */

const SCENARIOS = { scenario: ["unconfounded", "random", "sequence", "both"] };

/** Both Deep MR estimators with the same training settings (so they share the trained members). */
function deepMrEstimators(training: Record<string, unknown>): unknown[] {
  return [
    { id: "deep_mr_egger", name: "deep_mr_egger", params: training },
    { id: "deep_mr_naive", name: "deep_mr_naive", params: training },
  ];
}

export const DEEP_MR_PRESETS = {
  "deep-mr-ci": {
    dgp: "deep_mr_sim",
    params: { n_train: 400, n_test: 120 },
    grid: { scenario: ["unconfounded", "both"] },
    replicates: 2,
    estimators: deepMrEstimators({ members: 2, epochs: 3, patience: 2, batch: 100 }),
    seed: 2022,
  },
  "deep-mr-small": {
    dgp: "deep_mr_sim",
    params: { n_train: 5000, n_test: 500 },
    grid: SCENARIOS,
    replicates: 10,
    estimators: deepMrEstimators({ members: 3, epochs: 30, patience: 5 }),
    seed: 2022,
  },
  "deep-mr-paper": {
    dgp: "deep_mr_sim",
    params: { n_train: 10000, n_test: 1000, background_order: "ACTG", variant_spans: "authors" },
    grid: SCENARIOS,
    replicates: 50,
    estimators: deepMrEstimators({ members: 5, epochs: 100, patience: 10, bn_inference: "batch", tau2: "REML" }),
    seed: 2022,
  },
} as const;
