import { describe, expect, it } from "vitest";
import { getBytes, getColumn } from "../../src/data/frame.js";
import { simulate } from "../../src/sim/simulate.js";

type Sim = ReturnType<typeof simulate>;
const col = (s: Sim, name: string) => getColumn(s.data, name) as Float64Array;

const LENGTHS: Record<string, number> = { exp_start: 10, out_start: 16, conf_start: 15 };
const LABELS = ["has_exposure", "has_outcome", "has_both", "has_confounder", "exp_start", "out_start", "conf_start"];

/** The motif spans [start, end) of row i. */
function spans(s: Sim, i: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [name, k] of Object.entries(LENGTHS)) {
    const st = col(s, name)[i] as number;
    if (st >= 0) out.push([st, st + k]);
  }
  return out;
}

/** Positions where rows a and b differ. */
function diffs(s: Sim, a: number, b: number): number[] {
  const codes = getBytes(s.data, "sequence")?.codes as Uint8Array;
  const out: number[] = [];
  for (let t = 0; t < 100; t++) if (codes[a * 100 + t] !== codes[b * 100 + t]) out.push(t);
  return out;
}

/**
 * Checks every copy: one change in each span of row `spansRow(j)` (one anywhere without spans),
 * labels of its source. Returns how many copies of a motif-carrying source have a change outside its motifs.
 */
function checkCopies(s: Sim, nTrain: number, nCopies: number, spansRow: (j: number, source: number) => number): number {
  const source = col(s, "source");
  let outsideOwn = 0;
  for (let j = 0; j < nCopies; j++) {
    const row = nTrain + j;
    const from = source[row] as number;
    expect(from).toBeGreaterThanOrEqual(0);
    expect(from).toBeLessThan(nTrain);
    for (const name of LABELS) expect(col(s, name)[row], name).toBe(col(s, name)[from]);
    const d = diffs(s, row, from);
    const sp = spans(s, spansRow(j, from));
    if (sp.length === 0) expect(d.length).toBe(1);
    else {
      expect(d.length, `copy ${j}`).toBe(sp.length);
      for (const [a, b] of sp) expect(d.filter((t) => t >= a && t < b).length, `copy ${j} span ${a}`).toBe(1);
    }
    const own = spans(s, from);
    if (own.length > 0 && d.some((t) => !own.some(([a, b]) => t >= a && t < b))) outsideOwn++;
  }
  return outsideOwn;
}

describe("deep_mr_sim: variant augmentation (spec §3.4)", () => {
  const given = { n_train: 2000, n_test: 5, augment: 0.25, scenario: "sequence", seed: 21 } as const;

  it("floor(augment n_train) copies follow the originals, then the test rows; source is -1 except on copies", () => {
    const s = simulate("deep_mr_sim", given);
    expect(s.data.n).toBe(2000 + 500 + 5);
    const split = col(s, "split");
    const source = col(s, "source");
    for (let i = 0; i < s.data.n; i++) {
      expect(split[i]).toBe(i < 2500 ? 0 : 1);
      expect((source[i] as number) >= 0).toBe(i >= 2000 && i < 2500);
    }
  });

  it('"own": one change inside each of the copied sequence\'s motif spans (one anywhere without a motif)', () => {
    const s = simulate("deep_mr_sim", { ...given, variant_spans: "own" });
    expect(checkCopies(s, 2000, 500, (_j, from) => from)).toBe(0);
  });

  it('"authors" (Q4): copy j changes the spans of original j, so many changes fall outside its own motifs', () => {
    const s = simulate("deep_mr_sim", given);
    const outside = checkCopies(s, 2000, 500, (j) => j);
    expect(outside).toBeGreaterThan(250);
  });

  it("copies' counts are drawn anew from their own (mutated) sequences, not copied", () => {
    const s = simulate("deep_mr_sim", given);
    const source = col(s, "source");
    const counts = col(s, "out_count");
    let same = 0;
    for (let row = 2000; row < 2500; row++) if (counts[row] === counts[source[row] as number]) same++;
    expect(same).toBeLessThan(250);
  });
});
