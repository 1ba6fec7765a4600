import { describe, expect, it } from "vitest";
import type { SweepConfigInput } from "../../src/api/run-sweep.js";
import { tRow } from "../../src/estimators/inference.js";
import { defineDgp, defineEstimator } from "../../src/plugins/define.js";
import { simulate } from "../../src/sim/simulate.js";

/**
 * Parameter types derived from specs. This file is type-checked (`npx tsc --noEmit`, part of every
 * commit's checks): each `@ts-expect-error` line must be a type error, or the check fails.
 */

const score = defineEstimator({
  id: "typed_score",
  label: "Typed",
  params: [
    { name: "weights", type: "choice", choices: ["equal", "internal"], help: "weights" },
    { name: "trim", type: "number", min: 0, nullable: true, help: "trim" },
    { name: "covariates", type: "strings", help: "covariates" },
  ],
  defaults: { weights: "equal", trim: null, covariates: [] },
  fit(data, params) {
    const w: "equal" | "internal" = params.weights;
    const t: number | null = params.trim;
    // @ts-expect-error: a choice is one of its choices, not any string
    const s: "other" = params.weights;
    return tRow("typed_score", data.n + (t ?? 0) + w.length + s.length, 1, 10, {});
  },
});

describe("types derived from parameter specs", () => {
  it("simulate takes a built-in DGP's parameters by their types", () => {
    // @ts-expect-error: n is a number for the study DGP
    expect(() => simulate("study", { n: "2000" })).toThrow(/^study: parameter n must be an integer >= 2; got "2000"$/);
    // @ts-expect-error: no such parameter of the study DGP
    expect(() => simulate("study", { sample_size: 10 })).toThrow(/parameter name must be one of/);
    expect(simulate("study", { n: 50, L: 3, seed: 2 }).data.n).toBe(50);
  });

  it("defineEstimator and defineDgp type params and defaults from the specs", () => {
    type P = Parameters<typeof score.fit>[1];
    const ok: P = { weights: "internal", trim: 2, covariates: ["age"] };
    // @ts-expect-error: trim is a number or null
    const bad: P = { weights: "equal", trim: "2", covariates: [] };
    expect([ok.weights, bad.weights]).toEqual(["internal", "equal"]);
    defineDgp({
      id: "typed_dgp",
      label: "Typed DGP",
      params: [{ name: "n", type: "int", min: 1, help: "rows" }],
      // @ts-expect-error: the default of an int is a number
      defaults: { n: "10" },
      columns: () => [],
      roles: () => ({ outcome: "Y", exposure: "X", instruments: [] }),
      rows: (p) => p.n + p.seed,
      simulate: () => {
        throw new Error("not called");
      },
    });
    expect(score.interval(score.defaults)).toBe("asymptotic");
  });

  it("a sweep configuration object is typed by its DGP", () => {
    const good: SweepConfigInput<"study"> = { dgp: "study", grid: { n: [500, 1000] }, params: { L: 5 } };
    // @ts-expect-error: grid values of n are numbers
    const bad: SweepConfigInput<"study"> = { dgp: "study", grid: { n: ["500"] } };
    expect([good.dgp, bad.dgp]).toEqual(["study", "study"]);
  });
});
