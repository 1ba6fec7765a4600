import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const TIME = "/usr/bin/time";
const ESTIMATORS = ["ols", "tsls", "tsls_lasso"];
/** The simulation's seed: `simulate --seed` and the sweep's `"seeds": "dgp"` draw the same dataset. */
const SEED = 7;

/** Wall seconds and peak RSS (bytes) of one `node CLI ...args` run (GNU time -v); its stdout. */
function run(args: readonly string[]): { seconds: number; rss: number; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-time-"));
  const report = join(dir, "time.txt");
  try {
    const t0 = performance.now();
    const stdout = execFileSync(TIME, ["-v", "-o", report, process.execPath, CLI, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 1 << 26,
    });
    const seconds = (performance.now() - t0) / 1000;
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(report, "utf8"))?.[1];
    return { seconds, rss: Number(kb) * 1024, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The estimates of a sweep run's replicates.csv, by estimator. */
function sweepEstimates(dir: string): Record<string, number> {
  const [head, ...rows] = readFileSync(join(dir, "replicates.csv"), "utf8").trim().split("\n");
  const names = (head as string).split(",");
  const [e, v] = [names.indexOf("estimator"), names.indexOf("estimate")];
  return Object.fromEntries(rows.map((r) => r.split(",")).map((f) => [f[e] as string, Number(f[v])]));
}

/**
 * `fit --estimators ols,tsls,tsls_lasso` as a whole process on a simulated CSV of n rows and L
 * instruments, against the same cell as a one-replicate sweep (same DGP parameters and seed, so
 * the same data and estimates): wall time (best of `rounds`), peak RSS, their ratio, and fit's
 * peak over the numeric data it reads (n x (L + 2) doubles). The goals: within 2x of the
 * sweep cell's time, and at most 1.5x the numeric data in memory.
 */
export function benchFitVsSweep(n: number, L: number, rounds: number): string {
  if (!existsSync(TIME)) return `fit vs sweep cell skipped: ${TIME} (GNU time) not found`;
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-fit-"));
  try {
    const csv = join(dir, "data.csv");
    execFileSync(
      process.execPath,
      [CLI, "simulate", "--dgp", "study", "--n", `${n}`, "--L", `${L}`, "--seed", `${SEED}`, "--out", csv],
      {
        stdio: "ignore",
      },
    );
    const config = join(dir, "cell.json");
    const cell = {
      dgp: "study",
      params: { L, seed: SEED },
      grid: { n: [n] },
      replicates: 1,
      seeds: "dgp",
      estimators: ESTIMATORS,
      seed: 1,
    };
    writeFileSync(config, JSON.stringify(cell));
    const fits = [];
    const sweeps = [];
    for (let r = 0; r < rounds; r++) {
      fits.push(run(["fit", csv, "--estimators", ESTIMATORS.join(","), "--json"]));
      const out = join(dir, `run${r}`);
      sweeps.push(run(["sweep", "--config", config, "--out", out, "--threads", "1", "--no-plots", "--quiet"]));
    }
    const best = (xs: { seconds: number }[]) => Math.min(...xs.map((x) => x.seconds));
    const peak = (xs: { rss: number }[]) => Math.max(...xs.map((x) => x.rss));
    const fitted = JSON.parse((fits[0] as { stdout: string }).stdout) as { estimator: string; estimate: number }[];
    const swept = sweepEstimates(join(dir, "run0"));
    const same = fitted.every((row) => swept[row.estimator] === row.estimate);
    const data = n * (L + 2) * 8;
    const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
    return [
      `fit vs the same sweep cell, n = ${n}, L = ${L}, ${ESTIMATORS.join(",")} (whole processes, best of ${rounds}; numeric data ${mb(data)}):`,
      `  fit --estimators ${ESTIMATORS.join(",")}: ${best(fits).toFixed(2)} s, peak RSS ${mb(peak(fits))} (${(peak(fits) / data).toFixed(2)}x the data; goal <= 1.5x)`,
      `  one-replicate sweep, --threads 1:      ${best(sweeps).toFixed(2)} s, peak RSS ${mb(peak(sweeps))}`,
      `  time ratio fit / sweep cell: ${(best(fits) / best(sweeps)).toFixed(2)} (goal <= 2); same estimates: ${same ? "yes" : "NO"}`,
    ].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
