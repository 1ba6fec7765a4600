import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { invLinear } from "../../src/estimators/inv-linear.js";
import { environmentCodes, invariantSubspace, project } from "../../src/estimators/inv-subspace.js";
import { tsls } from "../../src/estimators/tsls.js";
import type { IndividualData } from "../../src/estimators/types.js";
import { summarize } from "../helpers/mc.js";
import { invarianceData } from "./invariance-data.js";

/**
 * Why inv_linear's 2SLS SE over-covers under linear mixing (E = 2). The structural error 1'H + e_Y
 * has a between-environment part (H's mean moves by 2 per coordinate) as well as a within part. M's
 * mean-shift term makes the selected W_hat have (almost) the same sample mean in every environment,
 * whereas the true W's environment means differ by sampling noise, so the between part of the error
 * drops out of the estimate while the 2SLS SE, which takes the instruments as given, still counts it.
 * The spread then matches the SE of 2SLS on the true W with environment dummies as controls.
 *
 * The second stage tsls_w_po_v goes wrong the other way. W_hat and V_hat are uncorrelated in the
 * sample (orthogonal directions of the whitened Z), so partialling V_hat out leaves the estimate
 * unchanged, while the residual variance, and with it the SE, shrinks.
 */
const core = getCore();
const ctx = { core, seed: 7 };

/** |difference of the environment means| / its standard error, for a column over environments 0 and 1. */
function meanShiftZ(col: Float64Array, env: Float64Array): number {
  const [a, b] = [0, 1].map((e) => {
    const xs = col.filter((_, i) => env[i] === e);
    return { ...summarize([...xs]), n: xs.length };
  }) as [ReturnType<typeof summarize> & { n: number }, ReturnType<typeof summarize> & { n: number }];
  return Math.abs(b.mean - a.mean) / Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);
}

function what(data: IndividualData): Float64Array[] {
  const { codes, levels } = environmentCodes(data.environment as Float64Array);
  const opt = { rule: "gap" as const, oracleK: 2, permutations: 20, seed: "se" };
  const s = core.scoped(invariantSubspace, core, data.instruments, codes, levels.length, opt);
  if (!s.ok) throw new Error(s.reason);
  return project(core, data.instruments, s.basisW);
}

describe("inv_linear's SE under linear mixing (200 replicates of 1000 per environment)", () => {
  it("W_hat has no environment mean shift: the spread is below the SE and matches the dummy-controlled oracle's SE; po_v's SE is too small", () => {
    const est: number[] = [];
    const se: number[] = [];
    const poSe: number[] = [];
    const oracleDummySe: number[] = [];
    const zHat: number[] = [];
    const zTrue: number[] = [];
    for (let r = 0; r < 200; r++) {
      const data = invarianceData({ nPerEnv: 1000, envs: 2, seed: `se${r}` });
      const env = data.environment as Float64Array;
      const row = invLinear.fit(data, invLinear.defaults, ctx);
      if (row.extras.k !== 2) continue;
      est.push(row.estimate);
      se.push(row.se);
      const po = invLinear.fit(data, { ...invLinear.defaults, second_stage: "tsls_w_po_v" }, ctx);
      expect(Math.abs(po.estimate - row.estimate)).toBeLessThan(1e-10);
      poSe.push(po.se);
      for (const c of what(data)) zHat.push(meanShiftZ(c, env));
      for (const name of ["W0", "W1"]) zTrue.push(meanShiftZ(data.columns.get(name) as Float64Array, env));
      const w = data.columns;
      const oracle = {
        ...data,
        instruments: {
          rows: data.n,
          cols: 2,
          data: Float64Array.from([...(w.get("W0") ?? []), ...(w.get("W1") ?? [])]),
        },
        instrumentNames: ["W0", "W1"],
      };
      oracleDummySe.push(tsls.fit(oracle, { covariates: ["env"] }, ctx).se);
    }
    // The gap rule keeps one W direction now and then at this size (inv-linear.test.ts).
    expect(est.length).toBeGreaterThanOrEqual(180);
    // |N(0, 1)| has mean 0.80; the selected directions' shifts are a small fraction of that.
    expect(summarize(zTrue).mean).toBeGreaterThan(0.65);
    expect(summarize(zHat).mean).toBeLessThan(0.2);
    // The SD of the estimates is known to about 1/sqrt(2 x 200) = 5%.
    const sd = summarize(est).sd;
    expect(sd / summarize(se).mean).toBeLessThan(0.85);
    const ratio = sd / summarize(oracleDummySe).mean;
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.2);
    expect(sd / summarize(poSe).mean).toBeGreaterThan(1.15);
  });
});
