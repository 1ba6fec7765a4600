import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells, seedOf, sweepSetup } from "../../src/sweep/plan.js";
import { SWEEP_PRESETS } from "../../src/sweep/presets.js";
import { extraColumns, replicateColumns } from "../../src/sweep/replicates.js";
import { runTask } from "../../src/sweep/run-task.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";

const PRESET = SWEEP_PRESETS["invariance-quick"] as Record<string, unknown>;

/** The preset at a small size (300 + 100 rows per environment, one replicate): every cell's rows. */
function statusesPerCell(estimators: unknown): Array<{ mixing: string; statuses: Record<string, string> }> {
  const config = parseSweepConfig({
    ...PRESET,
    params: { ...(PRESET.params as object), n_train: 300, n_val: 100 },
    replicates: 1,
    estimators,
  });
  const grid = cells(config);
  const inputs = new TaskInputs(sweepSetup(config, grid, extraColumns(replicateColumns(config))));
  const core = createCore();
  return grid.map((cell) => {
    const t = inputs.of({ cell: cell.index, replicate: 0, seed: seedOf(config, cell, 0) });
    const rows = runTask(core, t).rows;
    return {
      mixing: String(t.params.mixing),
      statuses: Object.fromEntries(rows.map((r) => [r.estimator, r.status])),
    };
  });
}

describe("preset invariance-quick", () => {
  it("is E = 2 over the five mixings of invariance-mr.md section 6 with the baselines, LIML(Z), the oracles and inv_linear", () => {
    const config = parseSweepConfig(PRESET);
    expect(config.dgp).toBe("invariance");
    expect(config.params.E).toBe(2);
    expect(config.grid).toEqual([["mixing", ["linear", "poly1", "poly2", "poly3", "invmlp"]]]);
    expect(config.replicates).toBe(200);
    expect(config.estimators.map((e) => e.name)).toEqual([
      "tsls_z",
      "liml_z",
      "tsls_z_po_k",
      "liml_z_po_k",
      "egger_z",
      "egger_z_po_k",
      "oracle_tsls_w",
      "oracle_tsls_w_po_v",
      "inv_linear",
    ]);
  });

  it("every estimator fits with status ok on every mixing (polynomial mixing makes [1, Z] rank-deficient)", () => {
    const got = statusesPerCell(PRESET.estimators);
    expect(got.map((g) => g.mixing)).toEqual(["linear", "poly1", "poly2", "poly3", "invmlp"]);
    for (const { mixing, statuses } of got) {
      expect(Object.keys(statuses)).toHaveLength(9);
      for (const [estimator, status] of Object.entries(statuses)) expect(status, `${mixing} ${estimator}`).toBe("ok");
    }
  });

  it("kclass needs the preset's collinear: drop there: its default refuses the polynomial mixings' instruments", () => {
    const got = statusesPerCell([{ id: "kclass", name: "liml_z_refuse", params: { kappa: "liml" } }]);
    expect(got.map((g) => [g.mixing, g.statuses.liml_z_refuse])).toEqual([
      ["linear", "ok"],
      ["poly1", "collinear"],
      ["poly2", "collinear"],
      ["poly3", "collinear"],
      ["invmlp", "ok"],
    ]);
  });
});

describe("presets invariance-repr-small and invariance-paper*", () => {
  const parse = (name: string) => parseSweepConfig(SWEEP_PRESETS[name] as Record<string, unknown>);

  it("repr-small: poly2, 2000 + 500 rows per environment, λ 2 x 2, 100 epochs, 5 replicates", () => {
    const c = parse("invariance-repr-small");
    expect([c.params.mixing, c.params.n_train, c.params.n_val, c.replicates]).toEqual(["poly2", 2000, 500, 5]);
    const repr = c.estimators.filter((e) => e.id === "inv_repr");
    expect(
      repr.map((e) => [e.name, e.params.lambda1, e.params.lambda2, e.params.epochs, e.params.second_stage]),
    ).toEqual([
      ["inv_repr", [1, 5], [1, 5], 100, "tsls_w"],
      ["inv_repr_po_v", [1, 5], [1, 5], 100, "tsls_w_po_v"],
    ]);
  });

  it("paper: the four mixings on resampled rows, index controls, matched decoder, both stages and the λ2 = 0 ablation", () => {
    for (const [name, E, seed, epochs] of [
      ["invariance-paper", 2, 100, 400],
      ["invariance-paper-e3", 3, 123, 800],
    ] as const) {
      const c = parse(name);
      expect([c.params.E, c.params.mix_seed, c.params.eval_rows, c.replicates]).toEqual([E, seed, "resampled", 20]);
      expect(c.grid).toEqual([["mixing", ["poly1", "poly2", "poly3", "invmlp"]]]);
      const po = c.estimators.filter((e) => e.id.endsWith("_po_k"));
      expect(po.map((e) => e.params.environment_as)).toEqual(["index", "index", "index"]);
      const repr = c.estimators.filter((e) => e.id === "inv_repr");
      expect(repr.map((e) => [e.name, e.params.decoder, e.params.epochs, e.params.lambda2])).toEqual([
        ["inv_repr", "matched", epochs, [1, 5, 10]],
        ["inv_repr_po_v", "matched", epochs, [1, 5, 10]],
        ["inv_repr_no_hsic", "matched", epochs, [0]],
      ]);
    }
    const pw = parse("invariance-paper-pw");
    expect(pw.estimators.filter((e) => e.id === "inv_repr").map((e) => e.params.pw)).toEqual([1, 2, 3, 4]);
  });
});
