import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import { configFile } from "../helpers/sweep.js";

/** The deep-mr-ci preset, smaller still: one scenario, two replicates, two members of two epochs. */
const CONFIG = {
  extends: "deep-mr-ci",
  params: { n_train: 300, n_test: 80 },
  grid: { scenario: ["unconfounded"] },
  replicates: 2,
  estimators: [
    { id: "deep_mr_egger", name: "deep_mr_egger", params: { members: 2, epochs: 2, patience: 1, batch: 100 } },
    { id: "deep_mr_naive", name: "deep_mr_naive", params: { members: 2, epochs: 2, patience: 1, batch: 100 } },
    {
      id: "deep_mr_egger",
      name: "deep_mr_egger_dl",
      params: { members: 2, epochs: 2, patience: 1, batch: 100, tau2: "DL" },
    },
  ],
};

describe("Deep MR sweeps", () => {
  it("members run as fit pieces shared by the three configurations; rows byte-identical with 1 and 2 threads; each replicate measured against its own truth", async () => {
    const config = parseSweepConfig(CONFIG);
    let pieces = 0;
    const run = async (threads: number) => {
      const { dir } = configFile({});
      await runSweep({ config, dir, threads, onEvent: (e) => void (e.type === "part" && pieces++) });
      return {
        csv: readFileSync(join(dir, "replicates.csv"), "utf8"),
        summary: readFileSync(join(dir, "summary.csv"), "utf8"),
      };
    };
    const one = await run(1);
    // 2 replicates x 2 members: the three configurations train the same members.
    expect(pieces).toBe(4);
    const two = await run(2);
    expect(two.csv).toBe(one.csv);
    const lines = one.csv
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    const head = lines[0] as string[];
    const rows = lines.slice(1);
    expect(rows.map((r) => r[head.indexOf("status")])).toEqual(Array(6).fill("ok"));
    // The truth differs by replicate (a new round each), so the summary carries cor_truth's column.
    expect(new Set(rows.map((r) => r[head.indexOf("beta_true")])).size).toBe(2);
    expect(one.summary.split("\n")[0]).toContain("cor_truth");
  }, 240_000);
});
