import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configText, initConfig } from "../../src/commands/init.js";
import { configHash, parseSweepConfig } from "../../src/sweep/config.js";
import { SWEEP_PRESETS } from "../../src/sweep/presets.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/fixtures.js";

const EXAMPLE = join(ROOT, "examples", "js-plugin", "my-methods.mjs");

describe("mrsweep list", () => {
  it("lists DGPs and estimators with their parameters, presets, and the plug-ins --plugin loads", () => {
    const r = runCli(["list", "--plugin", EXAMPLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DGPs \(mrsweep simulate --dgp ID; a sweep's "dgp"\):\n {2}study: /);
    expect(r.stdout).toMatch(/\n {4}n \(int >= 2; default 5000\): number of individuals\n/);
    expect(r.stdout).toMatch(/\n {2}confounded_iv \[plug-in\]: Confounded exposure, independent variants\. /);
    expect(r.stdout).toMatch(
      /\n {2}allele_score \(individual\) \[plug-in\]: Allele score IV\. [^\n]*\n {4}weights \(equal\|internal; default equal\): variant weights of the score\n/,
    );
    expect(r.stdout).toMatch(/\n {2}quick: dgp study, grid n x3, L x2, context x2, 100 replicates, 5 estimators\n/);
    expect(r.stdout).toMatch(
      /\nPlug-ins loaded:\n {2}\S+my-methods\.mjs \(sha256 [0-9a-f]{12}…\): confounded_iv, allele_score\n$/,
    );
  });

  it("--json gives one section as data; an unknown section is refused", () => {
    const r = runCli(["list", "plugins", "--json"]);
    expect(JSON.parse(r.stdout)).toEqual({ plugins: [] });
    const est = JSON.parse(runCli(["list", "estimators", "--json"]).stdout).estimators;
    expect(est.find((e: { id: string }) => e.id === "tsls")).toMatchObject({ input: "individual", plugin: false });
    const bad = runCli(["list", "models"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'mrsweep list: the section must be one of dgps, estimators, presets, plugins; got "models"\n',
    );
  });
});

describe("mrsweep init", () => {
  it("writes every preset as a commented configuration that means the same as the preset", () => {
    for (const name of Object.keys(SWEEP_PRESETS)) {
      const written = JSON.parse(configText(initConfig(name)));
      expect(written._comment).toMatch(/Keys starting with _ are comments/);
      expect(written._grid ?? written._dgp).toBeTypeOf("string");
      expect(parseSweepConfig(written, name)).toEqual(parseSweepConfig({ extends: name }, name));
    }
  });

  it("keys starting with _ are comments: dropped, not part of the configuration's hash", () => {
    const plain = { dgp: "study", replicates: 2, estimators: ["ols"] };
    const commented = { _comment: "mine", ...plain, _estimators: "just OLS" };
    expect(parseSweepConfig(commented)).toEqual(parseSweepConfig(plain));
    expect(configHash(parseSweepConfig(commented))).toBe(configHash(parseSweepConfig(plain)));
    expect(() => parseSweepConfig({ ...plain, comment: "x" })).toThrow(/a key must be one of dgp, /);
  });

  it("writes sweep.json that `sweep --plan` runs; refuses to overwrite without --force", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-init-"));
    const r = runCli(["init", "--preset", "invariance-quick"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("init: wrote sweep.json; edit it, then run: mrsweep sweep --config sweep.json\n");
    expect(readFileSync(join(dir, "sweep.json"), "utf8")).toMatch(/\n {4}"mixing": \["linear", "poly1", /);
    const plan = runCli(["sweep", "--config", "sweep.json", "--plan"], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^5 cells x 200 replicates = 1000 tasks, 9 estimators each\n/);
    writeFileSync(join(dir, "sweep.json"), "{}");
    const again = runCli(["init"], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      'mrsweep init: --out must be a file that does not exist yet (or --force to replace it); got "sweep.json"\n',
    );
    expect(runCli(["init", "--force"], dir).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")).dgp).toBe("study");
  });
});
