import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells, seedOf } from "../../src/sweep/plan.js";
import { byEstimator, PYTHON, replicateRecords } from "../helpers/external.js";
import { ROOT } from "../helpers/fixtures.js";
import { configFile, spawnCli } from "../helpers/sweep.js";

const FLAKY = join(ROOT, "test", "fixtures", "external", "flaky.py");
// Generous: a normal task (a mean of 200 numbers) must never come near it on a loaded machine.
const TIMEOUT_MS = 8000;

/** The sweep, with flaky.py misbehaving on the replicates given by their seeds. */
function flakyConfig(acts: Record<string, number>): Record<string, unknown> {
  const base = { dgp: "study", params: { n: 200, L: 3 }, replicates: 8, seed: 9, estimators: ["ols"] };
  const config = parseSweepConfig(base);
  const [cell] = cells(config);
  const args = Object.entries(acts).flatMap(([act, replicate]) => [
    act,
    String(seedOf(config, cell as never, replicate)),
  ]);
  const flaky = {
    id: "external",
    name: "flaky",
    params: { command: [PYTHON, FLAKY, ...args], timeout_ms: TIMEOUT_MS },
  };
  return { ...base, estimators: ["ols", flaky] };
}

const ACTS = { "--crash": 2, "--hang": 4, "--garbage": 6, "--bad-status": 7 };

async function run(threads: number): Promise<{ dir: string; code: number | null; stderr: string }> {
  const { dir, file } = configFile(flakyConfig(ACTS));
  const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", String(threads), "--no-plots"]);
  return { dir, code: r.code, stderr: r.stderr };
}

describe("an external process that crashes, hangs or breaks the protocol", () => {
  it("is restarted; its tasks fail with why (and its stderr); the sweep completes, the same with 1 and 2 threads", async () => {
    const one = await run(1);
    expect(one.code, one.stderr).toBe(3);
    expect(one.stderr).toMatch(/sweep complete: 8\/8 tasks, 4 failed/);
    const rows = byEstimator(await replicateRecords(one.dir), "flaky");
    const failed = Object.fromEntries(rows.filter((r) => r.status === "failed").map((r) => [r.replicate, r.message]));
    expect(Object.keys(failed)).toEqual(["2", "4", "6", "7"]);
    expect(failed[2]).toMatch(
      /^external process ".*flaky.py.*": must keep running; got an exit with code 3 while fitting the task; its stderr ended: flaky.py: crashing on purpose at seed \d+$/,
    );
    expect(failed[4]).toMatch(
      new RegExp(
        `: must reply within ${TIMEOUT_MS} ms \\(timeout_ms\\); got no reply, and it was killed; its stderr ended: flaky.py: hanging on purpose at seed \\d+$`,
      ),
    );
    expect(failed[6]).toMatch(
      /: must reply with one JSON object line carrying the task's id; got "this is not JSON"; its stderr was empty$/,
    );
    expect(failed[7]).toMatch(/: reply field status must be one of ok, .*, failed; got "splendid"$/);
    // One thread: the tasks after each crash, hang and broken reply were answered by a new process.
    expect(rows.filter((r) => r.status === "ok").map((r) => r.replicate)).toEqual(["1", "3", "5", "8"]);
    const two = await run(2);
    expect(two.code, two.stderr).toBe(3);
    expect(readFileSync(join(two.dir, "replicates.csv"), "utf8")).toBe(
      readFileSync(join(one.dir, "replicates.csv"), "utf8"),
    );
  }, 240_000);
});
