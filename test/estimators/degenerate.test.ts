import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import { firstStage, type LassoSelection } from "../../src/estimators/first-stage.js";
import { DEGENERATE_R2 } from "../../src/estimators/first-stage-lasso.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import { failedRow, finiteStatus, tRow } from "../../src/estimators/inference.js";
import { LASSO_DEFAULTS } from "../../src/estimators/tsls-lasso.js";
import type { IndividualData } from "../../src/estimators/types.js";
import { simulate } from "../../src/sim/simulate.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

/** The shared first stage's LassoCV fit (kind lasso), as tsls_lasso runs it. */
function lassoFirstStage(data: IndividualData, core: Core): LassoSelection {
  const stage = core.scoped(() => firstStage(core, data, { kind: "lasso", lasso: LASSO_DEFAULTS, seed: 1 }));
  if (!stage.lasso) throw new Error("the lasso kind returns its LassoCV fit");
  return stage.lasso;
}

const ROLES = {
  outcome: "Y",
  exposure: "X",
  instruments: Array.from({ length: 15 }, (_, j) => `G${j}`),
};

describe("a degenerate LassoCV first stage (test/fixtures/degenerate)", () => {
  it("is what the fixture holds: one SNP kept at a rounding-level coefficient, X_hat constant", async () => {
    const data = toIndividualData(await readFrame(fixturePath("degenerate", "lasso-alpha-max.csv")), ROLES);
    const stage = lassoFirstStage(data, getCore());
    expect(stage.nSelected).toBe(1);
    const kept = [...stage.cv.coef].filter((c) => c !== 0);
    expect(Math.abs(kept[0] as number)).toBeLessThan(1e-15);
    expect(stage.r2).toBeLessThan(1e-25);
  });

  it("gives degenerate_first_stage with NaN numbers for every LassoCV-based estimator, not a 1e16 'ok'", async () => {
    const frame = await readFrame(fixturePath("degenerate", "lasso-alpha-max.csv"));
    const rows = fit(frame, ROLES, {
      estimators: ["tsls_lasso", "tsls_post_lasso", "ctx_tsls_lasso", "tsls"],
      params: { context: ["age", "sex"] },
    });
    for (const row of rows.slice(0, 3)) {
      expect(row.status, row.estimator).toBe("degenerate_first_stage");
      expect(row.estimate, row.estimator).toBeNaN();
      expect(row.se, row.estimator).toBeNaN();
    }
    expect(rows[0]?.extras.n_selected).toBe(1);
    // Plain 2SLS on the same data is a legitimate weak-instrument fit.
    expect(rows[3]?.status).toBe("ok");
    expect(Math.abs(rows[3]?.estimate as number)).toBeLessThan(10);
  });

  /**
   * Weak-instrument cells at the study's sizes: every first stage that LassoCV really selects from
   * must stay far above the bound (the smallest seen over 480 fits was 2.6e-6), and those it does
   * not must be flagged; both kinds occur here, so the test cannot pass vacuously.
   */
  it("does not fire on real weak-instrument selections", () => {
    const core = getCore();
    let real = 0;
    let degenerate = 0;
    for (const pi of [0.01, 0.03]) {
      for (let seed = 1; seed <= 12; seed++) {
        const sim = simulate("study", { n: 1000, L: 15, pi_scale: pi, seed });
        const data = toIndividualData(sim.data, sim.roles);
        const stage = lassoFirstStage(data, core);
        if (stage.nSelected === 0) continue;
        const [row] = fit(sim.data, sim.roles, { estimators: ["tsls_lasso"] });
        if (stage.r2 > 1e-20) {
          real++;
          expect(stage.r2).toBeGreaterThan(1e3 * DEGENERATE_R2);
          expect(row?.status).toBe("ok");
        } else {
          degenerate++;
          expect(row?.status).toBe("degenerate_first_stage");
        }
      }
    }
    expect(real).toBeGreaterThan(0);
    expect(degenerate).toBeGreaterThan(0);
  });
});

describe("non-finite estimates", () => {
  it("finiteStatus: ok only when the estimate and (if the estimator has one) the SE are finite", () => {
    expect(finiteStatus(0.3, 0.1)).toBe("ok");
    expect(finiteStatus(0.3, null)).toBe("ok");
    expect(finiteStatus(0.3, Number.NaN)).toBe("non_finite");
    expect(finiteStatus(Number.POSITIVE_INFINITY, 0.1)).toBe("non_finite");
    expect(finiteStatus(Number.NaN, null)).toBe("non_finite");
  });

  it("tRow keeps the numbers but marks an infinite SE non_finite", () => {
    const row = tRow("ols", 0.5, Number.POSITIVE_INFINITY, 10, {});
    expect(row.status).toBe("non_finite");
    expect(row.estimate).toBe(0.5);
    expect(tRow("ols", 0.5, 0.1, 10, {}).status).toBe("ok");
    expect(failedRow("ols", "non_finite", ["df"]).extras.df).toBeNaN();
  });

  it("a summary-level estimator with a non-finite estimate is non_finite, not ok", () => {
    // Every SNP-exposure association is zero: IVW's weighted slope 0/0.
    const n = 40;
    const g = Float64Array.from({ length: n }, (_, i) => i % 3);
    const frame = {
      n,
      names: ["Y", "X", "G0", "G1"],
      integer: [false, false, true, true],
      columns: [
        Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
        new Float64Array(n).fill(1),
        g,
        Float64Array.from(g, (v, i) => (v + i) % 2),
      ],
    };
    const [row] = fit(frame, { outcome: "Y", exposure: "X", instruments: ["G0", "G1"] }, { estimators: ["ivw"] });
    expect(row?.status).toBe("non_finite");
  });
});
