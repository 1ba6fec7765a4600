import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Frame, frame } from "../../src/data/frame.js";
import type { Roles } from "../../src/data/roles.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import type { EstimateRow } from "../../src/estimators/types.js";
import { resolveParams } from "../../src/params.js";
import { getDgp } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";
import { checkCells } from "../../src/sweep/cell-checks.js";
import { ROOT } from "../helpers/fixtures.js";

const two = simulate("study", { n: 300, L: 5, pi_scale: 0.3, two_sample: true, context: true, seed: 31 });

/** `f` with columns renamed by `names` (old -> new): the same data under a user's names. */
function renamed(f: Frame, names: Record<string, string>): Frame {
  return frame(f.names.map((name, j) => [names[name] ?? name, f.columns[j] as Float64Array] as const));
}

const numbers = (r: EstimateRow | undefined) => [r?.estimate, r?.se, r?.status, r?.extras];

describe("roles: estimators read them, never a DGP's column names", () => {
  it("the study declares its sample role for two samples only", () => {
    expect(two.roles.sample).toBe("sample");
    expect(simulate("study", { n: 20, L: 2, seed: 1 }).roles.sample).toBeUndefined();
  });

  it("a renamed sample column gives the same two-sample fits through the sample role", () => {
    const data = renamed(two.data, { sample: "cohort" });
    const roles: Roles = { ...two.roles, sample: "cohort" };
    const ids = ["ivw", "tsls", "mr_egger"];
    const before = fit(two.data, two.roles, { estimators: ids });
    const after = fit(data, roles, { estimators: ids });
    expect(after.map(numbers)).toEqual(before.map(numbers));
    // Without the role the same rows are one pooled sample: the fits change.
    const pooled = fit(data, { ...roles, sample: undefined }, { estimators: ids });
    expect(pooled[0]?.estimate).not.toBe(before[0]?.estimate);
    expect(pooled[1]?.estimate).not.toBe(before[1]?.estimate);
  });

  it("ctx_* take the data's context role when their context parameter is not set", () => {
    const one = simulate("study", { n: 200, L: 3, pi_scale: 0.5, context: true, seed: 5 });
    const params = { preset: "fast", layers: 0, max_epochs: 5 };
    const named = fit(
      one.data,
      { ...one.roles, context: [] },
      {
        estimators: ["ctx_ols"],
        estimatorParams: { ctx_ols: { ...params, context: ["age", "bmi"] } },
      },
    );
    const data = renamed(one.data, { age: "c1", bmi: "c2" });
    const byRole = fit(
      data,
      { ...one.roles, context: ["c1", "c2"] },
      {
        estimators: ["ctx_ols"],
        estimatorParams: { ctx_ols: params },
      },
    );
    expect(Number.isFinite(byRole[0]?.estimate)).toBe(true);
    expect(numbers(byRole[0])).toEqual(numbers(named[0]));
    expect(() =>
      fit(one.data, { ...one.roles, context: [] }, { estimators: ["ctx_ols"], estimatorParams: { ctx_ols: params } }),
    ).toThrow(/ctx_ols: parameter context \(or the data's context role\) must be at least one column; got none/);
  });

  it("a role naming a column the data lack is an input error", () => {
    expect(() => toIndividualData(two.data, { ...two.roles, environment: "site" }, "here")).toThrow(/^here: .*"site"/);
    expect(() => toIndividualData(two.data, { ...two.roles, context: ["age", "mood"] }, "here")).toThrow(/"mood"/);
    const d = toIndividualData(two.data, { ...two.roles, environment: "sex" });
    expect(d.environment).toBe(two.data.columns[two.data.names.indexOf("sex")]);
    expect(d.sequence).toBeNull();
  });

  it("no estimator module imports a DGP's module (random streams aside) or looks a role up by name", () => {
    const offenders: string[] = [];
    for (const dir of ["src/estimators", "src/summary"]) {
      for (const file of readdirSync(join(ROOT, dir))) {
        const text = readFileSync(join(ROOT, dir, file), "utf8");
        if (
          /from "\.\.\/sim\/(?!numpy\/|rng)/.test(text) ||
          /columns\.get\("sample"\)|startsWith\("ctx_"\)/.test(text)
        ) {
          offenders.push(`${dir}/${file}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe("roles known without simulating", () => {
  it("a sweep refuses a contextualized estimator without context columns when the DGP declares no context role", () => {
    const dgp = getDgp("study");
    const noContext = { ...dgp, roles: (p: object) => ({ ...dgp.roles(p), context: [] }) };
    const resolved = resolveParams("study", dgp.params, dgp.defaults, { n: 100, L: 2 }) as Record<string, unknown>;
    const spec = (params: Record<string, unknown>) => ({
      name: "ctx",
      id: "ctx_ols",
      params: { context: [], ...params },
    });
    const plan = (params: Record<string, unknown>) => ({ resolved, grid: [], estimators: [spec(params)] });
    expect(() => checkCells("cfg", noContext, plan({}))).toThrow(
      /^cfg: estimators\[0\] \(ctx\): parameter context must be at least one column \(the study DGP declares no context role\); got none$/,
    );
    expect(() => checkCells("cfg", noContext, plan({ context: ["age"] }))).not.toThrow();
    expect(() => checkCells("cfg", dgp, plan({}))).not.toThrow();
  });

  it("a sweep refuses an estimator that partials out the environment when the DGP declares no environment role", () => {
    const dgp = getDgp("study");
    const resolved = resolveParams("study", dgp.params, dgp.defaults, { n: 100, L: 2 }) as Record<string, unknown>;
    const plan = (id: string, params: Record<string, unknown> = {}) => ({
      resolved,
      grid: [],
      estimators: [{ name: "po", id, params }],
    });
    for (const id of ["tsls_z_po_k", "liml_z_po_k", "egger_z_po_k"])
      expect(() => checkCells("cfg", dgp, plan(id))).toThrow(
        /^cfg: estimators\[0\] \(po\): the data's environment role must be a column of environment labels \(the study DGP declares none\); got none$/,
      );
    expect(() => checkCells("cfg", dgp, plan("tsls_z"))).not.toThrow();
    const withEnv = { ...dgp, roles: (p: object) => ({ ...dgp.roles(p), environment: "age" }) };
    expect(() => checkCells("cfg", withEnv, plan("tsls_z_po_k"))).not.toThrow();
    // The oracles name their truth columns as parameters, checked like any named column.
    expect(() => checkCells("cfg", dgp, plan("oracle_tsls_w", { w_columns: ["W0", "W1"] }))).toThrow(
      /^cfg: estimators\[0\] \(po\) parameter w_columns, in the study DGP's data: column "W0" must be present/,
    );
  });
});
