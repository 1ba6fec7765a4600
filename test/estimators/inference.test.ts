import { describe, expect, it } from "vitest";
import { ciQuantile, tRow } from "../../src/estimators/inference.js";
import { studentTQuantile } from "../../src/stats/dist.js";

describe("t-based rows", () => {
  it("the CI's quantile is t_{0.975, df} for each df, whatever was asked before and however many", () => {
    const dfs = [3, 4983, 3, 0.5, 4983, Number.POSITIVE_INFINITY];
    for (let df = 1; df <= 600; df++) dfs.push(df + 0.25);
    dfs.push(3, 4983, 0.5);
    for (const df of dfs) expect(ciQuantile(df)).toBe(studentTQuantile(0.975, df));
    expect(ciQuantile(Number.NaN)).toBeNaN();
  });

  it("builds the interval and two-sided p-value from that quantile", () => {
    const row = tRow("x", 0.3, 0.1, 12, {});
    const q = studentTQuantile(0.975, 12);
    expect(q).toBeCloseTo(2.178813, 6);
    expect(row.ci_lower).toBe(0.3 - q * 0.1);
    expect(row.ci_upper).toBe(0.3 + q * 0.1);
    expect(row.p_value).toBeCloseTo(0.01108, 4);
  });
});
