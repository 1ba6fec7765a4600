import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePath, ROOT } from "../helpers/fixtures.js";
import { spawnCli } from "../helpers/sweep.js";

/**
 * The plug-in part of issue 24's acceptance: a sweep of a plug-in DGP and a plug-in estimator on 2
 * threads, SIGKILLed mid-run and resumed, ends byte-identical to an uninterrupted run; a changed
 * plug-in refuses the resume. The example's module is copied (so it can be changed) into a folder
 * under results/ (git-ignored), where `import ... from "mrsweep"` still resolves to this package.
 */

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** A folder with a copy of the example plug-in and a sweep config naming it and the hold fixture. */
function project(): { dir: string; config: string; plugin: string } {
  mkdirSync(join(ROOT, "results"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "results", "plugin-test-"));
  scratch.push(dir);
  const plugin = join(dir, "my-methods.mjs");
  copyFileSync(join(ROOT, "examples", "js-plugin", "my-methods.mjs"), plugin);
  const config = join(dir, "sweep.json");
  writeFileSync(
    config,
    JSON.stringify({
      plugins: ["./my-methods.mjs", fixturePath("plugins", "hold.mjs")],
      dgp: "confounded_iv",
      params: { L: 6 },
      grid: { n: [300, 600], strength: [0.1, 0.2] },
      replicates: 8,
      estimators: ["tsls", "allele_score", "hold_first_exposure"],
      seed: 9,
    }),
  );
  return { dir, config, plugin };
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

describe("a sweep with JS plug-ins", () => {
  it("SIGKILLed mid-run and resumed on 2 threads: byte-identical to an uninterrupted run; a changed plug-in refuses", async () => {
    const ref = project();
    const refOut = join(ref.dir, "out");
    const uninterrupted = await spawnCli([
      "sweep",
      "--config",
      ref.config,
      "--out",
      refOut,
      "--threads",
      "2",
      "--no-plots",
    ]);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    const { dir, config, plugin } = project();
    const out = join(dir, "out");
    const args = ["sweep", "--config", config, "--out", out, "--threads", "2", "--no-plots"];
    // With MRSWEEP_TEST_HOLD each worker fits one task and then blocks: the run cannot finish, and
    // it is killed once it has written a task (its first progress line), whatever the machine's speed.
    let killed = false;
    const first = await spawnCli(args, {
      env: { MRSWEEP_TEST_HOLD: "1" },
      onStderr: (text, child) => {
        if (killed || !/\nprogress: /.test(text)) return;
        killed = true;
        child.kill("SIGKILL");
      },
    });
    expect(first.signal, first.stderr).toBe("SIGKILL");
    const kept = read(out, "replicates.csv").trim().split("\n").length - 1;
    // One task (3 rows) at most per worker, of 32 tasks.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(2 * 3);

    const original = readFileSync(plugin);
    writeFileSync(plugin, `${original}\n// changed after the run started\n`);
    const refused = await spawnCli(args);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(
      /^mrsweep sweep: plug-in \S+my-methods\.mjs must be unchanged to resume the run in \S+ \(sha256 [0-9a-f]{12}… when the run started; restore it, or use --force to start afresh, or another --out\); got a changed file \(sha256 [0-9a-f]{12}…\)\n$/,
    );

    writeFileSync(plugin, original);
    const resumed = await spawnCli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/already done, resuming/);
    expect(read(out, "replicates.csv")).toBe(read(refOut, "replicates.csv"));
    expect(read(out, "summary.csv")).toBe(read(refOut, "summary.csv"));
    const run = JSON.parse(read(out, "run.json"));
    expect(run.config.plugins).toEqual([
      { path: plugin, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { path: fixturePath("plugins", "hold.mjs"), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });
});
