import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** The bound: a command that does little costs at most this many times a bare `node -e 0`. */
const GOAL = 2;

/**
 * CPU seconds (user + system, all threads) of one `node ...args` run. Node cannot read a child's
 * rusage (spawnSync returns none, and process.resourceUsage() is the calling process only), so a
 * bash runs the child and prints its `times`: the second line is getrusage(RUSAGE_CHILDREN) of
 * the waited-for child, to the millisecond; bash's own start-up is not in it.
 */
function cpuSeconds(args: readonly string[], cwd: string): number {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const out = execFileSync("bash", ["-c", `${quoted} >/dev/null 2>&1; times`], { cwd, encoding: "utf8" });
  const children = out.trim().split("\n")[1] ?? "";
  const parts = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => 60 * Number(m[1]) + Number(m[2]));
  if (parts.length !== 2) throw new Error(`bench startup: bash's times printed ${JSON.stringify(out)}`);
  return (parts[0] as number) + (parts[1] as number);
}

/** A small valid input for `mrsweep fit`: 200 rows of Y, X and three instruments. */
function smallCsv(dir: string): string {
  const lines = ["Y,X,G0,G1,G2"];
  for (let i = 0; i < 200; i++) {
    const [g0, g1, g2] = [i % 3, Math.floor(i / 3) % 3, Math.floor(i / 9) % 3];
    const x = 0.3 * g0 + 0.2 * g1 - 0.25 * g2 + Math.sin(i);
    lines.push([(0.5 * x + Math.cos(3 * i)).toFixed(6), x.toFixed(6), g0, g1, g2].join(","));
  }
  const file = join(dir, "small.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/**
 * The start-up benchmark: CPU time of `mrsweep --help` and of `mrsweep fit` on a small file,
 * as ratios to a bare `node -e 0` (the goal: at most 2x). Runs go round-robin, `rounds` times, so
 * every command meets the same load; figures are medians.
 */
export function benchStartup(rounds = 9): string {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-start-"));
  try {
    const file = smallCsv(dir);
    const cases: Array<[string, string[], boolean]> = [
      ["node -e 0", ["-e", "0"], false],
      ["mrsweep --help", [CLI, "--help"], true],
      ["mrsweep fit small.csv (200 rows)", [CLI, "fit", file], true],
      ["mrsweep sweep --help", [CLI, "sweep", "--help"], false],
      ["mrsweep plot --help", [CLI, "plot", "--help"], false],
    ];
    const samples = cases.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (const [k, [, args]] of cases.entries()) samples[k]?.push(cpuSeconds(args, dir));
    }
    const base = median(samples[0] as number[]);
    const lines = [`start-up: CPU time (user + sys) per run, median of ${rounds}, and ratio to node -e 0`];
    cases.forEach(([label, , goal], k) => {
      const m = median(samples[k] as number[]);
      const ratio = m / base;
      const verdict = goal ? (ratio <= GOAL ? `  (goal <= ${GOAL}x: met)` : `  (goal <= ${GOAL}x: NOT met)`) : "";
      lines.push(`  ${label.padEnd(34)} ${(m * 1000).toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}x${verdict}`);
    });
    return lines.join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
