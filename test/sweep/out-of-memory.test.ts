import { describe, expect, it } from "vitest";
import { configFile, spawnCli } from "../helpers/sweep.js";

describe("a sweep whose every task fails for lack of memory", () => {
  it("records each failure with the core's message and exits 3, never 0", async () => {
    const config = { dgp: "study", params: { L: 5 }, grid: { n: [300] }, replicates: 3, estimators: ["ols"], seed: 2 };
    const { dir, file } = configFile(config);
    const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "1", "--no-plots"], {
      env: { MRSWEEP_INJECT: "exhaust-core" },
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.match(/ols: .*core: could not allocate \d+ doubles \(WASM memory is exhausted\)/g)).toHaveLength(3);
    expect(r.stderr).toMatch(/sweep complete: 3\/3 tasks, 3 failed, /);
  }, 60_000);
});
