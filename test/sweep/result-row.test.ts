import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { fit } from "../../src/estimators/fit.js";
import { ROW_STATUSES } from "../../src/estimators/types.js";
import { simulate } from "../../src/sim/simulate.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells, seedOf, sweepSetup } from "../../src/sweep/plan.js";
import { extraColumns, formatResult, replicateColumns } from "../../src/sweep/replicates.js";
import { runTask } from "../../src/sweep/run-task.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";

describe("one result-row type from estimator to replicates.csv", () => {
  const config = parseSweepConfig({
    dgp: "study",
    params: { n: 300, L: 4, pi_scale: 0.4 },
    replicates: 1,
    estimators: ["ols", { id: "ivw", name: "ivw_named" }],
    seed: 3,
  });
  const grid = cells(config);
  const extras = extraColumns(replicateColumns(config));
  const inputs = new TaskInputs(sweepSetup(config, grid, extras));
  const m = { cell: 0, replicate: 1, seed: seedOf(config, grid[0] as (typeof grid)[0], 1) };

  it("a sweep row is the estimator's row under its configured name, with person_mse added", () => {
    const t = inputs.of(m);
    const got = runTask(getCore(), t);
    const sim = simulate("study", t.params, { rng: t.rng });
    const direct = fit(sim.data, sim.roles, { estimators: ["ols"], seed: `${t.seed}:ols` })[0];
    const { interval: _, ...own } = direct ?? {};
    expect(got.rows[0]).toEqual({ ...own, extras: { ...own.extras, person_mse: got.rows[0]?.extras.person_mse } });
    expect(got.rows[1]?.estimator).toBe("ivw_named");
  });

  it("an estimator that throws gives a row of the same type: status failed, the message, NaN numbers", () => {
    const r = runTask(getCore(), inputs.of(m), (name) => name === "ivw_named");
    const row = r.rows[1];
    expect(row).toMatchObject({ estimator: "ivw_named", status: "failed", message: "injected failure in ivw_named" });
    expect(Number.isNaN(row?.estimate)).toBe(true);
    expect(ROW_STATUSES).toContain(row?.status);
    const out = formatResult(inputs.lead(0), extras, r);
    expect(out.failures).toEqual([{ estimator: "ivw_named", message: "injected failure in ivw_named" }]);
    expect(out.csv.split("\n")[1]).toMatch(/,ivw_named,NA,NA,NA,NA,NA,failed,injected failure in ivw_named,/);
  });
});
