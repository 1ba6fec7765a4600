import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./fixtures.js";

/** A small but real sweep: 4 cells, baselines and a fast contextualized fit. */
export function smallConfig(replicates: number): Record<string, unknown> {
  return {
    dgp: "study",
    params: { L: 5, pi_scale: 0.3 },
    grid: { n: [500, 1500], context: [false, true] },
    replicates,
    estimators: [
      "ols",
      "tsls",
      "tsls_lasso",
      { id: "ctx_tsls", name: "ctx_fast", params: { preset: "fast", max_epochs: 20 } },
    ],
    seed: 11,
  };
}

/** A fresh folder with the config written to sweep.json; returns both paths. */
export function configFile(config: Record<string, unknown>): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-sweep-"));
  const file = join(dir, "sweep.json");
  writeFileSync(file, JSON.stringify(config));
  return { dir, file };
}

/**
 * Runs `mrsweep ...` as a child process; resolves with its exit code (or signal) and output.
 * `onStderr` sees the stderr so far after every chunk, with the child (to signal it when the run
 * has reached a given point: tests wait for what the child says, never for a fixed time).
 */
export function spawnCli(
  args: readonly string[],
  opts: {
    env?: Record<string, string>;
    killAfterMs?: number;
    signal?: NodeJS.Signals;
    onStderr?: (stderr: string, child: ChildProcess) => void | Promise<void>;
  } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "dist", "cli.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      void opts.onStderr?.(stderr, child);
    });
    if (opts.killAfterMs !== undefined) setTimeout(() => child.kill(opts.signal ?? "SIGKILL"), opts.killAfterMs);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The cheapest real sweep: 2 cells x `replicates` x OLS and 2SLS (a task takes about a millisecond). */
export function tinyConfig(
  replicates: number,
  grid: Record<string, unknown[]> = { n: [300, 600] },
): Record<string, unknown> {
  return { dgp: "study", params: { L: 5, pi_scale: 0.3 }, grid, replicates, estimators: ["ols", "tsls"], seed: 5 };
}
