import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./sweep-child.mjs", import.meta.url));

/** How a measurement's process starts: flags for node itself, and a CPU to hold it to. */
interface Launch {
  flags?: readonly string[];
  cpu?: string;
}

/** Runs one measurement in a fresh `node` (no tsx hooks, as a user's `mrsweep sweep` runs). */
function child(args: string[], launch: Launch = {}): Record<string, number> {
  const node = [...(launch.flags ?? []), CHILD, ...args];
  const out =
    launch.cpu === undefined
      ? execFileSync(process.execPath, node, { encoding: "utf8" })
      : execFileSync("taskset", ["-c", launch.cpu, process.execPath, ...node], { encoding: "utf8" });
  return JSON.parse(out);
}

/** The first CPU this process may run on, if `taskset` can hold a process to it (Linux); else null. */
function firstCpu(): string | null {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const cpu = /Cpus_allowed_list:\s*(\d+)/.exec(status)?.[1];
    if (cpu === undefined) return null;
    execFileSync("taskset", ["-c", cpu, "true"]);
    return cpu;
  } catch {
    return null;
  }
}

/** Two loop measurements at once, in two processes: what this machine gives the work on both cores. */
async function pairOfLoops(seconds: number, flags: readonly string[]): Promise<number> {
  const one = () =>
    new Promise<number>((resolve, reject) => {
      let out = "";
      const p = spawn(process.execPath, [...flags, CHILD, "loop", String(seconds)]);
      p.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      p.on("error", reject);
      p.on("exit", () => resolve((JSON.parse(out) as { rate: number }).rate));
    });
  const [a, b] = await Promise.all([one(), one()]);
  return a + b;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/**
 * Rates of `rounds` rounds of sweeps of `replicates`, back to back: 1 thread, 1 thread held to
 * `cpu` (when there is one), 2 threads.
 */
function sweepRounds(replicates: number, rounds: number, cpu: string | null): Record<string, number[]> {
  const runs: Record<string, number[]> = { t1: [], t2: [], s1: [], s2: [], p1: [], q1: [] };
  const args = (threads: number) => ["sweep", String(threads), String(replicates)];
  for (let r = 0; r < rounds; r++) {
    const one = child(args(1));
    if (cpu !== null) {
      const held = child(args(1), { cpu });
      runs.p1?.push(held.total as number);
      runs.q1?.push(held.steady as number);
    }
    const two = child(args(2));
    runs.t1?.push(one.total as number);
    runs.s1?.push(one.steady as number);
    runs.t2?.push(two.total as number);
    runs.s2?.push(two.steady as number);
  }
  return runs;
}

/** Plain-loop rates of `rounds` pairs: one process alone, then two at once, each run with node `flags`. */
async function loopRounds(rounds: number, flags: readonly string[] = []): Promise<Record<string, number[]>> {
  const runs: Record<string, number[]> = { l1: [], l2: [] };
  for (let r = 0; r < rounds; r++) {
    runs.l1?.push(child(["loop", "3"], { flags }).rate as number);
    runs.l2?.push(await pairOfLoops(3, flags));
  }
  return runs;
}

const f = (x: number) => x.toFixed(0);

/** "a/s, b/s (median ratio)" for paired series: each round's ratio compares runs under the same load. */
function pair(runs: Record<string, number[]>, a: string, b: string): string {
  const x = runs[a] as number[];
  const y = runs[b] as number[];
  const ratio = median(y.map((v, i) => v / (x[i] as number)));
  return `${f(median(x))}/s and ${f(median(y))}/s (${ratio.toFixed(2)}x; rounds ${x.map((v, i) => `${f(v)}/${f(y[i] as number)}`).join(" ")})`;
}

/**
 * The issue's sweep benchmark: replicates per second of a baseline-only grid (ols, tsls,
 * tsls_lasso; n = 5000, L = 15) with 1 and 2 threads, whole runs and steady state (10%-90% of
 * tasks: no worker start-up, no end of run). The machine is shared and its speed drifts by 10-20%
 * over minutes, so each round runs its sweeps back to back: a round's ratio compares runs made
 * under the same load; figures are medians over rounds.
 * - A 1-thread run also runs V8's helper threads (JIT compiles, GC) and the main thread on the idle
 *   second core. Held to one core with `taskset`, it pays for them as the 2-thread run does: the
 *   textbook speedup of one core to two.
 * - The same tasks in a plain loop (no pool), in one process and in two at once, show what this
 *   machine gives the work on two cores at that moment; under `node --single-threaded` (no V8
 *   helper threads) only what the two cores take from each other is left: the hardware's ceiling.
 */
export async function benchSweep(sizes: readonly number[] = [2000, 10000], rounds = 3): Promise<string> {
  const lines = [`sweep (ols, tsls, tsls_lasso; n=5000, L=15): 1 thread and 2 threads, medians of ${rounds} rounds`];
  const cpu = firstCpu();
  for (const replicates of sizes) {
    const runs = sweepRounds(replicates, rounds, cpu);
    lines.push(`  ${replicates} replicates, whole run:  ${pair(runs, "t1", "t2")}`);
    lines.push(`  ${replicates} replicates, steady state: ${pair(runs, "s1", "s2")}`);
    if (cpu === null) continue;
    lines.push(`  ${replicates} replicates, 1 thread held to one core, whole run:  ${pair(runs, "p1", "t2")}`);
    lines.push(`  ${replicates} replicates, 1 thread held to one core, steady state: ${pair(runs, "q1", "s2")}`);
  }
  if (cpu === null) lines.push("  (no taskset here: the runs held to one core were skipped)");
  lines.push(`  plain loop, 1 process and 2 at once: ${pair(await loopRounds(rounds), "l1", "l2")}`);
  const bare = await loopRounds(rounds, ["--single-threaded"]);
  lines.push(`  plain loop, no V8 helper threads (hardware ceiling): ${pair(bare, "l1", "l2")}`);
  return lines.join("\n");
}
