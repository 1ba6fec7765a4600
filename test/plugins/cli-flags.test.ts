import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixturePath, ROOT } from "../helpers/fixtures.js";

const EXAMPLE = join(ROOT, "examples", "js-plugin", "my-methods.mjs");
const FACTORY = fixturePath("plugins", "factory.mjs");

interface Row {
  estimator: string;
  estimate: number;
  status: string;
}

describe("--plugin on simulate and fit", () => {
  it("simulates from a plug-in DGP and fits plug-in estimators, with --set and --help", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-plugin-cli-"));
    const data = join(dir, "data.csv");
    const help = runCli(["simulate", "--plugin", EXAMPLE, "--dgp", "confounded_iv", "--help"]);
    expect(help.stdout).toMatch(/\n {2}--strength V +each variant's effect on X \(default 0\.15\)\n/);
    const sim = runCli([
      "simulate",
      "--plugin",
      EXAMPLE,
      "--dgp",
      "confounded_iv",
      "--n",
      "300",
      "--L",
      "3",
      "--out",
      data,
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stderr).toMatch(/^simulate: wrote 300 rows x 5 columns to /);

    const fitHelp = runCli(["fit", "--plugin", FACTORY, "--help"]);
    expect(fitHelp.stdout).toMatch(
      /--estimators IDS +comma-separated ids from: ols, [^\n]*, factory_mean_ratio \(default/,
    );
    const fit = (...more: string[]) => {
      const r = runCli(["fit", data, "--plugin", EXAMPLE, "--plugin", FACTORY, "--json", ...more]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Row[];
    };
    const one = fit("--estimators", "allele_score,factory_mean_ratio");
    expect(one.map((r) => [r.estimator, r.status])).toEqual([
      ["allele_score", "ok"],
      ["factory_mean_ratio", "ok"],
    ]);
    const two = fit("--estimators", "allele_score,factory_mean_ratio", "--set", "scale=2", "--set", "weights=internal");
    expect(two[1]?.estimate).toBe(2 * (one[1]?.estimate as number));
    expect(two[0]?.estimate).not.toBe(one[0]?.estimate);
  });

  it("a plug-in that is missing or clashes is one line, exit 2", () => {
    const missing = runCli(["fit", "data.csv", "--plugin", "nowhere.mjs"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^mrsweep fit: file "\S+nowhere\.mjs" must exist and be readable; got ENOENT\n$/);
    const clash = runCli(["sweep", "--plan", "--plugin", fixturePath("plugins", "clash-builtin.mjs")]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(
      /^mrsweep sweep: --plugin: plug-in \S+clash-builtin\.mjs: estimator id "tsls" must be an id of its own; got the built-in estimator tsls\n$/,
    );
  });
});
