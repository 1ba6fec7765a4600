import { describe, expect, it } from "vitest";
import { ctxBoth, ctxOls, ctxTsls, ctxTslsLasso } from "../../src/estimators/contextualized.js";
import { estimators } from "../../src/estimators/registry.js";
import { INTERVAL_KINDS, isConfidenceInterval } from "../../src/estimators/types.js";
import { resolveParams } from "../../src/params.js";

/** Each estimator's declared interval with its defaults, by id. */
function declared(): Record<string, string> {
  return Object.fromEntries([...estimators.values()].map((e) => [e.id, e.interval(e.defaults)]));
}

describe("interval declarations", () => {
  it("every estimator declares a known kind; one-sample summary-level methods ignore the first stage", () => {
    const kinds = declared();
    for (const [id, kind] of Object.entries(kinds)) expect(INTERVAL_KINDS, id).toContain(kind);
    expect(kinds).toEqual({
      ols: "exact",
      tsls: "asymptotic",
      tsls_lasso: "ignores_selection",
      tsls_post_lasso: "ignores_selection",
      ctx_ols: "none",
      ctx_tsls: "none",
      ctx_tsls_lasso: "none",
      tsls_interact: "asymptotic",
      ctx_first_tsls: "asymptotic",
      ctx_both: "none",
      inv_linear: "ignores_selection",
      inv_repr: "ignores_selection",
      deep_mr_egger: "asymptotic",
      deep_mr_naive: "none",
      kclass: "asymptotic",
      tsls_z: "asymptotic",
      tsls_z_po_k: "asymptotic",
      liml_z_po_k: "asymptotic",
      egger_z: "ignores_first_stage",
      egger_z_po_k: "ignores_first_stage",
      oracle_tsls_w: "asymptotic",
      oracle_tsls_w_po_v: "asymptotic",
      external: "asymptotic",
      ivw: "ignores_first_stage",
      mr_egger: "ignores_first_stage",
      weighted_median: "ignores_first_stage",
      simple_median: "ignores_first_stage",
      weighted_mode: "ignores_first_stage",
      simple_mode: "ignores_first_stage",
    });
  });

  it("ctx_* re-split (n_bootstraps > 1, given or from a preset's override) is a spread, not a confidence interval", () => {
    for (const e of [ctxOls, ctxTsls, ctxTslsLasso, ctxBoth]) {
      const resplit = resolveParams(e.id, e.params, e.defaults, { n_bootstraps: 5 });
      expect(e.interval(resplit)).toBe("not_a_confidence_interval");
      expect(e.interval(resolveParams(e.id, e.params, e.defaults, { n_bootstraps: 1 }))).toBe("none");
    }
    expect(isConfidenceInterval("not_a_confidence_interval")).toBe(false);
    expect(isConfidenceInterval("none")).toBe(false);
    expect(INTERVAL_KINDS.filter(isConfidenceInterval)).toEqual([
      "exact",
      "asymptotic",
      "bootstrap_percentile",
      "ignores_selection",
      "ignores_first_stage",
    ]);
  });
});
