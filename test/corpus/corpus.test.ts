import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/main.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { Draw, render } from "./case.js";
import { corpus, PENDING } from "./corpus.js";
import { fitBase } from "./fit-cases.js";
import { mrBase } from "./mr-cases.js";
import { sweepBase } from "./sweep-cases.js";

// A sweep case that is not refused must fail here, never start a pool or run a task.
vi.mock("../../src/sweep/engine.js", () => ({
  runSweep: () => {
    throw new Error("corpus: a sweep case reached runSweep (it should have been refused)");
  },
}));

/** What one run of main() did. */
interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  leftBehind: string[];
  ms: number;
}

// The factories of src/errors.ts write "must be", and "must hold" (badCells) and "must exist" (noFile).
const MESSAGE = /^mrsweep [^\n]+: .+ must (be|hold|exist) .+; got .+$/;

/** Every file and folder under `dir`, relative to it. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

/** Runs `mrsweep argv` in-process in a fresh folder holding `files`; `$DIR` in argv is that folder. */
async function runCase(files: Readonly<Record<string, string>>, argv: readonly string[]): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-corpus-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const before = new Set(listing(dir));
    let stdout = "";
    let stderr = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      stdout += String(s);
      return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    const t0 = performance.now();
    let code: number;
    try {
      code = await main(argv.map((a) => a.replaceAll("$DIR", dir)));
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const ms = performance.now() - t0;
    const leftBehind = listing(dir).filter((f) => !before.has(f));
    return {
      code,
      stdout,
      stderr: stderr.replaceAll(dir, "$DIR"),
      leftBehind,
      ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The ways an outcome falls short of a clean refusal (empty when it is one). */
function problems(o: Outcome, code: number): string[] {
  const lines = o.stderr.split("\n").filter((l) => l !== "");
  const found: string[] = [];
  if (o.code !== code) found.push(`exit code ${o.code}, expected ${code}`);
  if (lines.length !== 1 || !o.stderr.endsWith("\n")) found.push(`${lines.length} lines on stderr`);
  if (!lines.every((l) => MESSAGE.test(l))) found.push("stderr not in the message format");
  if (o.stderr.includes("reached runSweep")) found.push("not refused: it reached the sweep engine");
  else if (/internal error|\n\s+at /.test(o.stderr)) found.push("a stack trace or internal error");
  if (o.leftBehind.length > 0) found.push(`left behind ${o.leftBehind.join(", ")}`);
  return found;
}

const CASES = corpus();
const durations: Array<[string, number]> = [];
const pendingOutcomes = new Map<string, { refused: number; not: number; example: string }>();

describe("controls: the unbroken inputs the corpus mutates are accepted", () => {
  it("fit accepts a base file", async () => {
    const o = await runCase({ "data.csv": render(fitBase(new Draw("control"))) }, ["fit", "$DIR/data.csv", "--json"]);
    expect(o.code, o.stderr).toBe(0);
    expect(JSON.parse(o.stdout)).toHaveLength(2);
  });

  it("mr accepts a base file", async () => {
    const o = await runCase({ "s.csv": render(mrBase(new Draw("control"))) }, ["mr", "$DIR/s.csv", "--json"]);
    expect(o.code, o.stderr).toBe(0);
  });

  it("a base sweep configuration is valid (parsed, not run)", () => {
    expect(() => parseSweepConfig(sweepBase(new Draw("control")))).not.toThrow();
  });
});

describe("corpus: every malformed input is refused with one line, exit code 2, nothing left behind", () => {
  for (const c of CASES) {
    it(`${c.id} (${c.argv.join(" ")})`, async () => {
      const o = await runCase(c.files, c.argv);
      durations.push([c.id, o.ms]);
      const found = problems(o, c.code ?? 2);
      if (PENDING.includes(c.category)) {
        const p = pendingOutcomes.get(c.category) ?? { refused: 0, not: 0, example: "" };
        if (found.length === 0) p.refused++;
        else {
          p.not++;
          p.example ||= `${c.id}: ${found.join("; ")}`;
        }
        pendingOutcomes.set(c.category, p);
        return;
      }
      expect(found, `${c.id}\nstderr: ${o.stderr}\nstdout: ${o.stdout.slice(0, 300)}`).toEqual([]);
    });
  }
});

afterAll(() => {
  const counts = new Map<string, number>();
  for (const c of CASES)
    counts.set(c.category.split("/")[0] as string, (counts.get(c.category.split("/")[0] as string) ?? 0) + 1);
  const [slowId, slowMs] = durations.reduce((a, b) => (b[1] > a[1] ? b : a), ["none", 0] as [string, number]);
  const total = durations.reduce((s, [, ms]) => s + ms, 0);
  const pending = CASES.filter((c) => PENDING.includes(c.category)).length;
  process.stdout.write(
    `corpus: ${durations.length} cases run (${[...counts].map(([k, v]) => `${k} ${v}`).join(", ")}), ${pending} pending; max ${slowMs.toFixed(0)} ms (${slowId}), total ${(total / 1000).toFixed(1)} s\n`,
  );
  for (const [category, p] of pendingOutcomes)
    process.stdout.write(
      `corpus pending ${category}: ${p.refused} refused cleanly, ${p.not} not${p.example ? ` (e.g. ${p.example})` : ""}\n`,
    );
});
