import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseSweepConfig } from "../src/sweep/config.js";
import { runSweep } from "../src/sweep/engine.js";
import { SWEEP_PRESETS } from "../src/sweep/presets.js";
import { fmtTime } from "./timing.js";

/** Seconds per estimator summed over timings.csv (cell_id, replicate, estimator, seconds). */
function estimatorSeconds(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(file, "utf8").trim().split("\n").slice(1)) {
    const [, , id, s] = line.split(",");
    out.set(id as string, (out.get(id as string) ?? 0) + Number(s));
  }
  return out;
}

/**
 * The whole `invariance-quick` preset (as `mrsweep sweep --preset invariance-quick` into a temporary
 * folder, all cores, no figures): wall time, and the fitting time of each estimator summed over tasks.
 */
export async function benchInvarianceQuick(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-invq-"));
  const config = parseSweepConfig(SWEEP_PRESETS["invariance-quick"]);
  const threads = availableParallelism();
  try {
    const t0 = performance.now();
    const r = await runSweep({ config, dir, threads });
    const wall = (performance.now() - t0) / 1000;
    const per = [...estimatorSeconds(join(dir, "timings.csv"))].sort((a, b) => b[1] - a[1]);
    return [
      `invariance-quick preset (${r.total} tasks, ${threads} threads, status ${r.status}): ${fmtTime(wall)} wall`,
      `  fitting time summed over tasks: ${per.map(([id, s]) => `${id} ${fmtTime(s)}`).join(", ")}`,
    ].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
