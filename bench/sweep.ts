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
 * The sweep benchmark: replicates per second of a baseline-only grid (ols, tsls,
 * tsls_lasso; n = 5000, L = 15) with 1 and 2 threads, whole runs and steady state (10%-90% of
 * tasks: no worker start-up, no final sort and summary). The same tasks in a plain loop, in one
 * process and in two at once, give the ceiling this machine allows the work on two cores. The
 * machine is shared and its speed drifts by 10-20% over minutes, so each round runs a 1-thread
 * and a 2-thread sweep back to back: a round's ratio compares runs made under the same load, and
 * the ratios reported are medians over rounds.
 */
export async function benchSweep(replicates = 2000, rounds = 5): Promise<string> {
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
  const m = (k: string) => median(runs[k] as number[]);
  const ratio = (a: string, b: string) =>
    `${median((runs[a] as number[]).map((v, i) => v / ((runs[b] as number[])[i] as number))).toFixed(2)}x`;
  const f = (x: number) => x.toFixed(0);
  const each = (a: string, b: string) =>
    (runs[a] as number[]).map((v, i) => `${f(v)}/${f((runs[b] as number[])[i] as number)}`).join(" ");
  return [
    `sweep (ols, tsls, tsls_lasso; n=5000, L=15; ${replicates} replicates; ${rounds} rounds; medians; ratio = median of the rounds' ratios)`,
    `  whole run:    1 thread ${f(m("t1"))}/s, 2 threads ${f(m("t2"))}/s (${ratio("t2", "t1")})`,
    `  steady state: 1 thread ${f(m("s1"))}/s, 2 threads ${f(m("s2"))}/s (${ratio("s2", "s1")})`,
    `  machine ceiling, same tasks in a plain loop: 1 process ${f(m("l1"))}/s, 2 processes ${f(m("l2"))}/s (${ratio("l2", "l1")})`,
    `  rounds, 1/2 threads whole: ${each("t1", "t2")}; steady: ${each("s1", "s2")}; loop: ${each("l1", "l2")}`,
  ].join("\n");
}
