import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSweepConfig, type SweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import { writeSummary } from "../../src/sweep/outputs.js";
import { type Cell, cells, seedOf, tasks } from "../../src/sweep/plan.js";
import { SWEEP_PRESETS } from "../../src/sweep/presets.js";
import { configFile, smallConfig, spawnCli } from "../helpers/sweep.js";

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

/** summary.csv as `mrsweep summarize` rebuilds it from the run's replicates.csv. */
async function summaryFromFile(dir: string, config: Record<string, unknown>): Promise<string> {
  const out = configFile({}).dir;
  await writeSummary(out, join(dir, "replicates.csv"), parseSweepConfig(config));
  return read(out, "summary.csv");
}

describe("sweep configuration", () => {
  const base = smallConfig(2);
  for (const [change, re] of [
    [
      { colour: "red" },
      /sweep config: a key must be one of dgp, rng, params, grid, replicates, estimators, seed, seeds, plugins, extends; got "colour"/,
    ],
    [{ grid: { N: [1, 2] } }, /sweep config: grid axis must be one of n, L, .*; got "N"/],
    [{ grid: { n: [1000, 0] } }, /sweep config: grid.n\[1\]: parameter n must be an integer >= 2; got 0/],
    [{ grid: { n: [] } }, /sweep config: grid.n must be a non-empty list; got \[\]/],
    [{ replicates: 0 }, /sweep config: replicates must be an integer >= 1; got 0/],
    [
      { estimators: ["ols", "liml"] },
      /sweep config: estimators\[1\]: estimator must be one of ols, tsls, .*; got "liml"/,
    ],
    [{ estimators: ["ols", "ols"] }, /sweep config: estimator names must be unique .*; got "ols"/],
    [
      { estimators: [{ id: "ctx_tsls", params: { preset: "huge" } }] },
      /parameter preset must be one of package-default, small, study-small, linear, fast; got "huge"/,
    ],
    [{ rng: "mt" }, /sweep config: rng must be one of seedrandom, numpy; got "mt"/],
    [{ params: { n: 100 }, grid: { n: [100] } }, /sweep config: grid.n must be not also a fixed parameter; got 100/],
  ] as const) {
    it(JSON.stringify(change), () => {
      expect(() => parseSweepConfig({ ...base, ...change })).toThrow(re);
    });
  }

  it("every preset is valid; study has 50 cells and 9 models; study-exact uses seed 7 for every task", () => {
    for (const p of Object.values(SWEEP_PRESETS)) parseSweepConfig(p);
    const study = parseSweepConfig(SWEEP_PRESETS.study);
    expect(cells(study)).toHaveLength(50);
    expect(study.estimators.map((e) => e.name)).toEqual([
      "ols",
      "tsls",
      "tsls_lasso",
      "ctx_ols_mlp",
      "ctx_ols_small",
      "ctx_tsls_mlp",
      "ctx_tsls_small",
      "ctx_tsls_lasso_mlp",
      "ctx_tsls_lasso_small",
    ]);
    const exact = parseSweepConfig(SWEEP_PRESETS["study-exact"]);
    const exactCells = cells(exact);
    const exactSeeds = tasks(exact, exactCells).map((t) => seedOf(exact, exactCells[t.cell] as Cell, t.replicate));
    expect(new Set(exactSeeds)).toEqual(new Set([7]));
  });

  it("task seeds depend on the run seed and the task only", () => {
    const c = parseSweepConfig(base);
    const reordered = parseSweepConfig({ ...base, grid: { context: [true, false], n: [1500, 500] } });
    const seeds = (config: SweepConfig) => {
      const cs = cells(config);
      return new Map(
        tasks(config, cs).map((t) => {
          const cell = cs[t.cell] as Cell;
          return [
            `${JSON.stringify(Object.entries(cell.values).sort())}|${t.replicate}`,
            seedOf(config, cell, t.replicate),
          ];
        }),
      );
    };
    const sa = seeds(c);
    const sb = seeds(reordered);
    expect(sa.size).toBe(c.replicates * cells(c).length);
    for (const [k, v] of sa) expect(sb.get(k)).toBe(v);
    expect(new Set(sa.values()).size).toBe(sa.size);
  });
});

describe("sweep runs", () => {
  it("1 and 2 threads give byte-identical replicates.csv and summary.csv", async () => {
    const config = parseSweepConfig(smallConfig(6));
    const one = configFile({}).dir;
    const two = configFile({}).dir;
    await runSweep({ config, dir: one, threads: 1 });
    await runSweep({ config, dir: two, threads: 2 });
    expect(read(two, "replicates.csv")).toBe(read(one, "replicates.csv"));
    expect(read(two, "summary.csv")).toBe(read(one, "summary.csv"));
    expect(read(one, "replicates.csv").trim().split("\n")).toHaveLength(1 + 4 * 6 * 4);
    const run = JSON.parse(read(one, "run.json"));
    expect(run).toMatchObject({ status: "complete", seed: 11, threads: 1, tasks: { total: 24, done: 24 } });
  }, 60_000);

  it("recovers from a torn last line and an incomplete task", async () => {
    const config = parseSweepConfig(smallConfig(4));
    const ref = configFile({}).dir;
    await runSweep({ config, dir: ref, threads: 2 });
    const dir = configFile({}).dir;
    await runSweep({ config, dir, threads: 2 });
    const lines = read(dir, "replicates.csv").split("\n");
    // drop the last task's last row (incomplete task) and add a torn line
    writeFileSync(join(dir, "replicates.csv"), `${lines.slice(0, -2).join("\n")}\nc001,500,fal`);
    await runSweep({ config, dir, threads: 2 });
    expect(read(dir, "replicates.csv")).toBe(read(ref, "replicates.csv"));
    expect(read(dir, "summary.csv")).toBe(await summaryFromFile(dir, smallConfig(4)));
  }, 60_000);

  it("refuses a folder holding another configuration unless --force", async () => {
    const { dir, file } = configFile(smallConfig(2));
    expect((await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "1"])).code).toBe(0);
    writeFileSync(file, JSON.stringify({ ...smallConfig(2), params: { pi_scale: 0.5, L: 5 } }));
    const refused = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /sweep: the output folder .* must be empty or holding a run of the same configuration \(use --force to start afresh, or another --out\); got a run whose configuration differs: params.pi_scale: 0.3 → 0.5\n$/,
    );
    expect((await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "1", "--force"])).code).toBe(0);
  }, 60_000);
});

describe("failures and interruptions", () => {
  it("an injected failing estimator and a worker crash are recorded with their seeds; the sweep completes", async () => {
    const { dir, file } = configFile(smallConfig(4));
    const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "2"], {
      env: { MRSWEEP_INJECT: "fail@0:2:tsls,crash@1:3" },
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/sweep complete: 16\/16 tasks, 2 failed, /);
    expect(r.stderr).toMatch(/failure: cell c001 replicate 2 seed \d+ tsls: injected failure in tsls/);
    expect(r.stderr).toMatch(/failure: cell c002 replicate 3 seed \d+ ols: worker failed/);
    const rows = read(dir, "replicates.csv").trim().split("\n");
    expect(rows).toHaveLength(1 + 4 * 4 * 4);
    const failed = rows.filter((l) => l.includes(",failed,"));
    expect(failed).toHaveLength(1 + 4);
    expect(failed[0]).toMatch(/^c001,500,false,2,\d+,0\.3,tsls,NA,NA,NA,NA,NA,failed,injected failure in tsls,/);
    const summary = read(dir, "summary.csv");
    expect(summary).toMatch(/\nc001,500,false,tsls,asymptotic,3,1,/);
    expect(summary).toBe(await summaryFromFile(dir, smallConfig(4)));
  }, 60_000);

  it("--max-failures stops cleanly with exit code 1 and a resumable run", async () => {
    const { dir, file } = configFile(smallConfig(4));
    const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "1", "--max-failures", "1"], {
      env: { MRSWEEP_INJECT: "fail@0:1:ols" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stopping: 1 failed tasks \(--max-failures\)/);
    expect(JSON.parse(read(dir, "run.json")).status).toBe("stopped");
  }, 60_000);

  it("SIGKILL at several moments, resumed each time, ends equal to an uninterrupted run", async () => {
    const config = smallConfig(30);
    const ref = configFile(config);
    expect((await spawnCli(["sweep", "--config", ref.file, "--out", ref.dir, "--threads", "2"])).code).toBe(0);
    const { dir, file } = configFile(config);
    let kills = 0;
    for (const ms of [700, 1100, 900, 1500]) {
      const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "2"], { killAfterMs: ms });
      if (r.signal === "SIGKILL") kills++;
    }
    expect(kills).toBeGreaterThan(0);
    const last = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "2"]);
    expect(last.code, last.stderr).toBe(0);
    expect(read(dir, "replicates.csv")).toBe(read(ref.dir, "replicates.csv"));
    expect(read(dir, "summary.csv")).toBe(read(ref.dir, "summary.csv"));
  }, 120_000);

  it("SIGINT stops gracefully (exit 130) and the run resumes to the same result", async () => {
    const config = smallConfig(30);
    const ref = configFile(config);
    expect((await spawnCli(["sweep", "--config", ref.file, "--out", ref.dir, "--threads", "2"])).code).toBe(0);
    const { dir, file } = configFile(config);
    // Interrupted once the child says it has started its tasks, whatever the machine's speed;
    // once only, since a second Ctrl-C exits at once.
    let sent = false;
    const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "2"], {
      onStderr: (text, child) => {
        if (sent || !/tasks in 4 cells/.test(text)) return;
        sent = true;
        child.kill("SIGINT");
      },
    });
    expect(r.stderr).toMatch(/\nsweep: resume with: mrsweep sweep --config \S+ --out \S+ --threads 2\n$/);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/stopping: interrupted/);
    expect(JSON.parse(read(dir, "run.json")).status).toBe("stopped");
    expect(existsSync(join(dir, "replicates.csv"))).toBe(true);
    expect((await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "2"])).code).toBe(0);
    expect(read(dir, "replicates.csv")).toBe(read(ref.dir, "replicates.csv"));
  }, 120_000);
});
