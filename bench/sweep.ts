import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./sweep-child.mjs", import.meta.url));

/**
 * Runs one measurement in a fresh `node` (no tsx hooks, as a user's `mrsweep sweep` runs), with
 * `flags` for node itself.
 */
function child(args: string[], flags: readonly string[] = []): Record<string, number> {
  return JSON.parse(execFileSync(process.execPath, [...flags, CHILD, ...args], { encoding: "utf8" }));
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

/** Rates of `rounds` pairs of sweeps of `replicates`, 1 thread then 2 threads back to back. */
function sweepRounds(replicates: number, rounds: number): Record<string, number[]> {
  const runs: Record<string, number[]> = { t1: [], t2: [], s1: [], s2: [] };
  for (let r = 0; r < rounds; r++) {
    const one = child(["sweep", "1", String(replicates)]);
    const two = child(["sweep", "2", String(replicates)]);
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
    runs.l1?.push(child(["loop", "3"], flags).rate as number);
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
 * tasks: no worker start-up, no final sort and summary), for a short sweep and a long one (worker
 * start-up and JIT warm-up weigh on short ones). The same tasks in a plain loop, in one process
 * and in two at once, give the ceiling this machine allows the work on two cores. The machine is
 * shared and its speed drifts by 10-20% over minutes, so each round runs its pair back to back:
 * a round's ratio compares runs made under the same load; figures are medians over rounds.
 * The plain loop once more under `node --single-threaded` (no V8 helper threads: compiles and GC
 * on the one thread) leaves only what the two cores take from each other: the hardware's ceiling
 * for this work, which no pool can beat.
 */
export async function benchSweep(sizes: readonly number[] = [2000, 10000], rounds = 3): Promise<string> {
  const lines = [`sweep (ols, tsls, tsls_lasso; n=5000, L=15): 1 thread and 2 threads, medians of ${rounds} rounds`];
  for (const replicates of sizes) {
    const runs = sweepRounds(replicates, rounds);
    lines.push(`  ${replicates} replicates, whole run:  ${pair(runs, "t1", "t2")}`);
    lines.push(`  ${replicates} replicates, steady state: ${pair(runs, "s1", "s2")}`);
  }
  lines.push(`  plain loop, 1 process and 2 at once: ${pair(await loopRounds(rounds), "l1", "l2")}`);
  const bare = await loopRounds(rounds, ["--single-threaded"]);
  lines.push(`  plain loop, no V8 helper threads (hardware ceiling): ${pair(bare, "l1", "l2")}`);
  return lines.join("\n");
}
