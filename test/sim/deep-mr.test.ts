import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { byteRowText, getBytes, getColumn } from "../../src/data/frame.js";
import { MrsweepError } from "../../src/errors.js";
import { resolveParams } from "../../src/params.js";
import { drawRound } from "../../src/sim/deep-mr-counts.js";
import { seedrandomStream } from "../../src/sim/numpy/stream.js";
import { getDgp } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";
import { expectWithinMcse } from "../helpers/mc.js";

type Sim = ReturnType<typeof simulate>;
const dgp = getDgp("deep_mr_sim");
const resolved = (given: Record<string, unknown>) => resolveParams("deep_mr_sim", dgp.params, dgp.defaults, given);
const seqs = (s: Sim) => getBytes(s.data, "sequence")?.codes as Uint8Array;

describe("deep_mr_sim: structure, roles and metadata", () => {
  const s = simulate("deep_mr_sim", { n_train: 40, n_test: 12, seed: 1 });

  it("stacks originals, floor(augment n_train) copies, then the test rows; columns, flags and roles as declared", () => {
    expect(s.data.n).toBe(40 + 10 + 12);
    expect(s.data.names).toEqual([
      "split",
      "exp_count",
      "out_count",
      "exp_target",
      "out_target",
      "has_exposure",
      "has_outcome",
      "has_both",
      "has_confounder",
      "exp_start",
      "out_start",
      "conf_start",
      "source",
      "conf_b",
    ]);
    expect(s.data.integer.filter((v) => !v).length).toBe(2);
    expect(s.roles).toEqual({
      outcome: "out_target",
      exposure: "exp_target",
      instruments: [],
      split: "split",
      latent: ["conf_b"],
      bases: "sequence",
    });
  });

  it("sequences are one byte matrix (not columns): width L, alphabet ACGT, codes 0..3, named by the bases role", () => {
    const m = getBytes(s.data, s.roles.bases as string);
    expect(m?.width).toBe(100);
    expect(m?.alphabet).toBe("ACGT");
    expect(m?.codes.length).toBe(62 * 100);
    expect(m?.codes.every((c) => c <= 3)).toBe(true);
    expect(s.data.bytes?.length).toBe(1);
  });

  it("meta: the round's e, α and β = α e, the rows, the scenario's settings, and beta_true", () => {
    const m = s.meta;
    expect(m.dgp).toBe("deep_mr_sim");
    expect(m.beta).toBeCloseTo((m.alpha as number) * (m.e as number), 10);
    expect(m.layout).toEqual({ train: 40, copies: 10, test: 12, first_test: 50 });
    expect([m.confounder_motif, m.confounder_prob, m.outcome_motif]).toEqual([false, 0, "TAL1_known1"]);
    expect(m.params).toEqual(resolved({ n_train: 40, n_test: 12, seed: 1 }));
  });
});

describe("deep_mr_sim: reproducibility (spec Q8: every draw from the task stream)", () => {
  const given = { n_train: 300, n_test: 100, scenario: "both" as const, seed: 17 };

  it("the same seed gives the same bytes, columns and meta, with either backend", () => {
    for (const rng of ["seedrandom", "numpy"]) {
      const a = simulate("deep_mr_sim", given, { rng });
      const b = simulate("deep_mr_sim", given, { rng });
      expect(Buffer.from(seqs(a)).equals(Buffer.from(seqs(b)))).toBe(true);
      a.data.columns.forEach((c, j) => {
        expect(Array.from(c), a.data.names[j]).toEqual(Array.from(b.data.columns[j] as Float64Array));
      });
      expect(a.meta).toEqual(b.meta);
    }
  });

  it("another seed or backend gives other sequences", () => {
    const a = simulate("deep_mr_sim", given);
    const b = simulate("deep_mr_sim", { ...given, seed: 18 });
    const c = simulate("deep_mr_sim", given, { rng: "numpy" });
    expect(Buffer.from(seqs(a)).equals(Buffer.from(seqs(b)))).toBe(false);
    expect(Buffer.from(seqs(a)).equals(Buffer.from(seqs(c)))).toBe(false);
  });
});

describe("deep_mr_sim: parameters", () => {
  it("scenarios set the confounder motif and P(b = 1); explicit values override them", () => {
    const meta = (given: Record<string, unknown>) => {
      const m = simulate("deep_mr_sim", { n_train: 10, n_test: 2, ...given }).meta;
      return [m.confounder_motif, m.confounder_prob];
    };
    expect(meta({ scenario: "unconfounded" })).toEqual([false, 0]);
    expect(meta({ scenario: "random" })).toEqual([false, 0.5]);
    expect(meta({ scenario: "sequence" })).toEqual([true, 0]);
    expect(meta({ scenario: "both" })).toEqual([true, 0.5]);
    expect(meta({ scenario: "both", confounder_motif: false, confounder_prob: 0.1 })).toEqual([false, 0.1]);
  });

  it("check() refuses an L without room for the pair, its gap and a configured confounder motif", () => {
    expect(() => dgp.check(resolved({ L: 56, scenario: "sequence" }), "here")).toThrow(
      new MrsweepError("here: parameter L must be >= 57 (both motifs, the gap of 16 and any confounder motif); got 56"),
    );
    expect(() => dgp.check(resolved({ L: 57, scenario: "sequence" }), "here")).not.toThrow();
    expect(() => dgp.check(resolved({ L: 42 }), "here")).not.toThrow();
    expect(() => resolved({ L: 41 })).toThrow(/parameter L must be an integer >= 42/);
  });

  it("short sequences work at the smallest L (gap exactly 16, the confounder squeezed in)", () => {
    const s = simulate("deep_mr_sim", { n_train: 400, n_test: 10, L: 57, scenario: "both", seed: 5 });
    const es = getColumn(s.data, "exp_start") as Float64Array;
    const os = getColumn(s.data, "out_start") as Float64Array;
    for (let i = 0; i < 400; i++)
      if ((os[i] as number) >= 0 && (es[i] as number) >= 0) expect(os[i]).toBe((es[i] as number) + 26);
  });

  it('outcome_pwm "synthetic" embeds the made-up matrix: its CAGCTG core at offsets 5..10', () => {
    const s = simulate("deep_mr_sim", { n_train: 300, n_test: 2, outcome_pwm: "synthetic", seed: 6 });
    expect(s.meta.outcome_motif).toBe("synthetic_16");
    const m = getBytes(s.data, "sequence");
    const os = getColumn(s.data, "out_start") as Float64Array;
    let hits = 0;
    for (let i = 0; i < 300; i++) {
      const st = os[i] as number;
      if (st < 0 || !m) continue;
      expect(byteRowText(m, i).slice(st + 5, st + 11)).toBe("CAGCTG");
      hits++;
    }
    expect(hits).toBeGreaterThan(100);
  });

  it("rounds: e from the two-component law, clipped at 0; α ~ N(100, 3²)", () => {
    const rng = seedrandomStream(99, getCore());
    const law = { e_low: 0, e_high: 10, e_high_prob: 0.3, e_sd: 0.5, alpha_mean: 100, alpha_sd: 3 };
    const rounds = Array.from({ length: 4000 }, () => drawRound(rng, law));
    expect(rounds.every((r) => r.e >= 0)).toBe(true);
    const high = rounds.filter((r) => r.e > 5);
    expectWithinMcse(
      rounds.map((r) => (r.e > 5 ? 1 : 0)),
      0.3,
      4,
      "share of the high component",
    );
    expectWithinMcse(
      high.map((r) => r.e),
      10,
      4,
      "high component's mean",
    );
    // The low component N(0, 0.5²) clipped at 0: half of it is exactly 0.
    const low = rounds.filter((r) => r.e <= 5);
    expectWithinMcse(
      low.map((r) => (r.e === 0 ? 1 : 0)),
      0.5,
      4,
      "clipped share",
    );
    expectWithinMcse(
      rounds.map((r) => r.alpha),
      100,
      4,
      "α",
    );
  });
});
