import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./fixtures.js";

/** Result of running the built CLI. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` (built by `npm test`'s pretest) and captures its output. */
export function runCli(args: readonly string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), ...args], { cwd, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
