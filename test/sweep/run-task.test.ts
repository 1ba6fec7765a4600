import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import { simulate } from "../../src/sim/simulate.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells, seedOf, sweepSetup } from "../../src/sweep/plan.js";
import { extraColumns, replicateColumns } from "../../src/sweep/replicates.js";
import { runTask, type TaskInput } from "../../src/sweep/run-task.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";
import { assertClose } from "../helpers/assert-close.js";

/** Replicate 0 of a context cell: its dataset alone (n = 4000, L = 12) outgrows the core's initial memory. */
function task(): TaskInput {
  const config = parseSweepConfig({
    dgp: "study",
    params: { n: 4000, L: 12, context: true },
    replicates: 1,
    estimators: ["ols", "tsls", "tsls_lasso"],
    seed: 11,
  });
  const grid = cells(config);
  const inputs = new TaskInputs(sweepSetup(config, grid, extraColumns(replicateColumns(config))));
  return inputs.of({ cell: 0, replicate: 0, seed: seedOf(config, grid[0] as (typeof grid)[0], 0) });
}

/** A fresh core whose memory has already grown to 64 MB, so that nothing in a task grows it. */
function ampleCore(): Core {
  const core = createCore();
  const m = core.wasm.mark();
  core.alloc((64 << 20) / 8);
  core.wasm.reset(m);
  return core;
}

describe("runTask: the dataset lives in the core's arena", () => {
  const expected = runTask(ampleCore(), task());

  it("gives the same rows when memory grows while the dataset is drawn or reserved", () => {
    const core = createCore();
    const before = core.wasm.memory.buffer.byteLength;
    const base = core.wasm.mark();
    const got = runTask(core, task());
    expect(core.wasm.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(got.rows).toEqual(expected.rows);
    expect(core.wasm.mark()).toBe(base);
  });

  it("reserves the estimators' workspaces before the first fit: no fit sees memory grow", () => {
    const core = createCore();
    const buffers: ArrayBuffer[] = [];
    // The hook runs at the start of each fit: it records the memory each fit starts with.
    const got = runTask(core, task(), () => {
      buffers.push(core.wasm.memory.buffer);
      return false;
    });
    expect(buffers).toHaveLength(3);
    expect(buffers.every((b) => b === core.wasm.memory.buffer)).toBe(true);
    expect(got.rows).toEqual(expected.rows);
  });

  it("a fit that outgrows its workspace fails with a message saying so, and so do the fits after it", () => {
    const core = ampleCore();
    // Allocating 128 MB inside tsls's fit grows memory past what was reserved and detaches the dataset.
    const growInTsls = (name: string) => {
      if (name === "tsls") core.alloc((128 << 20) / 8);
      return false;
    };
    const got = runTask(core, task(), growInTsls);
    expect(got.rows[0]).toEqual(expected.rows[0]);
    const message =
      /^sweep: estimator tsls: its fit must stay within the workspace reserved before it \(\d+(\.\d+)? MiB\); got memory growth from \d+(\.\d+)? MiB to \d+(\.\d+)? MiB$/;
    for (const row of got.rows.slice(1)) {
      expect(row.status).toBe("failed");
      expect(row.message).toMatch(message);
    }
  });
});

describe("runTask: person_mse for every estimator", () => {
  /** A cell with beta_i = 0.3 + delta C_i1 (the first context column), constant-effect estimators and a contextualized one. */
  function heterogeneousTask(delta: number): TaskInput {
    const config = parseSweepConfig({
      dgp: "study",
      params: { n: 300, L: 4, context: true, delta: [delta, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      replicates: 1,
      estimators: ["ols", "tsls", { id: "ctx_ols", params: { preset: "linear", max_epochs: 5 } }],
      seed: 5,
    });
    const grid = cells(config);
    expect(replicateColumns(config)).toContain("person_mse");
    const inputs = new TaskInputs(sweepSetup(config, grid, extraColumns(replicateColumns(config))));
    return inputs.of({ cell: 0, replicate: 0, seed: seedOf(config, grid[0] as (typeof grid)[0], 0) });
  }

  it("is mean_i (estimate - beta_i)^2 for a constant estimate, against the simulation's own beta_i", () => {
    const t = heterogeneousTask(0.2);
    const got = runTask(ampleCore(), t);
    const sim = simulate("study", t.params, { rng: t.rng });
    const betaI = sim.meta.beta_individual as number[];
    expect(new Set(betaI).size).toBeGreaterThan(1);
    for (const row of got.rows.slice(0, 2)) {
      const want = betaI.reduce((s, b) => s + (row.estimate - b) ** 2, 0) / betaI.length;
      assertClose(row.extras.person_mse as number, want, { rtol: 1e-12 }, `${row.estimator} person_mse`);
    }
    // The contextualized fit scores its own per-person effects (not its mean).
    expect(got.rows[2]?.extras.person_mse).toBeGreaterThan(0);
  });

  it("is (estimate - beta)^2 when everyone has the same effect", () => {
    const got = runTask(ampleCore(), heterogeneousTask(0));
    for (const row of got.rows.slice(0, 2))
      assertClose(row.extras.person_mse as number, (row.estimate - 0.3) ** 2, { rtol: 1e-12 }, row.estimator);
  });
});
