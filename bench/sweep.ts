import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSweepConfig } from "../src/sweep/config.js";
import { runSweep } from "../src/sweep/engine.js";

/** Replicates per second of a baseline-only sweep (ols, tsls, tsls_lasso at n = 5000, L = 15), 1 vs 2 threads. */
export async function benchSweep(replicates = 400): Promise<string> {
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
  await rate(2);
  const one = await rate(1);
  const two = await rate(2);
  return `sweep (ols, tsls, tsls_lasso; n=5000, L=15; ${replicates} replicates): 1 thread ${one.toFixed(0)}/s, 2 threads ${two.toFixed(0)}/s (${(two / one).toFixed(2)}x)`;
}
