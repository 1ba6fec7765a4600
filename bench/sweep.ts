import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./sweep-child.mjs", import.meta.url));

/** Runs one measurement in a fresh `node` (no tsx hooks, as a user's `mrsweep sweep` runs). */
function child(args: string[]): Record<string, number> {
  return JSON.parse(execFileSync(process.execPath, [CHILD, ...args], { encoding: "utf8" }));
}

/** Two loop measurements at once, in two processes: what this machine gives the work on both cores. */
async function pairOfLoops(seconds: number): Promise<number> {
  const one = () =>
    new Promise<number>((resolve, reject) => {
      let out = "";
      const p = spawn(process.execPath, [CHILD, "loop", String(seconds)]);
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
 * The issue's sweep benchmark: replicates per second of a baseline-only grid (ols, tsls,
 * tsls_lasso; n = 5000, L = 15) with 1 and 2 threads, whole runs and steady state (10%-90% of
 * tasks: no worker start-up, no final sort and summary). The same tasks in a plain loop, in one
 * process and in two at once, give the ceiling this machine allows the work on two cores. Each
 * figure is the median of `rounds` interleaved rounds: the machine is shared and drifts.
 */
export async function benchSweep(replicates = 2000, rounds = 3): Promise<string> {
  const runs: Record<string, number[]> = { t1: [], t2: [], s1: [], s2: [], l1: [], l2: [] };
  for (let r = 0; r < rounds; r++) {
    const one = child(["sweep", "1", String(replicates)]);
    const two = child(["sweep", "2", String(replicates)]);
    runs.t1?.push(one.total as number);
    runs.s1?.push(one.steady as number);
    runs.t2?.push(two.total as number);
    runs.s2?.push(two.steady as number);
    runs.l1?.push(child(["loop", "3"]).rate as number);
    runs.l2?.push(await pairOfLoops(3));
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const f = (x: number) => x.toFixed(0);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  return [
    `sweep (ols, tsls, tsls_lasso; n=5000, L=15; ${replicates} replicates; median of ${rounds} interleaved rounds)`,
    `  whole run:    1 thread ${f(m.t1 as number)}/s, 2 threads ${f(m.t2 as number)}/s (${ratio(m.t2 as number, m.t1 as number)})`,
    `  steady state: 1 thread ${f(m.s1 as number)}/s, 2 threads ${f(m.s2 as number)}/s (${ratio(m.s2 as number, m.s1 as number)})`,
    `  machine ceiling, same tasks in a plain loop: 1 process ${f(m.l1 as number)}/s, 2 processes ${f(m.l2 as number)}/s (${ratio(m.l2 as number, m.l1 as number)})`,
    `  every round (1 thread / 2 threads steady; loop 1 / 2): ${runs.s1?.map((v, i) => `${f(v)}/${f(runs.s2?.[i] as number)}; ${f(runs.l1?.[i] as number)}/${f(runs.l2?.[i] as number)}`).join(" | ")}`,
  ].join("\n");
}
