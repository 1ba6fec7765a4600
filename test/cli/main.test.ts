import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/main.js";
import { ROOT } from "../helpers/fixtures.js";

/** Runs main in-process, capturing what it writes; process.exit is made to throw. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  vi.spyOn(process, "exit").mockImplementation(() => {
    throw new Error("main called process.exit");
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("main(argv): the CLI in-process", () => {
  it("prints the usage for --help (0) and for no command (2)", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mrsweep <command>/);
    const none = await run([]);
    expect(none.code).toBe(2);
  });

  it("refuses an unknown command with one line and exit code 2, without process.exit", async () => {
    const r = await run(["nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mrsweep mrsweep: the command must be one of sweep, plot, .*; got "nope"\n$/);
  });

  it("maps a command's input error to 2 and a file-system error to 1, one line each", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-main-"));
    try {
      const bad = await run(["fit", join(dir, "nope.csv")]);
      expect(bad.code).toBe(2);
      expect(bad.stderr.split("\n")).toEqual([expect.stringMatching(/must exist and be readable; got ENOENT/), ""]);
      writeFileSync(join(dir, "file"), "x");
      const env = await run(["demo", "--out", join(dir, "file", "demo")]);
      expect(env.code).toBe(1);
      expect(env.stderr).toMatch(/^mrsweep demo: ".*file.demo.data\.csv" must be writable; got ENOTDIR/);
      expect(env.stderr.split("\n")).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves the host process's exit code as it was", async () => {
    const before = process.exitCode;
    await run(["nope"]);
    expect(process.exitCode).toBe(before);
  });
});

/** The packages (node_modules/<name>) that `node dist/cli.js ...argv` loads, from a loader trace. */
function packagesLoaded(argv: string[], cwd: string): string[] {
  const trace = join(cwd, "trace.txt");
  writeFileSync(trace, "");
  const hooks = pathToFileURL(join(ROOT, "test", "helpers", "load-trace-hooks.mjs")).href;
  const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(hooks)});`;
  const r = spawnSync(process.execPath, [`--import=${register}`, join(ROOT, "dist", "cli.js"), ...argv], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, MRSWEEP_LOAD_TRACE: trace },
  });
  expect(r.status, r.stderr).toBe(0);
  const names = readFileSync(trace, "utf8")
    .split("\n")
    .map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1])
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}

describe("start-up loads only what the command uses (spawns dist/cli.js)", () => {
  const heavy = /^(vega|vega-lite|ink|react|piscina|@resvg\/resvg-wasm)$/;

  it("--help loads no package at all", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-trace-"));
    try {
      expect(packagesLoaded(["--help"], dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("fit, sweep --help and plot --help load no figure, UI or pool package", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-trace-"));
    try {
      const rows = Array.from(
        { length: 30 },
        (_, i) => `${(i * 0.37) % 1.3},${(i * 0.71) % 1.1},${i % 3},${Math.floor(i / 3) % 3}`,
      );
      writeFileSync(join(dir, "d.csv"), `Y,X,G0,G1\n${rows.join("\n")}\n`);
      for (const argv of [
        ["fit", "d.csv"],
        ["sweep", "--help"],
        ["plot", "--help"],
      ]) {
        const loaded = packagesLoaded(argv, dir);
        expect(
          loaded.filter((p) => heavy.test(p)),
          argv.join(" "),
        ).toEqual([]);
      }
      // The trace does see packages: fit reads the file with fast-csv.
      expect(packagesLoaded(["fit", "d.csv"], dir)).toContain("fast-csv");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
