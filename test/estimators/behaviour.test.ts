import { describe, expect, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { expectWithinMcse, summarize } from "../helpers/mc.js";

/**
 * Strong instruments (L = 3, every pi = 0.8, every MAF = 0.3, n = 2000, no context): Var(G pi) =
 * 3 * 0.64 * 2 * 0.3 * 0.7 = 0.8064, so the first-stage F is about 2000 * 0.8064 / 2 / 3 ~ 270 and
 * 2SLS's many-instrument bias (Nagar: (L - 2) Cov(U + v, U + e) / (n Var(G pi)) ~ 6e-4) is well
 * under its Monte Carlo error. OLS converges to beta + u_x u_y / Var(X) = 0.3 + 1 / 2.8064.
 */
describe("estimators by simulation (400 replicates, strong instruments)", () => {
  const R = 400;
  const params = { n: 2000, L: 3, pi_fixed: 0.8, maf_fixed: 0.3, context: false };
  const rows = Array.from({ length: R }, (_, r) => {
    const sim = simulate("study", { ...params, seed: 5000 + r });
    return fit(sim.data, sim.roles, { estimators: ["ols", "tsls"] });
  });
  const ols = rows.map((r) => r[0]?.estimate as number);
  const tsls = rows.map((r) => r[1]?.estimate as number);

  it("2SLS is unbiased within 3 MCSE", () => {
    expectWithinMcse(tsls, 0.3, 3, "2SLS mean");
  });

  it("OLS shows the analytic confounding bias 1 / Var(X), within 3 MCSE", () => {
    const varX = 3 * 0.64 * 2 * 0.3 * 0.7 + 1 + 1;
    expectWithinMcse(ols, 0.3 + 1 / varX, 3, "OLS mean");
    expect(summarize(ols).mean - 0.3).toBeGreaterThan(0.3);
  });

  it("2SLS model SE matches the empirical SD and the 95% CI covers about 95%", () => {
    const se = summarize(rows.map((r) => r[1]?.se as number)).mean;
    const sd = summarize(tsls).sd;
    // SD of a sample SD from 400 draws is about sd / sqrt(2 * 399): allow 3.5 of those.
    expect(Math.abs(se - sd)).toBeLessThan((3.5 * sd) / Math.sqrt(2 * (R - 1)));
    const covered = rows.map((r) => ((r[1]?.ci_lower as number) <= 0.3 && 0.3 <= (r[1]?.ci_upper as number) ? 1 : 0));
    // binomial MCSE of a coverage of 0.95 over 400 replicates is 0.0109
    expectWithinMcse(covered, 0.95, 3, "2SLS coverage");
  });

  it("first-stage F is strong, as designed", () => {
    expect(summarize(rows.map((r) => r[1]?.extras.first_stage_f as number)).mean).toBeGreaterThan(200);
  });
});
