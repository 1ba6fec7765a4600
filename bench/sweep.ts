import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { parseSweepConfig } from "../src/sweep/config.js";
import { runSweep } from "../src/sweep/engine.js";

/** Wall seconds for `threads` workers each spinning the same loop: the machine's own parallel speed-up. */
async function spin(threads: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () => new Promise((resolve) => new Worker(new URL("./spin-worker.mjs", import.meta.url)).on("exit", resolve)),
    ),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * Replicates per second of a baseline-only sweep (ols, tsls, tsls_lasso at n = 5000, L = 15) with
 * 1 and 2 threads, next to the speed-up two threads get on pure arithmetic on this machine.
 */
export async function benchSweep(replicates = 2000): Promise<string> {
  const config = parseSweepConfig({
    dgp: "study",
    params: { n: 5000, L: 15 },
    grid: { context: [false, true] },
    replicates: replicates / 2,
    estimators: ["ols", "tsls", "tsls_lasso"],
    seed: 1,
  });
  const rate = async (threads: number) => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-sweep-"));
    const t0 = performance.now();
    await runSweep({ config, dir, threads });
    return replicates / ((performance.now() - t0) / 1000);
  };
  const machine = (await spin(1)) / ((await spin(2)) / 2);
  const one = await rate(1);
  const two = await rate(2);
  return [
    `machine: 2 threads of pure arithmetic run ${machine.toFixed(2)}x as fast as 1`,
    `sweep (ols, tsls, tsls_lasso; n=5000, L=15; ${replicates} replicates): 1 thread ${one.toFixed(0)}/s, 2 threads ${two.toFixed(0)}/s (${(two / one).toFixed(2)}x)`,
  ].join("\n");
}
