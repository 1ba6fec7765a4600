import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSweep } from "../../src/api/run-sweep.js";
import { numericFrame } from "../../src/io/columns.js";
import { readTable } from "../../src/io/read-table.js";
import type { SweepEvent } from "../../src/sweep/events.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/fixtures.js";
import { spawnCli } from "../helpers/sweep.js";

const CONFIG = join(ROOT, "examples", "js-plugin", "sweep.json");
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

/** summary.csv's rows as objects. */
function summary(dir: string): Array<Record<string, string>> {
  const [head, ...rows] = read(dir, "summary.csv").trim().split("\n");
  const names = (head as string).split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, j) => [names[j], v])));
}

describe("examples/js-plugin", () => {
  it("runs end to end from the CLI, and runSweep (stopped by its signal, then resumed) writes the same files", async () => {
    const cliOut = mkdtempSync(join(tmpdir(), "mrsweep-example-"));
    // Figures once only (below, by runSweep): they take longer than this sweep's tasks.
    const cli = await spawnCli(["sweep", "--config", CONFIG, "--out", cliOut, "--threads", "2", "--no-plots"]);
    expect(cli.code, cli.stderr).toBe(0);
    // The plug-in's allele score (equal weights) is close to unbiased with strong variants, where
    // OLS carries the confounding: each stated in Monte Carlo standard errors of this fixed run.
    const strong = summary(cliOut).filter((r) => r.n === "2000" && r.strength === "0.15");
    const row = (name: string) => strong.find((r) => r.estimator === name) as Record<string, string>;
    expect(Math.abs(Number(row("allele_score").bias))).toBeLessThan(3 * Number(row("allele_score").bias_mcse));
    expect(Number(row("ols").bias)).toBeGreaterThan(20 * Number(row("ols").bias_mcse));
    expect(row("allele_score").n_ok).toBe("20");
    // The run folder's commands load the plug-ins run.json records.
    const written = read(cliOut, "summary.csv");
    expect(runCli(["summarize", cliOut]).code).toBe(0);
    expect(read(cliOut, "summary.csv")).toBe(written);
    expect(runCli(["status", cliOut]).stdout).toMatch(
      /\ntasks: 80\/80 done \(100\.0%\) in 4 cells, 0 with failed estimators\n/,
    );

    const out = mkdtempSync(join(tmpdir(), "mrsweep-example-api-"));
    const abort = new AbortController();
    const events: SweepEvent[] = [];
    const stopped = await runSweep(CONFIG, {
      out,
      threads: 2,
      signal: abort.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "task") abort.abort();
      },
    });
    expect(stopped.status).toBe("stopped");
    expect(stopped.figures).toEqual([]);
    expect(events.some((e) => e.type === "stopping" && e.reason === "interrupted")).toBe(true);
    const done = await runSweep(CONFIG, { out, threads: 2 });
    expect(done).toMatchObject({ status: "complete", done: 80, total: 80, failures: 0, dir: out });
    expect(done.figures.length).toBeGreaterThan(0);
    for (const f of ["replicates.csv", "summary.csv"]) expect(read(out, f)).toBe(read(cliOut, f));
    expect(existsSync(join(out, "report.html"))).toBe(true);
  });
});

describe("the library's table readers", () => {
  it("numericFrame refuses readTable's Promise (not awaited) and other non-tables clearly", async () => {
    const file = join(ROOT, "test", "fixtures", "plugins", "table.csv");
    const pending = readTable(file);
    expect(() => numericFrame(pending as never, ["x"])).toThrow(
      /^numericFrame: the table must be a table read by readTable; got a Promise \(readTable is async: await its result\)$/,
    );
    expect(() => numericFrame({ file } as never, ["x"])).toThrow(
      /^numericFrame: the table must be a table read by readTable; got an object without names and rows$/,
    );
    expect(numericFrame(await pending, ["x"]).columns[0]).toEqual(Float64Array.from([1, 2]));
  });
});
