import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import { configFile } from "../helpers/sweep.js";

/** deep-mr-ci with MC dropout, smaller still: one scenario, two replicates, one network of two epochs, three passes. */
const TRAINING = { uncertainty: "mc_dropout", passes: 3, epochs: 2, patience: 1, batch: 100 };
const CONFIG = {
  extends: "deep-mr-ci",
  params: { n_train: 300, n_test: 80 },
  grid: { scenario: ["unconfounded"] },
  replicates: 2,
  estimators: [
    { id: "deep_mr_egger", name: "deep_mr_egger", params: TRAINING },
    { id: "deep_mr_naive", name: "deep_mr_naive", params: TRAINING },
  ],
};

describe("Deep MR sweeps with MC dropout", () => {
  it("both estimators from one network per replicate; rows byte-identical with 1 and 2 threads", async () => {
    const config = parseSweepConfig(CONFIG);
    const run = async (threads: number) => {
      const { dir } = configFile({});
      await runSweep({ config, dir, threads });
      return readFileSync(join(dir, "replicates.csv"), "utf8");
    };
    const one = await run(1);
    const two = await run(2);
    expect(two).toBe(one);
    const lines = one.trim().split("\n");
    const head = (lines[0] as string).split(",");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows.map((r) => r[head.indexOf("status")])).toEqual(Array(4).fill("ok"));
    const se = rows
      .filter((r) => r[head.indexOf("estimator")] === "deep_mr_egger")
      .map((r) => Number(r[head.indexOf("se")]));
    expect(se.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  }, 240_000);
});
