import { describe, expect, it } from "vitest";
import { figures } from "../../src/report/figures.js";
import { toSvg } from "../../src/report/render.js";
import { summaryRows } from "../../src/report/summary-rows.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { intervalsOf } from "../../src/sweep/replicates.js";
import { summarize } from "../../src/sweep/summary.js";

const config = parseSweepConfig({
  dgp: "study",
  grid: { n: [500, 1000] },
  replicates: 6,
  estimators: ["ols", "tsls"],
  seed: 1,
});

/** c001: a truth per replicate (1 or 3); c002: one truth; tsls fails on c001's replicate 2. */
function table(): string[][] {
  const head = [
    "cell_id",
    "n",
    "replicate",
    "seed",
    "beta_true",
    "estimator",
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "p_value",
    "status",
  ];
  const rows: string[][] = [head];
  for (const [cell, n] of [
    ["c001", "500"],
    ["c002", "1000"],
  ] as const) {
    for (let rep = 1; rep <= 6; rep++) {
      const truth = cell === "c001" ? (rep % 2 ? 1 : 3) : 0.3;
      for (const [est, shift] of [
        ["ols", 0.2],
        ["tsls", 0.01 * rep],
      ] as const) {
        const failed = cell === "c001" && est === "tsls" && rep === 2;
        const e = truth + shift;
        const v = failed
          ? ["NA", "NA", "NA", "NA", "NA", "failed"]
          : [e, 0.1, e - 0.2, e + 0.2, 0.01].map(String).concat("ok");
        rows.push([cell, n, String(rep), String(100 + rep), String(truth), est, ...v]);
      }
    }
  }
  return rows;
}

describe("estimate against truth", () => {
  it("a cell whose truth differs by replicate gets a scatter of ok estimates against their own truths instead of one truth line", async () => {
    const replicates = table();
    const summary = summarize(replicates, ["n"], intervalsOf(config));
    const all = figures(config, summaryRows(summary, ["n"]), replicates, summary[0] as string[]);
    const files = all.figures.map((f) => f.file);
    expect(files).toContain("truth-c001.svg");
    expect(files).not.toContain("truth-c002.svg");
    expect(files).not.toContain("estimates-c001.svg");
    expect(files).toContain("estimates-c002.svg");
    const spec = all.figures.find((f) => f.file === "truth-c001.svg")?.spec as {
      layer: Array<{ data: { values: Array<{ estimator: string; truth: number; estimate: number }> } }>;
    };
    const points = spec.layer[0]?.data.values ?? [];
    expect(points).toHaveLength(11);
    for (const p of points.filter((q) => q.estimator === "ols")) expect(p.estimate - p.truth).toBeCloseTo(0.2, 12);
    expect(points.find((p) => p.estimator === "tsls" && p.truth === 3)?.estimate).toBeCloseTo(3.04, 12);
    // The identity line spans every drawn value, truths and estimates (ols is 0.2 above the truth).
    expect(spec.layer[1]?.data.values).toEqual([
      { truth: 1, estimate: 1 },
      { truth: 3.2, estimate: 3.2 },
    ]);
    expect(await toSvg(all.figures.find((f) => f.file === "truth-c001.svg")?.spec ?? {})).toMatch(/^<svg/);
  });

  it("the summary measures each replicate against its own truth: ols is off by 0.2 everywhere, with cor_truth near 1", async () => {
    const summary = summarize(table(), ["n"], intervalsOf(config));
    const head = summary[0] as string[];
    const row = summary.find((r) => r[0] === "c001" && r[2] === "ols") as string[];
    const get = (k: string) => Number(row[head.indexOf(k)]);
    expect(get("bias")).toBeCloseTo(0.2, 12);
    expect(get("emp_se")).toBeLessThan(1e-12);
    expect(get("cor_truth")).toBeCloseTo(1, 12);
    expect(get("coverage")).toBe(1);
    const constant = summary.find((r) => r[0] === "c002" && r[2] === "ols") as string[];
    expect(constant[head.indexOf("cor_truth")]).toBe("NA");
  });
});
