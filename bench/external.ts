import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const METHOD = join(ROOT, "bench", "external_method.py");

/** What one sweep gave: its seconds, and per task each estimator's seconds (and the method's own). */
interface Measured {
  wall: number;
  seconds: Map<string, number[]>;
  fitSeconds: number[];
}

/** Runs one sweep of `estimators` on 1 thread through the built CLI and reads its timings back. */
function sweep(replicates: number, estimators: unknown[]): Measured {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-external-"));
  const config = { dgp: "study", params: { n: 5000, L: 15 }, replicates, seed: 1, estimators };
  writeFileSync(join(dir, "sweep.json"), JSON.stringify(config));
  const out = join(dir, "out");
  const args = ["sweep", "--config", join(dir, "sweep.json"), "--out", out, "--threads", "1", "--quiet", "--no-plots"];
  execFileSync(process.execPath, [join(ROOT, "dist", "cli.js"), ...args], { stdio: "ignore" });
  const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { seconds: number };
  const seconds = new Map<string, number[]>();
  for (const line of readFileSync(join(out, "timings.csv"), "utf8").trim().split("\n").slice(1)) {
    const [, replicate, name, s] = line.split(",");
    // The first task of a process includes its start-up: left out of the per-task numbers.
    if (replicate === "1") continue;
    seconds.set(name as string, [...(seconds.get(name as string) ?? []), Number(s)]);
  }
  const fitSeconds: number[] = [];
  const replicatesCsv = readFileSync(join(out, "replicates.csv"), "utf8").trim().split("\n");
  const head = (replicatesCsv[0] as string).split(",");
  const [fitAt, estAt, repAt] = ["fit_seconds", "estimator", "replicate"].map((k) => head.indexOf(k));
  for (const line of replicatesCsv.slice(1)) {
    const f = line.split(",");
    if (f[estAt as number] === "external" && f[repAt as number] !== "1") fitSeconds.push(Number(f[fitAt as number]));
  }
  rmSync(dir, { recursive: true, force: true });
  return { wall: run.seconds, seconds, fitSeconds };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? Number.NaN;
}

const ms = (s: number) => `${(s * 1000).toFixed(3)} ms`;

/**
 * Tasks per second through the external protocol at n = 5000, L = 15 (the study DGP's size), one
 * thread: the built-in tsls alone, then with an external Python method that does nothing (the
 * protocol's whole cost: copying 17 columns out, the pipe, Python reading them, the reply), then with
 * an external 2SLS (numpy if installed). Tasks per second over the whole run (start-up included; on a
 * shared machine a difference of two runs' wall times was too noisy to use). Per task, the robust
 * numbers: the median round trip of the external estimator as timings.csv has it, less the method's
 * own compute as it reports (`fit_seconds`).
 */
export function benchExternal(replicates = 300): string {
  const external = (mode: string) => ({
    id: "external",
    params: { command: ["python3", METHOD, mode], extras: ["first_stage_f", "fit_seconds"] },
  });
  const measure = (estimators: unknown[]) => {
    const m = sweep(replicates, estimators);
    return { rate: replicates / m.wall, m };
  };
  const base = measure(["tsls"]);
  const nul = measure(["tsls", external("null")]);
  const tsls = measure(["tsls", external("tsls")]);
  const overhead = (m: Measured) => {
    const trip = m.seconds.get("external") ?? [];
    return median(trip.map((t, i) => t - (m.fitSeconds[i] ?? Number.NaN)));
  };
  const trip = (m: Measured) => ms(median(m.seconds.get("external") ?? []));
  const lines = [
    `external estimators: protocol overhead at n = 5000, L = 15 (17 columns, ${((17 * 5000 * 8) / 1024).toFixed(0)} KiB per task), 1 thread, ${replicates} replicates (tasks/s over the whole run, start-up included)`,
    `  tsls alone                    ${base.rate.toFixed(1)} tasks/s (tsls ${ms(median(base.m.seconds.get("tsls") ?? []))} per task)`,
    `  tsls + external python null   ${nul.rate.toFixed(1)} tasks/s; round trip ${trip(nul.m)}, beyond the method's compute ${ms(overhead(nul.m))} (goal < 2 ms)`,
    `  tsls + external python 2SLS   ${tsls.rate.toFixed(1)} tasks/s; round trip ${trip(tsls.m)}, the method's own ${ms(median(tsls.m.fitSeconds))}, beyond it ${ms(overhead(tsls.m))}`,
  ];
  return lines.join("\n");
}
