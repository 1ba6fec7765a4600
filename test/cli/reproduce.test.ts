import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatG17 } from "../../src/commands/reproduce.js";
import { getColumn } from "../../src/data/frame.js";
import { assertClose } from "../helpers/assert-close.js";
import { runCli } from "../helpers/cli.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

const STUDY = fixturePath("study");
const REFERENCE = join(STUDY, "baseline-n1000-n3000.tsv");
const dir = mkdtempSync(join(tmpdir(), "mrsweep-repro-"));

describe("formatG17 (C's %.17g)", () => {
  it("prints 17 significant digits without trailing zeros (expected values from Python's '%.17g')", () => {
    expect(formatG17(0.1)).toBe("0.10000000000000001");
    expect(formatG17(0.5)).toBe("0.5");
    expect(formatG17(0.8174757205648118)).toBe("0.81747572056481177");
    expect(formatG17(-2.5e-7)).toBe("-2.4999999999999999e-07");
    expect(formatG17(1e20)).toBe("1e+20");
    expect(formatG17(123)).toBe("123");
    expect(formatG17(Number.NaN)).toBe("nan");
  });
});

describe("mrsweep reproduce study-baseline", () => {
  it("regenerates all 150 rows and matches the published 60 to 1e-9", () => {
    const out = join(dir, "baseline.tsv");
    const r = runCli(["reproduce", "study-baseline", "--out", out, "--compare", REFERENCE]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("n\tL\tconfounding\tmethod\tbeta_hat");
    expect(lines).toHaveLength(151);
    expect(lines[1]).toMatch(/^1000\t5\tTrue\tOLS\t0\.81747572056481\d*$/);
    expect(r.stderr).toMatch(/compare: all 60 reference rows present, every difference <= 1e-9/);
    for (const method of ["OLS", "2SLS", "2SLS-LASSO"]) {
      const m = new RegExp(`compare: ${method}\\s+20 rows, max \\|difference\\| (\\S+)`).exec(r.stderr);
      expect(Number(m?.[1])).toBeLessThanOrEqual(1e-9);
    }
    const published = readFileSync(REFERENCE, "utf8").trim().split("\n").slice(1);
    const ours = new Map(lines.slice(1).map((l) => [l.split("\t").slice(0, 4).join("\t"), Number(l.split("\t")[4])]));
    for (const line of published) {
      const f = line.split("\t");
      assertClose(
        ours.get(f.slice(0, 4).join("\t")) ?? Number.NaN,
        Number(f[4]),
        { atol: 1e-9, rtol: 0 },
        f.slice(0, 4).join(" "),
      );
    }
  });

  it("exits non-zero when reference rows are missing from the table", () => {
    const r = runCli([
      "reproduce",
      "study-baseline",
      "--n",
      "1000",
      "--out",
      join(dir, "part.tsv"),
      "--compare",
      REFERENCE,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compare: 30 reference rows missing from the table \(first: 3000 5 True OLS\)/);
  });

  it("exits non-zero when a difference exceeds --tolerance", () => {
    const r = runCli([
      "reproduce",
      "study-baseline",
      "--n",
      "1000",
      "--out",
      join(dir, "tol.tsv"),
      "--compare",
      REFERENCE,
      "--tolerance",
      "0",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tolerance 0 exceeded/);
  });

  it("rejects an unknown target", () => {
    const r = runCli(["reproduce", "everything"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reproduce: the target must be one of study-baseline; got "everything"/);
  });
});

describe("mrsweep simulate --rng numpy", () => {
  it("writes the study's dataset for n = 1000, L = 5, context, seed 7", async () => {
    const out = join(dir, "study.csv");
    const r = runCli([
      "simulate",
      "--dgp",
      "study",
      "--rng",
      "numpy",
      "--n",
      "1000",
      "--L",
      "5",
      "--context",
      "--seed",
      "7",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const got = await readFrame(out);
    const want = await readFrame(join(STUDY, "dataset-n1000-L5-context.csv"));
    expect(got.names).toEqual(want.names);
    want.names.forEach((name, j) => {
      const g = getColumn(got, name) as Float64Array;
      if (want.integer[j]) expect(Array.from(g)).toEqual(Array.from(want.columns[j] as Float64Array));
      else assertClose(g, want.columns[j] as Float64Array, { rtol: 1e-12 }, name);
    });
    expect(JSON.parse(readFileSync(join(dir, "study.meta.json"), "utf8")).rng).toBe("numpy-pcg64");
  });
});
