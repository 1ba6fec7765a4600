import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { getBytes, getColumn } from "../../src/data/frame.js";
import { resolveParams } from "../../src/params.js";
import { countModel, type DeepMrParams, deepMrDgp, outcomeMotif } from "../../src/sim/deep-mr.js";
import { anscombe, exposureRate, outcomeRate } from "../../src/sim/deep-mr-counts.js";
import { Draws, logGamma } from "../../src/sim/deep-mr-draws.js";
import { GATA_DISC1, SOX2_1 } from "../../src/sim/deep-mr-motifs.js";
import { logOdds, occupancy } from "../../src/sim/deep-mr-pwm.js";
import { seedrandomStream } from "../../src/sim/numpy/stream.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";
import { expectWithinMcse } from "../helpers/mc.js";

const core = getCore();

describe("deep_mr_sim: Poisson draws", () => {
  it("log Γ matches log((n - 1)!) and Stirling at non-integers", () => {
    let f = 0;
    for (let n = 1; n <= 30; n++) {
      assertClose(logGamma(n), f, { rtol: 1e-13, atol: 1e-13 }, `logGamma(${n})`);
      f += Math.log(n);
    }
    assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), { rtol: 1e-12 }, "logGamma(1/2)");
  });

  it("mean and variance equal λ within 4 MCSEs, below and above the switch at 10", () => {
    for (const lambda of [0.3, 4, 9.99, 10, 37.5, 1100]) {
      const d = new Draws(seedrandomStream(Math.round(lambda * 100), core));
      const k: number[] = [];
      for (let i = 0; i < 40_000; i++) k.push(d.poisson(lambda));
      expect(k.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
      expectWithinMcse(k, lambda, 4, `mean at λ = ${lambda}`);
      const mean = k.reduce((a, b) => a + b, 0) / k.length;
      expectWithinMcse(
        k.map((v) => (v - mean) ** 2),
        lambda,
        4,
        `variance at λ = ${lambda}`,
      );
    }
    expect(new Draws(seedrandomStream(1, core)).poisson(0)).toBe(0);
  });
});

/** c_exp and c_out of every row, recomputed from the bytes, the round's α and β and b. */
function rates(s: ReturnType<typeof simulate>, p: DeepMrParams): { exp: number[]; out: number[] } {
  const codes = getBytes(s.data, "sequence")?.codes as Uint8Array;
  const n = s.data.n;
  const q = (m: typeof GATA_DISC1) => occupancy(core, codes, n, p.L, logOdds(m, p.pseudocount, p.background_order));
  const qe = q(GATA_DISC1);
  const qo = q(outcomeMotif(p));
  const qc = p.scenario === "sequence" || p.scenario === "both" ? q(SOX2_1) : new Float64Array(n);
  const model = countModel(p, { e: s.meta.e as number, alpha: s.meta.alpha as number, beta: s.meta.beta as number });
  const b = getColumn(s.data, "conf_b") as Float64Array;
  const exp: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    exp.push(exposureRate(model, qe[i] as number, qc[i] as number, b[i] as number));
    out.push(outcomeRate(model, qe[i] as number, qo[i] as number, qc[i] as number, b[i] as number));
  }
  return { exp, out };
}

describe("deep_mr_sim: counts (spec §3.3)", () => {
  for (const scenario of ["unconfounded", "both"] as const) {
    it(`${scenario}: counts minus their rate c have mean 0 and variance c within 4 MCSEs; targets are 2 √(k + 3/8)`, () => {
      const given = { n_train: 6000, n_test: 2000, scenario, seed: 31 };
      const p = resolveParams("deep_mr_sim", deepMrDgp.params, deepMrDgp.defaults, given) as DeepMrParams;
      const s = simulate("deep_mr_sim", given);
      const c = rates(s, p);
      for (const [what, rate] of [
        ["exp", c.exp],
        ["out", c.out],
      ] as const) {
        const k = getColumn(s.data, `${what}_count`) as Float64Array;
        const dev = Array.from(k, (v, i) => v - (rate[i] as number));
        expectWithinMcse(dev, 0, 4, `${scenario} ${what}: count - c`);
        expectWithinMcse(
          dev.map((v, i) => v * v - (rate[i] as number)),
          0,
          4,
          `${scenario} ${what}: (count - c)² - c`,
        );
        const target = getColumn(s.data, `${what}_target`) as Float64Array;
        for (let i = 0; i < s.data.n; i++) expect(target[i]).toBe(anscombe(k[i] as number));
      }
    });
  }

  it("b is Bernoulli(confounder_prob): 0 without a random confounder, about half in random and both", () => {
    const b = (scenario: DeepMrParams["scenario"], confounder_prob?: number) => {
      const s = simulate("deep_mr_sim", { n_train: 4000, n_test: 1, augment: 0, scenario, confounder_prob, seed: 8 });
      return Array.from(getColumn(s.data, "conf_b") as Float64Array);
    };
    expect(b("unconfounded").every((v) => v === 0)).toBe(true);
    expect(b("sequence").every((v) => v === 0)).toBe(true);
    expectWithinMcse(b("random"), 0.5, 4, "random");
    expectWithinMcse(b("both"), 0.5, 4, "both");
    expectWithinMcse(b("unconfounded", 0.2), 0.2, 4, "explicit confounder_prob");
  });

  it("the exposure count rises with the exposure motif, the outcome count only with both motifs", () => {
    const s = simulate("deep_mr_sim", { n_train: 4000, n_test: 1, augment: 0, seed: 9 });
    const mean = (what: string, flag: string, v: number) => {
      const k = getColumn(s.data, what) as Float64Array;
      const f = getColumn(s.data, flag) as Float64Array;
      const xs = Array.from(k).filter((_, i) => f[i] === v);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const alpha = s.meta.alpha as number;
    expect(mean("exp_count", "has_exposure", 1)).toBeGreaterThan(0.8 * alpha);
    expect(mean("exp_count", "has_exposure", 0)).toBeLessThan(0.2 * alpha);
    expect(mean("out_count", "has_both", 1)).toBeGreaterThan(0.8 * (s.meta.beta as number));
    expect(mean("out_count", "has_both", 0)).toBeLessThan(0.2 * (s.meta.beta as number));
  });
});
