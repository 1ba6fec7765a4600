import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { plotCommand } from "../../src/commands/plot.js";
import { statusCommand, summarizeCommand } from "../../src/commands/run-folder.js";
import { sweepCommand } from "../../src/commands/sweep.js";
import { MrsweepError } from "../../src/errors.js";
import { Appender } from "../../src/io/append-file.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import type { SweepEvent } from "../../src/sweep/events.js";
import { acquireLock, lockPath } from "../../src/sweep/lock.js";
import { configFile, smallConfig, spawnCli, tinyConfig } from "../helpers/sweep.js";

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const fresh = () => mkdtempSync(join(tmpdir(), "mrsweep-folder-"));

/** Runs a sweep in-process, collecting its events. */
async function sweep(config: Record<string, unknown>, dir: string, extra: { retryFailed?: boolean } = {}) {
  const events: SweepEvent[] = [];
  const out = await runSweep({
    config: parseSweepConfig(config),
    dir,
    threads: 1,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  const start = events.find((e) => e.type === "start");
  return { out, events, resumed: start?.type === "start" ? start.resumed : -1 };
}

/** What a command function printed to stdout. */
async function stdoutOf(run: () => Promise<void>): Promise<string> {
  let text = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    text += String(s);
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return text;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("one sweep per folder", () => {
  it("a folder locked by a live process is refused (in-process and from the CLI), and runs once the lock is released", async () => {
    const { dir, file } = configFile(tinyConfig(2));
    const lock = acquireLock(dir);
    await expect(sweep(tinyConfig(2), dir)).rejects.toThrow(
      new RegExp(
        `^sweep: the output folder .* must be used by one sweep at a time; got a sweep already running there: process ${process.pid} on host `,
      ),
    );
    const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--no-plots"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "replicates.csv"))).toBe(false);
    lock.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    expect((await spawnCli(["sweep", "--config", file, "--out", dir, "--no-plots"])).code).toBe(0);
    expect(existsSync(lockPath(dir))).toBe(false);
  }, 60_000);

  it("two sweeps started into one folder: exactly one runs, the other is refused", async () => {
    // Slow tasks (a contextualized fit each, about a minute in all on one thread), so the first
    // sweep is still running, whatever the load, when the second has started and been refused.
    const { dir, file } = configFile(smallConfig(1000));
    const args = ["sweep", "--config", file, "--out", dir, "--threads", "1", "--no-plots"];
    // The second starts once the first reports its start (it holds the lock by then) and is
    // refused; the first is then interrupted and stops cleanly.
    // `started` is set before the await: later stderr chunks of the first sweep must not start
    // more sweeps (their SIGINTs could arrive after the first has removed its handler).
    let started = false;
    let second: Awaited<ReturnType<typeof spawnCli>> | undefined;
    const first = await spawnCli(args, {
      onStderr: async (text, child) => {
        if (started || !/tasks in 4 cells/.test(text)) return;
        started = true;
        second = await spawnCli(args);
        child.kill("SIGINT");
      },
    });
    expect(second?.code).toBe(2);
    expect(second?.stderr).toMatch(
      /^mrsweep sweep: the output folder .* must be used by one sweep at a time; got a sweep already running there: process \d+/,
    );
    expect(first.code).toBe(130);
  }, 120_000);

  it("a stale lock (its process is gone) is taken over with a note; status says the run stopped", async () => {
    const dir = fresh();
    await sweep(tinyConfig(2), dir);
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(lockPath(dir), JSON.stringify({ pid: dead, host: hostname(), started: "2026-01-01T00:00:00Z" }));
    const run = JSON.parse(read(dir, "run.json"));
    writeFileSync(join(dir, "run.json"), JSON.stringify({ ...run, status: "running" }));
    expect(await stdoutOf(() => statusCommand([dir]))).toMatch(/: stopped \(no process\), started /);
    const again = await sweep(tinyConfig(3), dir);
    expect(again.events).toContainEqual({
      type: "note",
      text: `took over a stale lock from process ${dead} on ${hostname()} (no such process)`,
    });
    expect(again.out.status).toBe("complete");
    expect(existsSync(lockPath(dir))).toBe(false);
  }, 60_000);
});

describe("configurations compared as values", () => {
  it("key order never matters; a refusal names the keys that differ", async () => {
    const dir = fresh();
    await sweep(tinyConfig(2), dir);
    const reordered = Object.fromEntries(Object.entries(tinyConfig(2)).reverse());
    expect((await sweep(reordered, dir)).out.nothingToDo).toBe(true);
    await expect(sweep({ ...tinyConfig(2), params: { L: 5, pi_scale: 0.5 }, seed: 9 }, dir)).rejects.toThrow(
      /got a run whose configuration differs: params\.pi_scale: 0\.3 → 0\.5, seed: 5 → 9$/,
    );
  }, 60_000);

  it("more replicates or grid values extend a finished run: only the new tasks run, and the files equal a direct run", async () => {
    const direct = fresh();
    await sweep(tinyConfig(4, { n: [300, 450, 600] }), direct);
    const dir = fresh();
    await sweep(tinyConfig(2), dir);
    const more = await sweep(tinyConfig(4), dir);
    expect(more.resumed).toBe(4);
    expect(more.events).toContainEqual({ type: "note", text: "extending the run: replicates: 2 → 4" });
    const wider = await sweep(tinyConfig(4, { n: [300, 450, 600] }), dir);
    expect(wider.resumed).toBe(8);
    expect(read(dir, "replicates.csv")).toBe(read(direct, "replicates.csv"));
    expect(read(dir, "summary.csv")).toBe(read(direct, "summary.csv"));
    await expect(sweep(tinyConfig(3, { n: [300, 450, 600] }), dir)).rejects.toThrow(/differs: replicates: 4 → 3$/);
  }, 60_000);

  it("a complete run re-invoked does nothing and touches no file", async () => {
    const { dir, file } = configFile(tinyConfig(2));
    expect((await spawnCli(["sweep", "--config", file, "--out", dir])).code).toBe(0);
    const before = statSync(join(dir, "replicates.csv")).mtimeMs;
    const figures = statSync(join(dir, "report.html")).mtimeMs;
    const again = await spawnCli(["sweep", "--config", file, "--out", dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/is already complete \(4 tasks, 0 with failed estimators\); nothing to do/);
    expect(again.stderr).not.toMatch(/plot:/);
    expect(statSync(join(dir, "replicates.csv")).mtimeMs).toBe(before);
    expect(statSync(join(dir, "report.html")).mtimeMs).toBe(figures);
  }, 60_000);
});

describe("failed tasks are never lost", () => {
  it("are counted in run.json, the final line, status and the exit code (3), after resume too, and rerun by --retry-failed", async () => {
    const clean = configFile(tinyConfig(3));
    expect((await spawnCli(["sweep", "--config", clean.file, "--out", clean.dir, "--no-plots"])).code).toBe(0);
    const { dir, file } = configFile(tinyConfig(3));
    const args = ["sweep", "--config", file, "--out", dir, "--no-plots"];
    const first = await spawnCli(args, { env: { MRSWEEP_INJECT: "fail@0:2:tsls" } });
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/sweep complete: 6\/6 tasks, 1 failed, /);
    expect(JSON.parse(read(dir, "run.json")).tasks).toMatchObject({ done: 6, failed_tasks: 1 });
    const again = await spawnCli(args);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(
      /already complete \(6 tasks, 1 with failed estimators\); nothing to do .*--retry-failed/,
    );
    expect(await stdoutOf(() => statusCommand([dir]))).toMatch(
      /tasks: 6\/6 done \(100\.0%\) in 2 cells, 1 with failed estimators/,
    );
    const retried = await spawnCli([...args, "--retry-failed"]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toMatch(/\(5 already done, resuming\)/);
    expect(JSON.parse(read(dir, "run.json")).tasks).toMatchObject({ done: 6, failed_tasks: 0 });
    expect(read(dir, "replicates.csv")).toBe(read(clean.dir, "replicates.csv"));
  }, 90_000);
});

describe("a corrupt run.json or an unwritable folder", () => {
  const commands: Array<[string, (dir: string, file: string) => Promise<void>]> = [
    ["sweep", (dir, file) => sweepCommand(["--config", file, "--out", dir, "--quiet"])],
    ["status", (dir) => statusCommand([dir])],
    ["summarize", (dir) => summarizeCommand([dir])],
    ["plot", (dir) => plotCommand([dir])],
  ];
  const damage: Array<[string, (path: string) => void, string]> = [
    ["empty", (p) => writeFileSync(p, ""), "an empty file"],
    ["garbage", (p) => writeFileSync(p, "{not json"), "text that is not JSON \\("],
    ["a JSON array", (p) => writeFileSync(p, "[1]"), "a JSON array"],
    ["a folder", (p) => mkdirSync(p), "a folder"],
  ];
  for (const [command, run] of commands) {
    for (const [name, spoil, got] of damage) {
      it(`${command}: run.json ${name} gives one line naming the file`, async () => {
        const { dir, file } = configFile(tinyConfig(1));
        spoil(join(dir, "run.json"));
        const e = await run(dir, file).then(
          () => null,
          (x: unknown) => x,
        );
        expect(e).toBeInstanceOf(MrsweepError);
        expect((e as Error).message).toMatch(
          new RegExp(
            `^${command}: the run manifest .*run\\.json must be a JSON object with the run's configuration \\(delete it to resume .*\\); got ${got}`,
          ),
        );
        expect((e as Error).message).not.toContain("\n");
      });
    }
  }

  it("--out naming a file is an environment error (exit 1) naming the path", async () => {
    const { file } = configFile(tinyConfig(1));
    const r = await spawnCli(["sweep", "--config", file, "--out", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^mrsweep sweep: ".*sweep\.json" must be writable; got ENOTDIR \(a path component is not a folder\)\n$/,
    );
  }, 30_000);

  it("a full disk mid-run stops with one line saying the run resumes, and the resumed run equals an uninterrupted one", async () => {
    const ref = fresh();
    await sweep(tinyConfig(3), ref);
    const dir = fresh();
    const real = Appender.prototype.append;
    let calls = 0;
    vi.spyOn(Appender.prototype, "append").mockImplementation(function (this: Appender, text: string) {
      if ((this as unknown as { path: string }).path.endsWith("replicates.csv") && ++calls === 1) {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
          syscall: "write",
          path: join(dir, "replicates.csv"),
        });
      }
      real.call(this, text);
    });
    const e = await sweep(tinyConfig(3), dir).then(
      () => null,
      (x: unknown) => x,
    );
    vi.restoreAllMocks();
    expect(e).toBeInstanceOf(MrsweepError);
    expect((e as MrsweepError).kind).toBe("environment");
    expect((e as Error).message).toMatch(
      /^sweep: ".*replicates\.csv" must be writable; got ENOSPC \(no space left on device\); the run keeps what it finished and resumes when run again once this is fixed$/,
    );
    expect(existsSync(lockPath(dir))).toBe(false);
    await sweep(tinyConfig(3), dir);
    expect(read(dir, "replicates.csv")).toBe(read(ref, "replicates.csv"));
  }, 60_000);

  it.skipIf(!existsSync("/dev/full"))(
    "a write that fails on a full device carries its path (the Appender on /dev/full)",
    () => {
      expect(() => new Appender("/dev/full").append("x")).toThrow(
        expect.objectContaining({ code: "ENOSPC", path: "/dev/full" }),
      );
    },
  );
});
