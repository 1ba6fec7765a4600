import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EstimateRow } from "../../src/estimators/types.js";
import { unitColumns, unitLines, unitsHeader } from "../../src/sweep/units.js";
import { runCli } from "../helpers/cli.js";
import { configFile } from "../helpers/sweep.js";

const row = (estimator: string, units?: Record<string, Float64Array>): EstimateRow => ({
  estimator,
  estimate: 1,
  se: 0.1,
  ci_lower: 0.8,
  ci_upper: 1.2,
  p_value: 0.01,
  status: "ok",
  extras: {},
  ...(units ? { units } : {}),
});

describe("units.csv: the per-unit output channel of sweeps", () => {
  it("has one line per unit of each estimator with per-unit outputs; NA where a value is missing", () => {
    const columns = unitColumns({
      estimators: [
        { name: "ols", id: "ols", params: {} },
        { name: "fast", id: "ctx_tsls", params: {} },
      ],
    });
    expect(columns).toEqual(["beta", "mu"]);
    expect(unitsHeader(columns)).toBe("cell_id,replicate,estimator,unit,beta,mu\n");
    const rows = [row("ols"), row("fast", { beta: Float64Array.of(0.5, Number.NaN), mu: Float64Array.of(-1, 2) })];
    expect(unitLines("c001", 7, rows, columns)).toBe("c001,7,fast,1,0.5,-1\nc001,7,fast,2,NA,2\n");
    expect(unitLines("c001", 7, [row("ols")], columns)).toBe("");
  });

  it("a sweep writes it only when asked (--units); beta averages to the row's estimate", () => {
    const config = {
      dgp: "study",
      params: { n: 120, L: 3, pi_scale: 0.5, context: true },
      replicates: 2,
      estimators: ["ols", { id: "ctx_tsls", name: "ctx_fast", params: { preset: "fast", max_epochs: 3 } }],
      seed: 4,
    };
    const { dir, file } = configFile(config);
    const off = join(dir, "off");
    expect(runCli(["sweep", "--config", file, "--out", off, "--threads", "1", "--no-plots", "--quiet"]).code).toBe(0);
    expect(existsSync(join(off, "units.csv"))).toBe(false);
    const on = join(dir, "on");
    const r = runCli(["sweep", "--config", file, "--out", on, "--threads", "1", "--no-plots", "--quiet", "--units"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(on, "replicates.csv"), "utf8")).toBe(readFileSync(join(off, "replicates.csv"), "utf8"));
    const lines = readFileSync(join(on, "units.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("cell_id,replicate,estimator,unit,beta,mu");
    expect(lines).toHaveLength(1 + 2 * 120);
    const reps = readFileSync(join(on, "replicates.csv"), "utf8").trim().split("\n");
    const at = reps[0]?.split(",").indexOf("estimate") as number;
    for (const rep of [1, 2]) {
      const betas = lines.filter((l) => l.startsWith(`c001,${rep},ctx_fast,`)).map((l) => Number(l.split(",")[4]));
      expect(betas).toHaveLength(120);
      const estimate = Number(
        reps.find((l) => l.includes(`,ctx_fast,`) && l.split(",")[1] === String(rep))?.split(",")[at],
      );
      expect(Math.abs(betas.reduce((s, b) => s + b, 0) / 120 - estimate)).toBeLessThan(1e-12);
    }
    const plain = configFile({ ...config, estimators: ["ols"] });
    const none = runCli(["sweep", "--config", plain.file, "--out", join(dir, "x"), "--units", "--quiet"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /sweep: --units must be used with an estimator that has per-unit outputs \(ctx_ols, ctx_tsls, ctx_tsls_lasso, ctx_both, deep_mr_egger\); got none configured/,
    );
  }, 120_000); // four CLI processes
});
