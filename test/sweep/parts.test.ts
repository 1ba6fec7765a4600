import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import { cells, seedOf, sweepSetup } from "../../src/sweep/plan.js";
import { extraColumns, replicateColumns } from "../../src/sweep/replicates.js";
import { runTask } from "../../src/sweep/run-task.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";
import { TaskQueue } from "../../src/sweep/task-queue.js";
import { configFile } from "../helpers/sweep.js";

/** Fit parts (src/sweep/parts.ts, task-queue.ts): inv_repr's λ runs as tasks of their own. */
const TRAINING = { lambda1: [1, 5], lambda2: [1], width: 8, decoder_degree: 2, epochs: 3, batch_items: 50 };
const CONFIG = {
  dgp: "invariance",
  params: { E: 2, mixing: "poly2", n_train: 200, n_val: 60 },
  grid: { sigma: ["toeplitz", "wishart"] },
  replicates: 2,
  estimators: [
    "tsls_z",
    { id: "inv_repr", name: "tsls_w", params: TRAINING },
    { id: "inv_repr", name: "tsls_w_po_v", params: { ...TRAINING, second_stage: "tsls_w_po_v" } },
    { id: "inv_repr", name: "one_run", params: { ...TRAINING, lambda1: [5] } },
  ],
  seed: 5,
};

describe("task queue", () => {
  const parts = [
    { spec: 1, key: "a" },
    { spec: 1, key: "b" },
  ];
  const tasks = [
    { cell: 0, replicate: 1 },
    { cell: 1, replicate: 1 },
  ];

  it("sends a task's parts first, and the task as soon as its parts are back, before new work", () => {
    const q = new TaskQueue(tasks, () => parts);
    const a = q.take();
    const b = q.take();
    expect([a?.part?.key, a?.first, b?.part?.key, b?.first]).toEqual(["a", true, "b", false]);
    expect(q.left).toBe(2);
    const c = q.take();
    expect(c?.task).toEqual(tasks[1]);
    q.partDone(tasks[0] as never, "a", 1, 0.5);
    q.partDone(tasks[0] as never, "b", undefined, 0);
    expect(q.take()).toEqual({ task: tasks[0], first: false });
    // A piece that failed is left out: the task computes it itself.
    expect(q.piecesOf(tasks[0] as never)).toEqual({ results: { a: 1 }, seconds: { a: 0.5 } });
    expect(q.left).toBe(1);
  });

  it("once stopped, only tasks whose parts are all back are sent; a task with one piece is sent whole", () => {
    const q = new TaskQueue(tasks, () => parts);
    q.take();
    q.take();
    expect(q.take(true)).toBeUndefined();
    q.partDone(tasks[0] as never, "a", 1, 0);
    q.partDone(tasks[0] as never, "b", 2, 0);
    expect(q.take(true)?.task).toEqual(tasks[0]);
    const single = new TaskQueue(tasks, () => parts.slice(0, 1));
    expect(single.take()).toEqual({ task: tasks[0], first: true });
    expect(() => single.partDone(tasks[0] as never, "a", 1, 0)).toThrow(/not expected/);
  });
});

describe("λ runs on other workers", () => {
  it("the pieces are the distinct λ runs of every inv_repr configuration (shared by both second stages)", () => {
    const config = parseSweepConfig(CONFIG);
    const inputs = new TaskInputs(sweepSetup(config, cells(config), extraColumns(replicateColumns(config))));
    expect(inputs.parts.map((p) => [p.spec, JSON.parse(p.key).lambda1])).toEqual([
      [1, 1],
      [1, 5],
    ]);
  });

  it("rows are byte-identical with 1 and 2 threads and equal the fits made in one task without parts", async () => {
    const config = parseSweepConfig(CONFIG);
    let pieces = 0;
    const csv = async (threads: number) => {
      const { dir } = configFile({});
      await runSweep({ config, dir, threads, onEvent: (e) => void (e.type === "part" && pieces++) });
      return readFileSync(join(dir, "replicates.csv"), "utf8");
    };
    const one = await csv(1);
    // 2 cells x 2 replicates x 2 distinct λ runs, each reported once as it comes back.
    expect(pieces).toBe(8);
    expect(await csv(2)).toBe(one);
    const grid = cells(config);
    const inputs = new TaskInputs(sweepSetup(config, grid, extraColumns(replicateColumns(config))));
    const core = createCore();
    const cell = grid[1];
    if (!cell) throw new Error("no cell");
    const serial = runTask(core, inputs.of({ cell: 1, replicate: 2, seed: seedOf(config, cell, 2) })).rows;
    const lines = one.trim().split("\n");
    const header = (lines[0] as string).split(",");
    const at = (name: string) => header.indexOf(name);
    const swept = lines
      .slice(1)
      .map((l) => l.split(","))
      .filter((f) => f[at("cell_id")] === cell.id && f[at("replicate")] === "2");
    expect(swept.map((f) => f[at("estimator")])).toEqual(serial.map((r) => r.estimator));
    for (const [i, r] of serial.entries()) {
      expect(r.status).toBe("ok");
      expect(Number(swept[i]?.[at("estimate")])).toBe(r.estimate);
      if (r.estimator !== "tsls_z") expect(Number(swept[i]?.[at("lambda1")])).toBe(r.extras.lambda1);
    }
    // The shared model: both second stages picked the same run.
    expect(serial[1]?.extras.selection_score).toBe(serial[2]?.extras.selection_score);
  }, 120_000);
});
