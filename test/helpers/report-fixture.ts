import { parseSweepConfig, type SweepConfig } from "../../src/sweep/config.js";

/** The configuration test/fixtures/report/ was made for: 6 cells over theta_mean × pleiotropic_fraction. */
export function fixtureConfig(replicates = 2): SweepConfig {
  return parseSweepConfig({
    dgp: "study",
    grid: { theta_mean: [0, 0.05, 0.1], pleiotropic_fraction: [0.5, 1] },
    replicates,
    seed: 1,
    estimators: [
      "ols",
      "tsls",
      "tsls_lasso",
      { id: "ctx_tsls", name: "ctx_tsls_resplit", params: { preset: "fast", n_bootstraps: 5 } },
    ],
  });
}
