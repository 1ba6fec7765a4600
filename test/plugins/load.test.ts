import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { fit } from "../../src/estimators/fit.js";
import { estimators, getEstimator } from "../../src/estimators/registry.js";
import { loadedPlugins, loadPlugin, loadPlugins } from "../../src/plugins/load.js";
import { dgps } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, ROOT } from "../helpers/fixtures.js";

const EXAMPLE = join(ROOT, "examples", "js-plugin", "my-methods.mjs");

async function refusal(files: string[]): Promise<string> {
  try {
    await loadPlugins(files);
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

describe("loading plug-ins", () => {
  it("registers the example's DGP and estimator (with `sample`, as built-ins), once per content", async () => {
    const [ref] = await loadPlugins([EXAMPLE]);
    expect(ref).toEqual({ path: EXAMPLE, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(dgps.get("confounded_iv")?.params.map((s) => s.name)).toEqual([
      "n",
      "L",
      "beta",
      "strength",
      "maf",
      "confounding",
      "seed",
    ]);
    expect(getEstimator("allele_score").params.map((s) => s.name)).toEqual(["weights", "sample"]);
    expect(await loadPlugins([EXAMPLE])).toEqual([ref]);
    expect(loadedPlugins().filter((p) => p.path === EXAMPLE)).toEqual([
      { ...ref, estimators: ["allele_score"], dgps: ["confounded_iv"] },
    ]);
  });

  it("a plug-in estimator fits like a built-in: the equal-weight score of one variant is 2SLS", async () => {
    await loadPlugins([EXAMPLE]);
    const sim = simulate("confounded_iv", { n: 800, L: 1, strength: 0.4, seed: 3 });
    const [tsls, score] = fit(sim.data, sim.roles, { estimators: ["tsls", "allele_score"], core: getCore() });
    expect(score?.status).toBe("ok");
    assertClose(score?.estimate as number, tsls?.estimate as number, { rtol: 1e-12 });
    assertClose(score?.se as number, tsls?.se as number, { rtol: 1e-12 });
    expect(score?.interval).toBe("exact");
  });

  it("a sweep configuration parses with plug-in ids only once they are loaded", async () => {
    await loadPlugins([EXAMPLE]);
    const [ref] = loadedPlugins().filter((p) => p.path === EXAMPLE);
    const config = {
      plugins: [{ path: EXAMPLE, sha256: ref?.sha256 }],
      dgp: "confounded_iv",
      replicates: 2,
      estimators: ["allele_score"],
    };
    expect(parseSweepConfig(config).plugins).toEqual([{ path: EXAMPLE, sha256: ref?.sha256 }]);
    expect(() => parseSweepConfig({ ...config, plugins: ["./my-methods.mjs"] })).toThrow(
      /^sweep config: plugins\[0\] must be \{"path", "sha256"\} of a loaded plug-in; got "\.\/my-methods\.mjs"$/,
    );
  });

  it("a worker refuses a plug-in whose content is not the one the run recorded", async () => {
    await expect(loadPlugin("sweep worker", EXAMPLE, { sha256: "0".repeat(64) })).rejects.toThrow(
      /^sweep worker: plug-in \S+my-methods\.mjs must be unchanged since the run recorded it \(sha256 000000000000…\); got content with sha256 [0-9a-f]{12}…$/,
    );
  });

  it("a plug-in exporting a function of the API (no import of mrsweep) registers what it returns", async () => {
    const [ref] = await loadPlugins([fixturePath("plugins", "factory.mjs")]);
    expect(loadedPlugins().find((p) => p.path === ref?.path)?.estimators).toEqual(["factory_mean_ratio"]);
    expect(getEstimator("factory_mean_ratio").defaults).toEqual({ scale: 1, sample: "first" });
  });

  it("refuses ids that a built-in or another plug-in has, naming both", async () => {
    await loadPlugins([EXAMPLE]);
    expect(await refusal([fixturePath("plugins", "clash-builtin.mjs")])).toMatch(
      /^loadPlugins: plug-in \S+clash-builtin\.mjs: estimator id "tsls" must be an id of its own; got the built-in estimator tsls$/,
    );
    expect(await refusal([fixturePath("plugins", "clash-plugin.mjs")])).toMatch(
      /^loadPlugins: plug-in \S+clash-plugin\.mjs: estimator id "allele_score" must be an id of its own; got the estimator allele_score of plug-in \S+my-methods\.mjs$/,
    );
    expect(getEstimator("tsls").label).not.toBe("Not the real 2SLS");
  });

  it("refuses malformed plug-ins with what is wrong, registering nothing of them", async () => {
    const before = estimators.size;
    expect(await refusal([fixturePath("plugins", "no-fit.mjs")])).toMatch(
      /^loadPlugins: plug-in \S+no-fit\.mjs: estimators\[0\] \(no_fit\): fit must be a function fit\(data, params, ctx\) returning a row; got nothing$/,
    );
    expect(await refusal([fixturePath("plugins", "empty.mjs")])).toMatch(
      /^loadPlugins: plug-in \S+empty\.mjs: exports estimators or dgps must be a non-empty list of estimators and\/or DGPs; got nothing$/,
    );
    expect(await refusal([fixturePath("plugins", "bad-default.mjs")])).toMatch(
      /^loadPlugins: plug-in \S+bad-default\.mjs: dgps\[0\] \(bad_default\): defaults: parameter n must be an integer >= 10; got 3$/,
    );
    expect(await refusal([fixturePath("plugins", "missing.mjs")])).toMatch(
      /^loadPlugins: file "\S+missing\.mjs" must exist and be readable; got ENOENT$/,
    );
    expect(estimators.size).toBe(before);
  });
});
