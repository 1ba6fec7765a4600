import { type CorpusCase, cases, type Draw } from "./case.js";

/**
 * A valid, small sweep configuration. Its control test parses it without running it; the
 * corpus test replaces the engine, so a case that is not refused fails instead of starting a pool.
 */
export function sweepBase(d: Draw): Record<string, unknown> {
  return {
    dgp: "study",
    params: { n: d.pick([200, 500]), L: d.int(2, 6) },
    grid: { context: [false, true], ...(d.chance(0.5) ? { pi_scale: [0.2, 0.4] } : {}) },
    replicates: d.int(1, 3),
    estimators: d.chance(0.5) ? ["ols", "tsls"] : ["ols", { id: "tsls_lasso", name: "lasso", params: {} }],
    seed: d.int(0, 1000),
  };
}

/** The sweep command on `config.json`, writing (if it ever did) into the case's folder. */
export function sweepArgs(extra: readonly string[] = []): string[] {
  return ["sweep", "--config", "$DIR/config.json", "--out", "$DIR/out", "--quiet", "--no-plots", ...extra];
}

function onConfig(text: string, extra: readonly string[] = []): Omit<CorpusCase, "id" | "category"> {
  return { files: { "config.json": text }, argv: sweepArgs(extra) };
}

/** A case whose configuration is the base with `edit` applied. */
function edited(category: string, count: number, edit: (c: Record<string, unknown>, d: Draw) => void): CorpusCase[] {
  return cases(category, count, (d) => {
    const c = sweepBase(d);
    edit(c, d);
    return onConfig(JSON.stringify(c, null, d.pick([0, 2])));
  });
}

/** The grid of a base configuration, typed for edits. */
function grid(c: Record<string, unknown>): Record<string, unknown> {
  return c.grid as Record<string, unknown>;
}

/** Every category of malformed sweep configuration. */
export function sweepCases(): CorpusCase[] {
  return [
    ...cases("sweep/not-an-object", 20, (d) =>
      onConfig(d.pick(["[]", "5", '"quick"', "null", "true", "[1, 2]", '[{"dgp":"study"}]'])),
    ),
    ...cases("sweep/invalid-json", 20, (d) => {
      const text = JSON.stringify(sweepBase(d));
      return onConfig(
        d.pick([
          text.slice(0, d.int(1, text.length - 1)),
          `${text},`,
          `// config\n${text}`,
          text.replace(/"/g, "'"),
          "",
          "{",
        ]),
      );
    }),
    ...edited("sweep/unknown-top-key", 25, (c, d) => {
      c[d.pick(["replicate", "Seed", "estimator", "grids", "threads", "out", "n", "comment"])] = d.pick([
        1,
        "x",
        [],
        {},
      ]);
    }),
    ...edited("sweep/unknown-estimator-key", 25, (c, d) => {
      const extra = d.pick(["nmae", "param", "parameters", "label", "ID", "preset"]);
      c.estimators = [
        "ols",
        { id: d.pick(["tsls", "tsls_lasso", "ols"]), name: "second", [extra]: d.pick([1, "x", {}]) },
      ];
    }),
    ...edited("sweep/wrong-type", 40, (c, d) => {
      const [key, value] = d.pick<[string, unknown]>([
        ["replicates", "10"],
        ["replicates", [2]],
        ["seed", "1"],
        ["seed", 1.5],
        ["grid", [["n", [200]]]],
        ["grid", "context"],
        ["params", [200, 5]],
        ["params", "n=200"],
        ["estimators", "ols"],
        ["estimators", {}],
        ["estimators", [5]],
        ["estimators", [{ name: "x" }]],
        ["rng", 5],
        ["seeds", true],
      ]);
      c[key] = value;
    }),
    ...edited("sweep/wrong-type-ignored", 10, (c, d) => {
      if (d.chance(0.5)) c.dgp = d.pick([5, true, ["study"], { id: "study" }]);
      else c.estimators = ["ols", { id: "tsls", name: d.pick([5, true, ["x"]]) }];
    }),
    ...edited("sweep/bad-grid-values", 40, (c, d) => {
      const [axis, values] = d.pick<[string, unknown]>([
        ["n", [0]],
        ["n", [1]],
        ["n", [200.5]],
        ["n", ["200"]],
        ["n", [-5]],
        ["L", [0]],
        ["L", [null]],
        ["context", ["yes"]],
        ["context", [1]],
        ["pi_scale", [-0.1]],
        ["maf_min", [0]],
        ["maf_max", [0.7]],
        ["m", [1, 2]],
        ["n", []],
        ["n", 200],
        ["delta", [[1, 2]]],
      ]);
      delete (c.params as Record<string, unknown>)[axis];
      grid(c)[axis] = values;
    }),
    ...edited("sweep/duplicate-grid-values", 25, (c, d) => {
      const axis = d.pick(["context", "n", "pi_scale"]);
      delete (c.params as Record<string, unknown>)[axis];
      grid(c)[axis] = axis === "context" ? [true, false, true] : axis === "n" ? [200, 300, 200] : [0.2, 0.2];
    }),
    ...edited("sweep/unknown-id", 30, (c, d) => {
      const which = d.int(0, 2);
      if (which === 0) c.dgp = d.pick(["nope", "Study", ""]);
      else if (which === 1) c.estimators = ["ols", d.pick(["2sls", "OLS", "mr_ivw", "nope"])];
      else c.rng = d.pick(["numpy2", "Math.random", ""]);
    }),
    ...edited("sweep/seeds-dgp-with-replicates", 20, (c, d) => {
      c.seeds = "dgp";
      c.replicates = d.int(2, 50);
    }),
    ...edited("sweep/absurd-sizes", 25, (c, d) => {
      const [where, key, value] = d.pick<[string, string, number]>([
        ["params", "n", 1e12],
        ["params", "n", 2 ** 40],
        ["params", "L", 1e7],
        ["top", "replicates", 1e12],
        ["top", "replicates", 2 ** 31],
      ]);
      if (where === "top") c[key] = value;
      else (c.params as Record<string, unknown>)[key] = value;
    }),
    ...edited("sweep/bad-parameter-values", 30, (c, d) => {
      const [key, value] = d.pick<[string, unknown]>([
        ["n", -5],
        ["n", 1],
        ["L", 0],
        ["pi_scale", -1],
        ["sigma_x", -0.5],
        ["delta", [1, 2]],
        ["gamma", "none"],
        ["bogus", 1],
        ["seed", -1],
        ["context", "true"],
      ]);
      if (key in grid(c)) delete grid(c)[key];
      (c.params as Record<string, unknown>)[key] = value;
    }),
    ...edited("sweep/bad-estimator-params", 25, (c, d) => {
      const entry = d.pick<Record<string, unknown>>([
        { id: "tsls_lasso", params: { bogus: 1 } },
        { id: "ctx_tsls", params: { preset: "nope" } },
        { id: "tsls_lasso", params: [] },
        { id: "ols", name: "Bad Name" },
        { id: "ols", name: "ols" },
      ]);
      c.estimators = ["ols", entry];
    }),
  ];
}
