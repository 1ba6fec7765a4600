import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sweepCommand } from "../../src/commands/sweep.js";
import { MrsweepError } from "../../src/errors.js";
import { configHash, configJson, describeConfig, parseSweepConfig } from "../../src/sweep/config.js";
import { runSweep } from "../../src/sweep/engine.js";
import { effectiveThreads, MAX_CELLS, MAX_REPLICATES, MAX_ROWS, MAX_TASKS } from "../../src/sweep/limits.js";
import { SWEEP_PRESETS } from "../../src/sweep/presets.js";

// The command tests must show that a refused configuration never reaches the engine.
// A stand-in run: it reports one note (as a claimed folder does) and completes with nothing failed.
vi.mock("../../src/sweep/engine.js", () => ({
  runSweep: vi.fn(async (o: { onEvent?: (e: unknown) => void }) => {
    o.onEvent?.({ type: "note", text: "stand-in" });
    return { status: "complete", failures: 0, done: 0, total: 0 };
  }),
}));

/** A small valid standalone configuration; each case changes a key or two. */
const BASE = {
  dgp: "study",
  params: { L: 5 },
  grid: { n: [500, 1500] },
  replicates: 2,
  estimators: ["ols", "tsls"],
  seed: 3,
};

/** The error `f` throws; fails the test when it returns instead. */
function refusal(f: () => unknown): MrsweepError {
  try {
    f();
  } catch (e) {
    if (e instanceof MrsweepError) return e;
    throw e;
  }
  throw new Error("the configuration was accepted");
}

/** `count` distinct integers from `from`. */
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** [category, configuration, what the message must say after `sweep config: `]. */
const CASES: ReadonlyArray<readonly [string, unknown, RegExp]> = [
  ["not an object: null", null, /the configuration must be a JSON object; got null/],
  ["not an object: a list", [], /the configuration must be a JSON object; got \[\]/],
  ["not an object: a number", 1, /the configuration must be a JSON object; got 1/],
  ["not an object: a string", "x", /the configuration must be a JSON object; got "x"/],
  ["standalone: no estimators", { dgp: "study" }, /estimators must be a non-empty list, or "extends" .*; got nothing/],
  [
    "standalone: no dgp",
    { estimators: ["ols"] },
    /dgp must be a DGP id \(study, invariance, deep_mr_sim\), or "extends" .*; got nothing/,
  ],
  [
    "extends: unknown preset",
    { extends: "quik" },
    /extends must be one of quick, study, study-exact, invariance-quick, invariance-repr-small, invariance-paper, invariance-paper-e3, invariance-paper-pw, deep-mr-ci, deep-mr-small, deep-mr-paper; got "quik"/,
  ],
  ["extends: not a name", { extends: 5 }, /extends must be a preset name .*; got 5/],
  ["unknown key", { ...BASE, colour: "red" }, /a key must be one of dgp, .*, extends; got "colour"/],
  [
    "unknown key in an estimator entry",
    { ...BASE, estimators: [{ id: "ols", nme: "x" }] },
    /estimators\[0\]: a key must be one of id, name, params; got "nme"/,
  ],
  ["unknown DGP parameter", { ...BASE, params: { nn: 5 } }, /params: parameter name must be one of n, L, .*; got "nn"/],
  [
    "unknown estimator parameter",
    { ...BASE, estimators: [{ id: "ols", params: { covariate: ["age"] } }] },
    /estimators\[0\] \(ols\): parameter name must be one of covariates, sample; got "covariate"/,
  ],
  ["wrong type: dgp", { ...BASE, dgp: 5 }, /dgp must be a DGP id \(study, invariance, deep_mr_sim\); got 5/],
  [
    "wrong type: grid",
    { ...BASE, grid: [] },
    /grid must be an object mapping DGP parameters to lists of values; got \[\]/,
  ],
  ["wrong type: replicates", { ...BASE, replicates: "10" }, /replicates must be an integer >= 1; got "10"/],
  ["wrong type: seed", { ...BASE, seed: 1.5 }, /seed must be a non-negative integer; got 1\.5/],
  ["wrong type: estimators", { ...BASE, estimators: "ols" }, /estimators must be a non-empty list; got "ols"/],
  ["wrong type: rng", { ...BASE, rng: 5 }, /rng must be one of seedrandom, numpy; got 5/],
  ["wrong type: estimator name", { ...BASE, estimators: [{ id: "ols", name: 3 }] }, /estimators\[0\]\.name .*; got 3/],
  [
    "no estimator id",
    { ...BASE, estimators: [{ name: "a" }] },
    /estimators\[0\]\.id must be an estimator id; got nothing/,
  ],
  [
    "duplicate grid values",
    { ...BASE, grid: { n: [1000, 1500, 1000] } },
    /grid\.n\[2\] must be different from grid\.n\[0\] \(a value is one cell\); got 1000/,
  ],
  [
    "duplicate grid values written differently (1000 and 1e3)",
    { ...BASE, grid: JSON.parse('{"n": [1000, 1e3]}') },
    /grid\.n\[1\] must be different from grid\.n\[0\] .*; got 1000/,
  ],
  [
    'seeds "dgp" with more than one replicate',
    { ...BASE, seeds: "dgp", replicates: 3 },
    /replicates with "seeds": "dgp" must be 1 \(every replicate would be the same dataset\); got 3/,
  ],
  ["a grid over the DGP's seed", { ...BASE, grid: { seed: [1, 2] } }, /grid\.seed must be left out .*; got \[1, 2\]/],
  ["a fixed seed the tasks would ignore", { ...BASE, params: { seed: 4 } }, /params\.seed must be left out .*; got 4/],
  [
    "too many replicates",
    { ...BASE, grid: {}, replicates: MAX_REPLICATES + 1 },
    new RegExp(`replicates must be at most ${MAX_REPLICATES} \\(per cell\\); got ${MAX_REPLICATES + 1}`),
  ],
  [
    "too many cells",
    { ...BASE, params: {}, grid: { n: range(2, 400), L: range(1, 300) } },
    new RegExp(`the number of grid cells must be at most ${MAX_CELLS} .*; got 120000`),
  ],
  [
    "too many tasks",
    { ...BASE, grid: { n: range(2, 10) }, replicates: MAX_TASKS / 5 },
    new RegExp(`cells x replicates must be at most ${MAX_TASKS} .*; got ${2 * MAX_TASKS}`),
  ],
  [
    "too many rows",
    { ...BASE, grid: { n: range(2, 5) }, replicates: MAX_TASKS / 5, estimators: ["ols", "tsls", "tsls_lasso"] },
    new RegExp(`cells x replicates x estimators must be at most ${MAX_ROWS} .*; got ${3 * MAX_TASKS}`),
  ],
  [
    "maf_min above maf_max in one grid cell",
    { ...BASE, params: { maf_max: 0.3 }, grid: { maf_min: [0.1, 0.4] } },
    /grid cell maf_min=0\.4: parameter maf_min must be <= maf_max \(0\.3\); got 0\.4/,
  ],
  [
    "maf_min above maf_max with no grid",
    { ...BASE, grid: {}, params: { maf_min: 0.45, maf_max: 0.3 } },
    /^sweep config: parameter maf_min must be <= maf_max \(0\.3\); got 0\.45$/,
  ],
  [
    "covariates naming a column the DGP never makes",
    { ...BASE, estimators: ["ols", { id: "tsls", params: { covariates: ["age", "income"] } }] },
    /grid cell n=500: estimators\[1\] \(tsls\) parameter covariates, in the study DGP's data: column "income" must be present; got columns Y, X, age/,
  ],
  [
    "context naming an instrument only some cells have",
    { ...BASE, params: {}, grid: { L: [10, 5] }, estimators: [{ id: "ctx_ols", params: { context: ["age", "G7"] } }] },
    /grid cell L=5: estimators\[0\] \(ctx_ols\) parameter context, in the study DGP's data: column "G7" must be present/,
  ],
  [
    "a dataset too large for one worker's memory",
    { ...BASE, params: { L: 50, two_sample: true }, grid: { n: [1000, 5_000_000] } },
    /grid cell n=5000000: the dataset and its fits' workspace must be at most 3\.94 GiB together \(the WASM core addresses 4 GiB, .*\); got 9\.31 GiB \(4\.69 GiB of data: 10000000 rows x 63 columns x 8 bytes; 4\.62 GiB of workspace for tsls\)/,
  ],
];

describe("sweep config: refused with one message in the usual format", () => {
  it("the base case is valid (control)", () => {
    expect(parseSweepConfig(BASE).grid).toEqual([["n", [500, 1500]]]);
  });

  for (const [name, raw, re] of CASES) {
    it(name, () => {
      const e = refusal(() => parseSweepConfig(raw));
      expect(e.kind).toBe("input");
      expect(e.message).toMatch(/^sweep config: .+ must be .+; got .+$/);
      expect(e.message).toMatch(re);
    });
  }
});

describe("sweep config: standalone, or extending a preset", () => {
  it("a standalone configuration takes the DGP's and estimators' defaults, not a preset's", () => {
    const c = parseSweepConfig({ dgp: "study", estimators: ["ols"] });
    expect(c).toEqual({
      dgp: "study",
      rng: "seedrandom",
      params: {},
      grid: [],
      replicates: 100,
      estimators: [{ name: "ols", id: "ols", params: { covariates: [], sample: "first" } }],
      seed: 1,
      seeds: "derived",
    });
  });

  it('"extends" takes the preset\'s keys and replaces those given', () => {
    const c = parseSweepConfig({ extends: "quick", replicates: 3, grid: { n: [2000] } });
    expect(configJson(c)).toEqual(
      configJson(parseSweepConfig({ ...SWEEP_PRESETS.quick, replicates: 3, grid: { n: [2000] } })),
    );
    expect(c.params).toEqual(SWEEP_PRESETS.quick?.params);
  });

  it("every preset stands alone", () => {
    for (const preset of Object.values(SWEEP_PRESETS)) expect(preset.extends).toBeUndefined();
  });
});

describe("describeConfig", () => {
  it("is one line of JSON that parses back to the same configuration", () => {
    for (const preset of Object.values(SWEEP_PRESETS)) {
      const c = parseSweepConfig(preset);
      const line = describeConfig(c);
      expect(line).not.toContain("\n");
      expect(configHash(parseSweepConfig(JSON.parse(line)))).toBe(configHash(c));
    }
  });

  it("names estimators by id and shows only parameters that differ from the defaults", () => {
    const c = parseSweepConfig({
      ...BASE,
      estimators: ["ols", { id: "tsls", name: "tsls_age", params: { covariates: ["age"] } }],
    });
    expect(JSON.parse(describeConfig(c)).estimators).toEqual([
      "ols",
      { id: "tsls", name: "tsls_age", params: { covariates: ["age"] } },
    ]);
  });
});

describe("effectiveThreads", () => {
  it("never starts more workers than there are tasks, nor fewer than one", () => {
    expect(effectiveThreads(8, 3)).toBe(3);
    expect(effectiveThreads(2, 100)).toBe(2);
    expect(effectiveThreads(4, 0)).toBe(1);
  });
});

describe("mrsweep sweep: the configuration is refused before anything is written", () => {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-config-"));
  const file = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(json));
    return path;
  };
  let stderr: string[] = [];

  beforeEach(() => {
    vi.mocked(runSweep).mockClear();
    stderr = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      stderr.push(String(s));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const [name, args, re] of [
    [
      "a config that is null",
      ["--config", file("null.json", null)],
      /null\.json: the configuration must be a JSON object; got null/,
    ],
    [
      "a bad grid cell",
      ["--config", file("maf.json", { ...BASE, params: { maf_max: 0.2 }, grid: { maf_min: [0.1, 0.3] } })],
      /maf\.json: grid cell maf_min=0\.3: parameter maf_min must be <= maf_max \(0\.2\); got 0\.3/,
    ],
    [
      "--preset that disagrees with the file's extends",
      ["--preset", "study", "--config", file("ext.json", { extends: "quick" })],
      /^sweep: --preset must be left out or the file's "extends" \("quick"\); got "study"$/,
    ],
    [
      "too many threads",
      ["--config", file("ok.json", BASE), "--threads", "1000"],
      /^sweep: --threads must be at most 256 .*; got 1000$/,
    ],
    [
      "a seed that is not a number",
      ["--config", file("ok2.json", BASE), "--seed", "abc"],
      /seed must be a non-negative integer; got "abc"/,
    ],
  ] as const) {
    it(name, async () => {
      const out = join(dir, `out-${name.replaceAll(/\W/g, "_")}`);
      const e = await sweepCommand([...args, "--out", out]).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(MrsweepError);
      expect((e as MrsweepError).kind).toBe("input");
      expect((e as MrsweepError).message).toMatch(re);
      expect(runSweep).not.toHaveBeenCalled();
      expect(existsSync(out)).toBe(false);
      expect(stderr).toEqual([]);
    });
  }

  it("--preset with a file that has no extends acts as its extends; the config line is printed first once the run starts", async () => {
    await sweepCommand(["--preset", "quick", "--config", file("reps.json", { replicates: 2 }), "--no-plots"]);
    const { config } = vi.mocked(runSweep).mock.calls[0]?.[0] ?? {};
    expect(config && configJson(config)).toEqual(
      configJson(parseSweepConfig({ ...SWEEP_PRESETS.quick, replicates: 2 })),
    );
    expect(stderr[0]).toBe(`sweep: config ${describeConfig(config as never)}\n`);
  });

  it("starts no more threads than tasks, and --quiet prints no config line", async () => {
    await sweepCommand([
      "--config",
      file("two.json", { ...BASE, grid: {} }),
      "--threads",
      "8",
      "--quiet",
      "--no-plots",
    ]);
    expect(vi.mocked(runSweep).mock.calls[0]?.[0].threads).toBe(2);
    expect(stderr.filter((l) => l.startsWith("sweep: config"))).toEqual([]);
  });
});
