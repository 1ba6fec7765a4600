import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { invLinear } from "../../src/estimators/inv-linear.js";
import { environmentCodes, gapRule, invariantSubspace, quantile } from "../../src/estimators/inv-subspace.js";
import type { IndividualData } from "../../src/estimators/types.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";

const core = getCore();

interface Reference {
  n: number;
  dz: number;
  z: number[];
  x: number[];
  y: number[];
  env: number[];
  rank: number;
  eigenvalues: number[];
  k: number;
  gap: number;
  estimate: number;
  se: number;
}

/** A fixture's data as the estimator's input (no latent truth columns). */
function referenceData(ref: Pick<Reference, "n" | "dz" | "z" | "x" | "y" | "env">): IndividualData {
  const [y, x, env] = [Float64Array.from(ref.y), Float64Array.from(ref.x), Float64Array.from(ref.env)];
  return {
    n: ref.n,
    outcome: y,
    exposure: x,
    instruments: { rows: ref.n, cols: ref.dz, data: Float64Array.from(ref.z) },
    instrumentNames: Array.from({ length: ref.dz }, (_, j) => `Z${j}`),
    columns: new Map([
      ["Y", y],
      ["X", x],
      ["env", env],
    ]),
    context: [],
    sample: null,
    environment: env,
    sequence: null,
  };
}

describe("inv_linear against an independent numpy implementation (test/fixtures/inv-linear/make_inv_linear*.py)", () => {
  it("E = 3, dz = 5 of rank 4: M's eigenvalues, k, the gap and the 2SLS estimate and SE", () => {
    const ref = JSON.parse(readFileSync(fixturePath("inv-linear", "inv_linear.json"), "utf8")) as Reference;
    const row = invLinear.fit(referenceData(ref), invLinear.defaults, { core, seed: 1 });
    expect(row.status).toBe("ok");
    const e = row.extras as Record<string, number>;
    expect([e.rank, e.k]).toEqual([ref.rank, ref.k]);
    const ev = ref.eigenvalues;
    assertClose(
      [e.eig_min, e.eig_k, e.eig_k1, e.eig_max] as number[],
      [ev[0], ev[ref.k - 1], ev[ref.k], ev[ref.rank - 1]] as number[],
      { rtol: 1e-10 },
      "eigenvalues",
    );
    assertClose(e.selection_score as number, ref.gap, { rtol: 1e-10 }, "gap");
    assertClose(row.estimate, ref.estimate, { rtol: 1e-10 }, "estimate");
    assertClose(row.se, ref.se, { rtol: 1e-10 }, "se");
    expect(e.latent_r2_w).toBeNaN();
  });

  it("degree-2 polynomial mixing (E = 2, dz = 15 of rank 14): all of M's eigenvalues, k, and the fits with k = gap, 3, 5", () => {
    const ref = JSON.parse(readFileSync(fixturePath("inv-linear", "inv_linear_poly2.json"), "utf8")) as Omit<
      Reference,
      "estimate" | "se"
    > & { fits: Record<string, [number, number]> };
    const data = referenceData(ref);
    const { codes, levels } = environmentCodes(data.environment as Float64Array);
    const opt = { rule: "gap" as const, oracleK: 2, permutations: 20, seed: "ref" };
    const s = core.scoped(invariantSubspace, core, data.instruments, codes, levels.length, opt);
    if (!s.ok) throw new Error(s.reason);
    expect([s.rank, s.k]).toEqual([ref.rank, ref.k]);
    const top = ref.eigenvalues[ref.rank - 1] as number;
    assertClose(s.eigenvalues, ref.eigenvalues, { rtol: 1e-9, atol: 1e-12 * top }, "eigenvalues");
    assertClose(s.score, ref.gap, { rtol: 1e-9 }, "gap");
    for (const [k, [estimate, se]] of Object.entries(ref.fits)) {
      const row = invLinear.fit(
        data,
        { ...invLinear.defaults, k_rule: "oracle", oracle_k: Number(k) },
        { core, seed: 1 },
      );
      assertClose([row.estimate, row.se], [estimate, se], { rtol: 1e-9 }, `k = ${k}`);
    }
  });
});

describe("the k rules' arithmetic", () => {
  it("gap: the argmax of successive log differences, eigenvalues floored at 1e-12 of the largest", () => {
    expect(gapRule(Float64Array.from([1e-3, 2e-3, 1, 3]))).toEqual({ k: 2, score: Math.log(1 / 2e-3) });
    // 0 and -1e-20 are floored to 1e-12 * 10: the first gap is then 0, the largest is 1e-11 -> 1.
    const g = gapRule(Float64Array.from([-1e-20, 0, 1, 10]));
    expect(g.k).toBe(2);
    expect(g.score).toBeCloseTo(Math.log(1 / 1e-11), 12);
  });

  it("quantile is numpy's default (linear interpolation): 95th percentile of 1..10 is 9.55", () => {
    expect(quantile([3, 1, 2, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 14);
    expect(quantile([2], 0.95)).toBe(2);
  });
});
