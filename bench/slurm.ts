import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jobGone, startCluster } from "../test/helpers/slurm-cluster.js";

/**
 * `npm run bench:slurm [-- ROUNDS]`: the quick preset as a 4-shard SLURM array job (submit, wait,
 * merge) against a local 2-thread run on the same machine, alternating, ROUNDS times (default 2),
 * on a single-node SLURM started here (root only; test/helpers/slurm-cluster.ts). Prints each pair
 * and the median overhead; the goal is under 20% of the local run. Figures are left out of both.
 */

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const GOAL = 0.2;

function cli(args: readonly string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, CI: "true" } });
  if (r.status !== 0) throw new Error(`mrsweep ${args.join(" ")} failed: ${r.stderr}`);
  return r.stderr;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 2);
  const cluster = await startCluster();
  if (!cluster.ok) {
    console.log(`bench slurm: skipped: ${cluster.why}`);
    return;
  }
  const ratios: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const root = mkdtempSync(join(tmpdir(), "mrsweep-bench-slurm-"));
      let t = Date.now();
      cli(["sweep", "--preset", "quick", "--threads", "2", "--out", join(root, "local"), "--no-plots", "--quiet"]);
      const local = (Date.now() - t) / 1000;
      t = Date.now();
      const out = cli(["slurm", "submit", "--preset", "quick", "--shards", "4", "--out", join(root, "sharded")]);
      const id = /submitted job (\d+)/.exec(out)?.[1] as string;
      if (!(await jobGone(id, 3_600_000))) throw new Error(`job ${id} still queued after an hour`);
      const ran = (Date.now() - t) / 1000;
      cli(["merge", join(root, "sharded"), "--no-plots"]);
      const sharded = (Date.now() - t) / 1000;
      ratios.push(sharded / local - 1);
      console.log(
        `round ${round}: local 2 threads ${local.toFixed(1)} s; SLURM 4 shards ${sharded.toFixed(1)} s (array job ${ran.toFixed(1)} s, merge ${(sharded - ran).toFixed(1)} s): overhead ${(100 * (sharded / local - 1)).toFixed(0)}%`,
      );
      rmSync(root, { recursive: true, force: true });
    }
  } finally {
    await cluster.stop();
  }
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)] as number;
  console.log(`median overhead ${(100 * median).toFixed(0)}% (goal: under ${100 * GOAL}%)`);
}

await main();
