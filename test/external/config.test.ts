import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorExternal, changedExternal, externalRecord } from "../../src/external/config.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { replicateColumns } from "../../src/sweep/replicates.js";

const entry = (params: Record<string, unknown>) => ({ id: "external", name: "mine", params });
const config = (params: Record<string, unknown>) => ({
  dgp: "study",
  replicates: 2,
  estimators: ["tsls", entry(params)],
});

describe("external estimators in a sweep configuration", () => {
  it("run in the configuration file's folder unless they name one", () => {
    const raw = {
      estimators: ["tsls", entry({ command: ["Rscript", "m.R"] }), entry({ command: ["x"], cwd: "/else" })],
    };
    const anchored = anchorExternal(raw, "conf/dir").estimators as Array<{ params?: { cwd?: string } }>;
    expect(anchored[0]).toBe("tsls");
    expect(anchored[1]?.params?.cwd).toBe(join(process.cwd(), "conf/dir"));
    expect(anchored[2]?.params?.cwd).toBe("/else");
  });

  it("declare their extras, which become columns of replicates.csv", () => {
    const parsed = parseSweepConfig(config({ command: ["python3", "m.py"], extras: ["lambda", "first_stage_f"] }));
    const columns = replicateColumns(parsed);
    expect(columns.slice(columns.indexOf("message") + 1)).toEqual([
      "se_robust",
      "df",
      "first_stage_f",
      "first_stage_f_p",
      "partial_r2",
      "sargan",
      "sargan_df",
      "sargan_p",
      "lambda",
      "person_mse",
    ]);
  });

  for (const [params, re] of [
    [
      { command: "python3 m.py" },
      /estimators\[1\] \(external\): parameter command must be a list of strings; got "python3 m.py"/,
    ],
    [{ command: ["m"], cwd: 3 }, /parameter cwd must be a string; got 3/],
    [
      { command: ["m"], covariates: ["weight_kg"] },
      /parameter covariates, in the study DGP's data: column "weight_kg" must be present/,
    ],
    [{ command: ["m"], timeout_ms: 0 }, /parameter timeout_ms must be an integer >= 1; got 0/],
  ] as const) {
    it(`refuse bad parameters up front: ${JSON.stringify(params)}`, () => {
      expect(() => parseSweepConfig(config(params))).toThrow(re);
    });
  }

  it("are recorded in run.json with a hash of each argument that is a file (not of the program)", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-external-"));
    writeFileSync(join(dir, "m.R"), "cat('hi')\n");
    const parsed = parseSweepConfig(config({ command: ["Rscript", "m.R", "fast"], cwd: dir }));
    const before = externalRecord(parsed);
    expect(before).toEqual({
      external: [
        {
          name: "mine",
          command: ["Rscript", "m.R", "fast"],
          cwd: dir,
          files: { "m.R": expect.stringMatching(/^[0-9a-f]{16}$/) },
        },
      ],
    });
    writeFileSync(join(dir, "m.R"), "cat('changed')\n");
    expect(externalRecord(parsed).external?.[0]?.files["m.R"]).not.toBe(before.external?.[0]?.files["m.R"]);
    expect(externalRecord(parseSweepConfig({ dgp: "study", estimators: ["tsls"] }))).toEqual({});
  });

  it("refuse a resume after a script changed or went away, naming the script and estimator", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-external-"));
    writeFileSync(join(dir, "m.py"), "print(1)\n");
    const parsed = parseSweepConfig(config({ command: ["python3", "m.py"], cwd: dir }));
    const manifest = { config: {}, ...externalRecord(parsed) };
    expect(changedExternal("RUN", manifest, parsed)).toBeNull();
    writeFileSync(join(dir, "m.py"), "print(2)\n");
    expect(changedExternal("RUN", manifest, parsed)?.message).toMatch(
      /the script m\.py of external estimator mine must be unchanged to resume the run in RUN \(sha256 [0-9a-f]{16} when the run started; .*got a changed file \(sha256 [0-9a-f]{16}\)/,
    );
    rmSync(join(dir, "m.py"));
    expect(changedExternal("RUN", manifest, parsed)?.message).toMatch(/got a file that is gone/);
  });
});
