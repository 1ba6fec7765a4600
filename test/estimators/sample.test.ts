import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { type Frame, frame } from "../../src/data/frame.js";
import type { Roles } from "../../src/data/roles.js";
import { fit } from "../../src/estimators/fit.js";
import { getEstimator } from "../../src/estimators/registry.js";
import type { EstimateRow } from "../../src/estimators/types.js";
import { simulate } from "../../src/sim/simulate.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells, seedOf, sweepSetup } from "../../src/sweep/plan.js";
import { extraColumns, replicateColumns } from "../../src/sweep/replicates.js";
import { runTask } from "../../src/sweep/run-task.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";

const N = 400;
const two = simulate("study", { n: N, L: 5, pi_scale: 0.3, two_sample: true, context: true, seed: 23 });
const roles = two.roles;

/** A column's values at `rows`. */
function gather(c: Float64Array, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (i) => c[i] as number);
}

/** The rows of `f` at `rows`, without the sample column: a one-sample dataset. */
function rowsOf(f: Frame, rows: readonly number[]): Frame {
  const entries: Array<readonly [string, Float64Array]> = [];
  f.names.forEach((name, j) => {
    if (name !== "sample") entries.push([name, gather(f.columns[j] as Float64Array, rows)]);
  });
  return frame(entries);
}

/** The roles of data that may have lost the sample column (a one-sample part). */
const rolesOf = (f: Frame, r: Roles): Roles => (f.names.includes("sample") ? r : { ...r, sample: undefined });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
/** Two samples of n interleaved: sample 2's person i, then sample 1's person i. */
const interleaved = (n: number) => range(0, n).flatMap((i) => [n + i, i]);
/** Every column of `f` (the sample column too) at `rows`. */
const reorder = (f: Frame, rows: readonly number[]) =>
  frame(f.names.map((name, j) => [name, gather(f.columns[j] as Float64Array, rows)] as const));
const numbers = (r: EstimateRow | undefined) => [r?.estimate, r?.se, r?.ci_lower, r?.ci_upper, r?.p_value, r?.extras];
const fitOne = (data: Frame, id: string, params: Record<string, unknown> = {}) =>
  fit(data, rolesOf(data, roles), { estimators: [id], estimatorParams: { [id]: params } })[0];

describe("individual-level estimators on two-sample data: `sample`", () => {
  it.each(["tsls", "ols"])("%s by default fits exactly the first n rows (sample 1)", (id) => {
    const got = fitOne(two.data, id);
    const want = fitOne(rowsOf(two.data, range(0, N)), id);
    expect(got?.status).toBe("ok");
    expect(numbers(got)).toEqual(numbers(want));
    expect(numbers(got)).not.toEqual(numbers(fitOne(rowsOf(two.data, range(0, 2 * N)), id)));
  });

  it('tsls with sample "both" fits all 2n rows (the pooled fit)', () => {
    const got = fitOne(two.data, "tsls", { sample: "both" });
    expect(numbers(got)).toEqual(numbers(fitOne(rowsOf(two.data, range(0, 2 * N)), "tsls")));
  });

  it("picks sample 1's rows wherever they are (interleaved samples)", () => {
    const got = fitOne(reorder(two.data, interleaved(N)), "tsls");
    expect(numbers(got)).toEqual(numbers(fitOne(rowsOf(two.data, range(0, N)), "tsls")));
  });

  it("has no effect on one-sample data", () => {
    const one = rowsOf(two.data, range(0, 2 * N));
    expect(numbers(fitOne(one, "tsls", { sample: "first" }))).toEqual(numbers(fitOne(one, "tsls", { sample: "both" })));
  });

  it("is declared, with help, by every individual-level estimator and by no summary-level one", () => {
    for (const id of [
      "ols",
      "tsls",
      "tsls_lasso",
      "tsls_post_lasso",
      "ctx_ols",
      "ctx_tsls",
      "ctx_tsls_lasso",
      "tsls_interact",
      "ctx_first_tsls",
      "ctx_both",
      "kclass",
      "tsls_z",
      "tsls_z_po_k",
      "liml_z_po_k",
      "egger_z",
      "egger_z_po_k",
      "oracle_tsls_w",
      "oracle_tsls_w_po_v",
    ]) {
      const spec = getEstimator(id).params.find((p) => p.name === "sample");
      expect(spec?.choices).toEqual(["first", "both"]);
      expect(spec?.help).toMatch(/first .*default.*both pools/);
      expect((getEstimator(id).defaults as Record<string, unknown>).sample).toBe("first");
    }
    expect(getEstimator("ivw").params.some((p) => p.name === "sample")).toBe(false);
    expect(() => fitOne(two.data, "tsls", { sample: "second" })).toThrow(/sample must be one of first, both/);
  });

  it("summary-level estimators still take X-G from sample 1 and Y-G from sample 2", () => {
    const ivw = fitOne(two.data, "ivw");
    expect(ivw?.status).toBe("ok");
    expect(ivw?.estimate).not.toBe(fitOne(rowsOf(two.data, range(0, N)), "ivw")?.estimate);
    expect(ivw?.estimate).not.toBe(fitOne(rowsOf(two.data, range(N, 2 * N)), "ivw")?.estimate);
  });
});

describe("ctx_* on two-sample data", () => {
  const het = simulate("study", {
    n: 300,
    L: 4,
    pi_scale: 0.3,
    two_sample: true,
    delta: [0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    seed: 4,
  });
  const all = Float64Array.from(het.meta.beta_individual as number[]);
  const params = { ctx_ols: { preset: "small", context: ["age", "bmi"] } };

  it("fits sample 1 and scores person_mse against sample 1's truth; per-person rows of sample 2 are NaN", () => {
    // Interleaved rows: sample 1's people are the odd rows, and so are their true effects.
    const order = interleaved(300);
    const [row] = fit(reorder(het.data, order), het.roles, {
      estimators: ["ctx_ols"],
      estimatorParams: params,
      truth: { beta: 0.3, betaIndividual: gather(all, order) },
      seed: 2,
    });
    const [alone] = fit(
      rowsOf(het.data, range(0, 300)),
      { ...het.roles, sample: undefined },
      {
        estimators: ["ctx_ols"],
        estimatorParams: params,
        truth: { beta: 0.3, betaIndividual: all.slice(0, 300) },
        seed: 2,
      },
    );
    expect(numbers(row)).toEqual(numbers(alone));
    expect(row?.extras.person_mse).toBeGreaterThan(0);
    const beta = row?.units?.beta as Float64Array;
    expect(beta).toHaveLength(600);
    const odd = range(0, 300).map((i) => 2 * i + 1);
    expect(Array.from(gather(beta, odd))).toEqual(Array.from(alone?.units?.beta ?? []));
    expect(
      gather(
        beta,
        odd.map((i) => i - 1),
      ).every(Number.isNaN),
    ).toBe(true);
  });
});

describe("a sweep task on two-sample data", () => {
  it("fits tsls on sample 1 (dataset in the core's arena) and tsls with sample both on all rows", () => {
    const config = parseSweepConfig({
      dgp: "study",
      params: { n: N, L: 5, pi_scale: 0.3, two_sample: true },
      replicates: 1,
      estimators: ["tsls", { id: "tsls", name: "tsls_both", params: { sample: "both" } }],
      seed: 3,
    });
    const grid = cells(config);
    const inputs = new TaskInputs(sweepSetup(config, grid, extraColumns(replicateColumns(config))));
    const task = inputs.of({ cell: 0, replicate: 1, seed: seedOf(config, grid[0] as (typeof grid)[0], 1) });
    const [first, both] = runTask(getCore(), task).rows;
    const sim = simulate("study", { ...task.params }, { rng: task.rng });
    expect(first?.estimate).toBe(fitOne(rowsOf(sim.data, range(0, N)), "tsls")?.estimate);
    expect(both?.estimate).toBe(fitOne(rowsOf(sim.data, range(0, 2 * N)), "tsls")?.estimate);
    expect(first?.estimate).not.toBe(both?.estimate);
  });
});
