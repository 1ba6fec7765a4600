import { describe, expect, it } from "vitest";
import { getBytes, getColumn } from "../../src/data/frame.js";
import { simulate } from "../../src/sim/simulate.js";

type Sim = ReturnType<typeof simulate>;
const col = (s: Sim, name: string) => getColumn(s.data, name) as Float64Array;
const codesOf = (s: Sim) => getBytes(s.data, "sequence")?.codes as Uint8Array;

/** Share of rows 0 .. n-1 where `pred` holds, and its binomial SE around `p`. */
function share(n: number, p: number, pred: (i: number) => boolean): { share: number; se: number } {
  let k = 0;
  for (let i = 0; i < n; i++) if (pred(i)) k++;
  return { share: k / n, se: Math.sqrt((p * (1 - p)) / n) };
}

const big = simulate("deep_mr_sim", { n_train: 20_000, n_test: 1, augment: 0, scenario: "both", seed: 11 });
const plain = simulate("deep_mr_sim", { n_train: 20_000, n_test: 1, augment: 0, seed: 12 });

describe("deep_mr_sim: sequences (spec §3.1)", () => {
  it("each kind of motif (exposure only, outcome only, pair, none) in 25% of sequences, within 4 binomial SEs", () => {
    for (const s of [big, plain]) {
      const e = col(s, "has_exposure");
      const o = col(s, "has_outcome");
      const b = col(s, "has_both");
      const kinds: Array<(i: number) => boolean> = [
        (i) => e[i] === 1 && o[i] === 0,
        (i) => e[i] === 0 && o[i] === 1,
        (i) => b[i] === 1,
        (i) => e[i] === 0 && o[i] === 0,
      ];
      for (const [k, pred] of kinds.entries()) {
        const r = share(20_000, 0.25, pred);
        expect(Math.abs(r.share - 0.25), `kind ${k}: ${r.share}`).toBeLessThan(4 * r.se);
      }
      for (let i = 0; i < 20_000; i++) expect(b[i]).toBe((e[i] as number) * (o[i] as number));
    }
  });

  it("the confounder motif in half the sequences when configured (Q15), never otherwise", () => {
    const c = col(big, "has_confounder");
    const r = share(20_000, 0.5, (i) => c[i] === 1);
    expect(Math.abs(r.share - 0.5)).toBeLessThan(4 * r.se);
    expect(col(plain, "has_confounder").every((v) => v === 0)).toBe(true);
    const often = simulate("deep_mr_sim", {
      n_train: 4000,
      n_test: 1,
      augment: 0,
      scenario: "sequence",
      confounder_embed_prob: 0.75,
      seed: 2,
    });
    const r2 = share(4000, 0.75, (i) => col(often, "has_confounder")[i] === 1);
    expect(Math.abs(r2.share - 0.75)).toBeLessThan(4 * r2.se);
  });

  it("the pair's gap covers [16, 74], or [16, 59] with the confounder motif configured (Q3), and its start fits", () => {
    for (const [s, hi] of [
      [plain, 74],
      [big, 59],
    ] as const) {
      const es = col(s, "exp_start");
      const os = col(s, "out_start");
      const b = col(s, "has_both");
      const gaps: number[] = [];
      for (let i = 0; i < 20_000; i++) if (b[i] === 1) gaps.push((os[i] as number) - (es[i] as number) - 10);
      expect(Math.min(...gaps)).toBe(16);
      expect(Math.max(...gaps)).toBe(hi);
      for (let i = 0; i < 20_000; i++) if (b[i] === 1) expect((os[i] as number) + 16).toBeLessThanOrEqual(100);
    }
  });

  it("single motifs start anywhere in 0 .. L - K, and absent motifs are coded -1", () => {
    const es = col(plain, "exp_start");
    const os = col(plain, "out_start");
    const e = col(plain, "has_exposure");
    const o = col(plain, "has_outcome");
    const single = (st: Float64Array, other: Float64Array) => Array.from(st).filter((v, i) => v >= 0 && other[i] === 0);
    expect([Math.min(...single(es, o)), Math.max(...single(es, o))]).toEqual([0, 90]);
    expect([Math.min(...single(os, e)), Math.max(...single(os, e))]).toEqual([0, 84]);
    for (let i = 0; i < 20_000; i++) {
      expect((es[i] as number) >= 0).toBe(e[i] === 1);
      expect((os[i] as number) >= 0).toBe(o[i] === 1);
    }
  });

  it("the confounder motif never overlaps the exposure or outcome motif", () => {
    const cs = col(big, "conf_start");
    const es = col(big, "exp_start");
    const os = col(big, "out_start");
    const hit = (a: number, ka: number, b: number, kb: number) => b >= 0 && a < b + kb && b < a + ka;
    for (let i = 0; i < 20_000; i++) {
      if ((cs[i] as number) < 0) continue;
      expect(
        hit(cs[i] as number, 15, es[i] as number, 10) || hit(cs[i] as number, 15, os[i] as number, 16),
        `row ${i}`,
      ).toBe(false);
      expect((cs[i] as number) + 15).toBeLessThanOrEqual(100);
    }
  });

  it("background bases are drawn with P(A, C, G, T) = (0.27, 0.23, 0.23, 0.27)", () => {
    // Motif-free sequences only: every base is background.
    const codes = codesOf(plain);
    const e = col(plain, "has_exposure");
    const o = col(plain, "has_outcome");
    const counts = [0, 0, 0, 0];
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      if (e[i] === 1 || o[i] === 1) continue;
      for (let t = 0; t < 100; t++) counts[codes[i * 100 + t] as number] += 1;
      n += 100;
    }
    [0.27, 0.23, 0.23, 0.27].forEach((p, b) => {
      expect(Math.abs((counts[b] as number) / n - p), `base ${b}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it("motif instances follow the smoothed matrix: GATA_disc1's columns G, A, T at offsets 3, 4, 5 and row 3's shares", () => {
    const codes = codesOf(plain);
    const es = col(plain, "exp_start");
    let seen = 0;
    let off = 0;
    const row3 = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      if ((es[i] as number) < 0) continue;
      const at = i * 100 + (es[i] as number);
      if (codes[at + 3] !== 2 || codes[at + 4] !== 0 || codes[at + 5] !== 3) off++;
      row3[codes[at + 2] as number] += 1;
      seen++;
    }
    expect(seen).toBeGreaterThan(9000);
    // Each deterministic position is off-consensus with probability 3 x 1e-5/4: 0.22 expected in all.
    expect(off).toBeLessThanOrEqual(3);
    [0.666667, 0.100529, 0, 0.232804].forEach((p, b) => {
      const se = Math.sqrt((Math.max(p, 1e-5) * (1 - p)) / seen);
      expect(Math.abs((row3[b] as number) / seen - p), `row 3 base ${b}`).toBeLessThanOrEqual(4 * se);
    });
  });
});
