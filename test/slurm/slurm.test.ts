import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, jobGone, startCluster } from "../helpers/slurm-cluster.js";
import { spawnCli } from "../helpers/sweep.js";

/**
 * On a real single-node SLURM started here (installed when missing, as root): the quick preset as
 * a 4-shard array job, merged, gives the bytes of a local 2-thread run. Without root (or when SLURM
 * cannot start) the test is skipped with one line saying why. The daemons started are stopped by
 * PID whatever happens. The wall times are printed (submission to merge against the local run).
 */

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
let cluster: Cluster = { ok: false, why: "not started" };

beforeAll(async () => {
  cluster = await startCluster();
  if (!cluster.ok) process.stderr.write(`SLURM test skipped: ${cluster.why}\n`);
}, 600_000);

afterAll(async () => {
  if (cluster.ok) await cluster.stop();
}, 120_000);

describe("a real SLURM", () => {
  it("runs quick as a 4-shard array job whose merge equals a local 2-thread run byte for byte", async (ctx) => {
    if (!cluster.ok) return ctx.skip(`SLURM could not be started: ${cluster.why}`);
    const root = mkdtempSync(join(tmpdir(), "mrsweep-slurm-"));
    const local = join(root, "local");
    const sharded = join(root, "sharded");

    const t0 = Date.now();
    const l = await spawnCli(["sweep", "--preset", "quick", "--threads", "2", "--out", local, "--no-plots", "--quiet"]);
    const localSeconds = (Date.now() - t0) / 1000;
    expect(l.code, l.stderr).toBe(0);

    const t1 = Date.now();
    const submit = await spawnCli(["slurm", "submit", "--preset", "quick", "--shards", "4", "--out", sharded]);
    expect(submit.code, submit.stderr).toBe(0);
    const id = /submitted job (\d+)/.exec(submit.stderr)?.[1] as string;
    expect(id).toMatch(/^\d+$/);
    expect(await jobGone(id, 900_000)).toBe(true);
    const merged = await spawnCli(["merge", sharded, "--no-plots"]);
    const slurmSeconds = (Date.now() - t1) / 1000;
    const logs = readdirSync(join(sharded, "slurm")).sort();
    expect(merged.code, `${merged.stderr}\n${logs.map((f) => read(join(sharded, "slurm"), f)).join("\n")}`).toBe(0);

    expect(read(sharded, "replicates.csv")).toBe(read(local, "replicates.csv"));
    expect(read(sharded, "summary.csv")).toBe(read(local, "summary.csv"));
    expect(logs).toEqual([1, 2, 3, 4].map((i) => `${id}_${i}.out`));
    const status = await spawnCli(["status", sharded]);
    expect(status.stdout).toMatch(/shards: 4 done, 0 running, 0 pending, 0 failed, 0 incomplete, 0 missing/);
    expect(spawnSync("squeue", ["-h"], { encoding: "utf8" }).stdout.trim()).toBe("");
    process.stderr.write(
      `SLURM: quick as 4 shards ${slurmSeconds.toFixed(1)} s from submit to merged, local 2 threads ${localSeconds.toFixed(1)} s (${cluster.log.join("; ")})\n`,
    );
  }, 900_000);
});
