import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSweepConfig } from "../src/sweep/config.js";
import { runSweep } from "../src/sweep/engine.js";
import { SWEEP_PRESETS } from "../src/sweep/presets.js";
import { etaAccuracy, type TimedEvent } from "../src/ui/eta-check.js";

const FIXTURE = fileURLToPath(new URL("../test/fixtures/progress/quick-events.json", import.meta.url));

/**
 * Runs the quick preset once on all cores, recording every start/task/end event with its time,
 * and reports how far the live ETA was from the time that really remained, from 20% of tasks on.
 * `--record` also writes the recording as the test fixture the ETA test replays.
 */
export async function benchEta(record: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-eta-"));
  const events: TimedEvent[] = [];
  const t0 = performance.now();
  try {
    await runSweep({
      config: parseSweepConfig(SWEEP_PRESETS.quick),
      dir,
      threads: availableParallelism(),
      onEvent: (e) => {
        if (e.type === "start" || e.type === "task" || e.type === "end")
          events.push({ t: Math.round(performance.now() - t0), e: structuredClone(e) });
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (record) writeFileSync(FIXTURE, `${JSON.stringify(events)}\n`);
  const a = etaAccuracy(events);
  return [
    `ETA of the quick preset (${availableParallelism()} threads, ${((events.at(-1)?.t ?? 0) / 1000).toFixed(1)} s):`,
    `  from 20% of tasks on, ${a.checks} checks: worst error ${(100 * a.worst).toFixed(1)}% of the time left (at least 1 s) (at ${(100 * a.worstAt).toFixed(1)}% done), median ${(100 * a.median).toFixed(1)}%`,
    record ? `  recording written to ${FIXTURE}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}
