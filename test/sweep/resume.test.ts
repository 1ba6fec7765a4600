import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import type { SweepEvent } from "../../src/sweep/events.js";
import { tinyConfig } from "../helpers/sweep.js";

/**
 * Resume verifies, never trusts: one field of one row of a finished run is corrupted in each way a
 * file can go wrong; resuming must redo exactly the damaged task and end byte-identical to the
 * uninterrupted run.
 */

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const config = parseSweepConfig(tinyConfig(3));
let ref = "";

beforeAll(async () => {
  ref = mkdtempSync(join(tmpdir(), "mrsweep-resume-ref-"));
  await runSweep({ config, dir: ref, threads: 1 });
}, 60_000);

/** A copy of the reference run with replicates.csv passed through `edit` (lines, header first). */
function corrupted(edit: (lines: string[]) => string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-resume-"));
  cpSync(ref, dir, { recursive: true });
  const lines = read(ref, "replicates.csv").split("\n");
  writeFileSync(join(dir, "replicates.csv"), edit(lines).join("\n"));
  return dir;
}

/** Sets field `k` (0-based) of line `i` (1 = first data row). */
function setField(i: number, k: number, value: string) {
  return (lines: string[]) =>
    lines.map((l, j) => {
      if (j !== i) return l;
      const f = l.split(",");
      f[k] = value;
      return f.join(",");
    });
}

// Columns: cell_id, n, replicate, seed, beta_true, estimator, estimate, se, ci_lower, ci_upper, p_value, status, ...
const CASES: Array<[string, (lines: string[]) => string[], number]> = [
  ["a cell id of another cell", setField(3, 0, "c002"), 1],
  ["a cell id outside the plan", setField(3, 0, "c009"), 1],
  ["a grid value changed", setField(3, 1, "301"), 1],
  ["a replicate in non-canonical text", setField(3, 2, "02"), 1],
  ["a replicate written as a decimal", setField(3, 2, "2.0"), 1],
  ["a replicate outside the plan", setField(3, 2, "9"), 1],
  ["a seed changed", setField(3, 3, "12345"), 1],
  ["beta_true changed", setField(3, 4, "0.25"), 1],
  ["an estimator renamed", setField(3, 5, "liml"), 1],
  ["an unknown status", setField(3, 11, "okay"), 1],
  ["an estimate in hexadecimal", setField(3, 6, "0x1F"), 1],
  ["a non-numeric SE", setField(3, 7, "abc"), 1],
  ["an empty p-value", setField(3, 10, ""), 1],
  ["estimators out of order", (l) => [l[0], l[2], l[1], ...l.slice(3)] as string[], 1],
  ["a task's rows twice", (l) => [...l.slice(0, 3), l[1], l[2], ...l.slice(3)] as string[], 1],
  ["an unbalanced quote mid-file", (l) => l.map((x, j) => (j === 5 ? x.replace(",ok,", ',"ok,') : x)), 1],
  ["a row cut short", (l) => l.map((x, j) => (j === 7 ? x.slice(0, 20) : x)), 1],
  ["a torn last line", (l) => [...l.slice(0, -2), "c002,600,3,12"], 1],
  ["a corrupted header", setField(0, 5, "estimatr"), 0],
];

describe("resume verifies every kept row against the plan", () => {
  for (const [name, edit, redone] of CASES) {
    it(`${name}: the task is redone and replicates.csv equals the uninterrupted run`, async () => {
      const dir = corrupted(edit);
      const events: SweepEvent[] = [];
      const out = await runSweep({ config, dir, threads: 1, onEvent: (e) => events.push(e) });
      expect(out.status).toBe("complete");
      const start = events.find((e) => e.type === "start");
      expect(start && start.type === "start" && start.total - start.resumed).toBe(redone);
      if (redone > 0) expect(events.some((e) => e.type === "note" && /dropped \d+ rows/.test(e.text))).toBe(true);
      expect(read(dir, "replicates.csv")).toBe(read(ref, "replicates.csv"));
      expect(read(dir, "summary.csv")).toBe(read(ref, "summary.csv"));
    }, 30_000);
  }
});

describe("a run folder without run.json", () => {
  it("keeps rows that all verify against the plan, and runs nothing again", async () => {
    const dir = corrupted((l) => l);
    rmSync(join(dir, "run.json"));
    const events: SweepEvent[] = [];
    await runSweep({ config, dir, threads: 1, onEvent: (e) => events.push(e) });
    const start = events.find((e) => e.type === "start");
    expect(start && start.type === "start" && start.resumed).toBe(6);
    expect(read(dir, "replicates.csv")).toBe(read(ref, "replicates.csv"));
  }, 30_000);

  it("refuses rows of another configuration, naming the first line that does not match", async () => {
    const dir = corrupted((l) => l);
    rmSync(join(dir, "run.json"));
    const other = parseSweepConfig({ ...tinyConfig(3), seed: 6 });
    await expect(runSweep({ config: other, dir, threads: 1 })).rejects.toThrow(
      /^sweep: .*replicates\.csv \(there is no .*run\.json to say what made it\) must be rows of this configuration \(use --force to start afresh, or another --out\); got rows that do not match it, first at line 2: a seed not of this plan$/,
    );
    expect(read(dir, "replicates.csv")).toBe(read(ref, "replicates.csv"));
  }, 30_000);

  it("refuses rows whose plan columns verify but whose numbers this configuration does not reproduce", async () => {
    const dir = corrupted((l) => l);
    rmSync(join(dir, "run.json"));
    const other = parseSweepConfig({ ...tinyConfig(3), params: { L: 5, pi_scale: 0.5 } });
    await expect(runSweep({ config: other, dir, threads: 1 })).rejects.toThrow(
      /got rows that this configuration does not reproduce \(cell c001 replicate 1, run again\)$/,
    );
    expect(read(dir, "replicates.csv")).toBe(read(ref, "replicates.csv"));
  }, 30_000);
});
