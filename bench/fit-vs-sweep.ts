import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writePlinkTwin } from "./plink-files.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const TIME = "/usr/bin/time";
const ESTIMATORS = ["ols", "tsls", "tsls_lasso"];
/** The simulation's seed: `simulate --seed` and the sweep's `"seeds": "dgp"` draw the same dataset. */
const SEED = 7;

/** One process run: wall seconds, peak RSS (bytes) and its stdout. */
interface Run {
  seconds: number;
  rss: number;
  stdout: string;
}

/** Wall seconds and peak RSS (bytes) of one `node CLI ...args` run (GNU time -v); its stdout. */
function run(args: readonly string[]): Run {
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

/** Wall time (best of the rounds) and peak RSS (highest) of repeated runs. */
function best(xs: readonly { seconds: number; rss: number }[]) {
  return { seconds: Math.min(...xs.map((x) => x.seconds)), rss: Math.max(...xs.map((x) => x.rss)) };
}

/**
 * `fit --estimators ols,tsls,tsls_lasso` as a whole process on a simulated CSV of n rows and L
 * instruments, and on the same data as a PLINK fileset + phenotype table, against the same cell
 * as a one-replicate sweep (same DGP parameters and seed, so the same data and estimates): wall
 * time (best of `rounds`), peak RSS, and fit's peak over the numeric data it reads (n x (L + 2)
 * doubles), also net of the process's own baseline (the same fit on 200 rows). The goals:
 * within 2x of the sweep cell's time, and at most 1.5x the numeric data in memory.
 */
export async function benchFitVsSweep(n: number, L: number, rounds: number): Promise<string> {
  if (!existsSync(TIME)) return `fit vs sweep cell skipped: ${TIME} (GNU time) not found`;
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-fit-"));
  try {
    const simulateTo = (rows: number, out: string) =>
      execFileSync(
        process.execPath,
        [CLI, "simulate", "--dgp", "study", "--n", `${rows}`, "--L", `${L}`, "--seed", `${SEED}`, "--out", out],
        { stdio: "ignore" },
      );
    const csv = join(dir, "data.csv");
    const tiny = join(dir, "tiny.csv");
    simulateTo(n, csv);
    simulateTo(200, tiny);
    const prefix = join(dir, "plink");
    await writePlinkTwin(csv, prefix, L);
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
    const fitArgs = ["--estimators", ESTIMATORS.join(","), "--json"];
    const runs = { csv: [] as Run[], plink: [] as Run[], sweep: [] as Run[], base: [] as Run[] };
    for (let r = 0; r < rounds; r++) {
      runs.csv.push(run(["fit", csv, ...fitArgs]));
      runs.plink.push(run(["fit", "--bfile", prefix, "--pheno", `${prefix}.pheno.csv`, ...fitArgs]));
      runs.sweep.push(
        run(["sweep", "--config", config, "--out", join(dir, `run${r}`), "--threads", "1", "--no-plots", "--quiet"]),
      );
      runs.base.push(run(["fit", tiny, ...fitArgs]));
    }
    const swept = sweepEstimates(join(dir, "run0"));
    const same = (r: Run[]) =>
      (JSON.parse((r[0] as Run).stdout) as { estimator: string; estimate: number }[]).every(
        (row) => swept[row.estimator] === row.estimate,
      );
    const data = n * (L + 2) * 8;
    const base = best(runs.base).rss;
    const sweep = best(runs.sweep);
    const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
    const line = (label: string, r: Run[]) => {
      const b = best(r);
      return `  ${label}: ${b.seconds.toFixed(2)} s (${(b.seconds / sweep.seconds).toFixed(2)}x the sweep cell; goal <= 2), peak RSS ${mb(b.rss)} = ${(b.rss / data).toFixed(2)}x the data, ${((b.rss - base) / data).toFixed(2)}x net of the baseline (goal <= 1.5x); same estimates: ${same(r) ? "yes" : "NO"}`;
    };
    return [
      `fit vs the same sweep cell, n = ${n}, L = ${L}, ${ESTIMATORS.join(",")} (whole processes, best of ${rounds}; numeric data ${mb(data)}; baseline: the same fit on 200 rows, ${mb(base)}):`,
      line("fit data.csv            ", runs.csv),
      line("fit --bfile --pheno     ", runs.plink),
      `  one-replicate sweep, --threads 1: ${sweep.seconds.toFixed(2)} s, peak RSS ${mb(sweep.rss)} = ${(sweep.rss / data).toFixed(2)}x the data, ${((sweep.rss - base) / data).toFixed(2)}x net`,
    ].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
