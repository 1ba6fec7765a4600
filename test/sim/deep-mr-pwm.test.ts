import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { GATA_DISC1, type Motif, SOX2_1, SYNTHETIC_16, TAL1_KNOWN1 } from "../../src/sim/deep-mr-motifs.js";
import { backgroundOf, logOdds, occupancy, smoothed } from "../../src/sim/deep-mr-pwm.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();

/** The occupancy written out from the spec (§3.3), independently of the kernel. */
function occupancyRef(codes: Uint8Array, n: number, L: number, llr: Float64Array): number[] {
  const K = llr.length / 4;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let keep = 1;
    for (let t = 0; t + K <= L; t++) {
      let S = 0;
      for (let k = 0; k < K; k++) S += llr[4 * k + (codes[i * L + t + k] as number)] as number;
      keep *= 1 - 1 / (1 + Math.exp(-S));
    }
    out.push(1 - keep);
  }
  return out;
}

/** n random sequences of length L (codes 0..3) from a seeded stream. */
function randomCodes(seed: string, n: number, L: number): Uint8Array {
  const u = uniforms(seed, n * L);
  return Uint8Array.from(u, (v) => Math.min(3, Math.floor((v + 1) * 2)));
}

const motif = (rows: number[][]): Motif => ({ name: "hand", rows: rows.length, p: rows.flat() });

describe("deep_mr_sim: PWM scoring (spec §3.3)", () => {
  it("every matrix is K x 4 with rows summing to 1 (to the spec's 6 digits)", () => {
    for (const m of [GATA_DISC1, TAL1_KNOWN1, SOX2_1, SYNTHETIC_16]) {
      expect(m.p.length).toBe(4 * m.rows);
      for (let k = 0; k < m.rows; k++) {
        const s = m.p.slice(4 * k, 4 * k + 4).reduce((a, b) => a + b, 0);
        expect(Math.abs(s - 1), `${m.name} row ${k}`).toBeLessThan(2e-6);
      }
    }
    expect([GATA_DISC1.rows, TAL1_KNOWN1.rows, SOX2_1.rows, SYNTHETIC_16.rows]).toEqual([10, 16, 15, 16]);
  });

  it("smooths each entry to p (1 - c) + c/4 without renormalising, strictly inside (0, 1)", () => {
    const s = smoothed(GATA_DISC1, 1e-5);
    expect(s[12]).toBe(0 * (1 - 1e-5) + 1e-5 / 4);
    expect(s[14]).toBe(1 * (1 - 1e-5) + 1e-5 / 4);
    expect(Math.min(...s)).toBeGreaterThan(0);
    expect(Math.max(...s)).toBeLessThan(1);
    // Row 4 is (0, 0, 1, 0): it sums to 1 - c + c = 1; rows given to 6 digits keep their rounding.
    expect((s[12] as number) + (s[13] as number) + (s[14] as number) + (s[15] as number)).toBeCloseTo(1, 15);
  });

  it("the background quirk: ACTG divides G by 0.27 and T by 0.23 (Q1)", () => {
    expect(backgroundOf("ACTG")).toEqual([0.27, 0.23, 0.27, 0.23]);
    expect(backgroundOf("ACGT")).toEqual([0.27, 0.23, 0.23, 0.27]);
    const l = logOdds(motif([[0.25, 0.25, 0.25, 0.25]]), 1e-3, "ACTG");
    assertClose(l, [Math.log(0.25 / 0.27), Math.log(0.25 / 0.23), Math.log(0.25 / 0.27), Math.log(0.25 / 0.23)]);
  });

  it("a hand-computed occupancy: S = (log 2, 0) gives s = (2/3, 1/2) and q = 1 - (1/3)(1/2) = 5/6", () => {
    // One row whose A (ACGT) or T (ACTG) entry is twice its background, the others equal to it.
    const acgt = logOdds(motif([[0.54, 0.23, 0.23, 0.27]]), 0, "ACGT");
    assertClose(occupancy(core, Uint8Array.from([0, 1]), 1, 2, acgt), [5 / 6]);
    const actg = logOdds(motif([[0.27, 0.23, 0.27, 0.46]]), 0, "ACTG");
    assertClose(occupancy(core, Uint8Array.from([3, 2]), 1, 2, actg), [5 / 6]);
    // Two rows, windows "AC" and "CG" of "ACG": S = log 2 + log 2 and 0 + 0: q = 1 - (1/5)(1/2) = 9/10.
    const two = logOdds(
      motif([
        [0.54, 0.23, 0.23, 0.27],
        [0.27, 0.46, 0.23, 0.27],
      ]),
      0,
      "ACGT",
    );
    assertClose(occupancy(core, Uint8Array.from([0, 1, 2]), 1, 3, two), [0.9]);
  });

  it("the core's kernel equals the reference to 1e-12 (relative, 1e-14 absolute) for every motif, order and size", () => {
    for (const [j, m] of [GATA_DISC1, TAL1_KNOWN1, SOX2_1, SYNTHETIC_16].entries()) {
      for (const order of ["ACTG", "ACGT"] as const) {
        for (const [n, L] of [
          [1, m.rows],
          [3, m.rows + 1],
          [17, 100],
          [5, 257],
        ] as const) {
          const codes = randomCodes(`pwm-${j}-${order}-${n}-${L}`, n, L);
          // Embed the consensus in the first sequence so that q near 1 is covered too.
          for (let k = 0; k < m.rows; k++) {
            const row = m.p.slice(4 * k, 4 * k + 4);
            codes[k] = row.indexOf(Math.max(...row));
          }
          const llr = logOdds(m, 1e-5, order);
          assertClose(occupancy(core, codes, n, L, llr), occupancyRef(codes, n, L, llr), { rtol: 1e-12, atol: 1e-14 });
        }
      }
    }
  });

  it("reads codes in place when they live in the core (an offset view), and refuses a motif longer than L", () => {
    const codes = randomCodes("in-core", 7, 33);
    const llr = logOdds(GATA_DISC1, 1e-3, "ACGT");
    const m = core.wasm.mark();
    try {
      const ptr = core.alloc(Math.ceil((3 + 7 * 33) / 8));
      const view = new Uint8Array(core.wasm.memory.buffer, ptr + 3, 7 * 33);
      view.set(codes);
      assertClose(occupancy(core, view, 7, 33, llr), occupancyRef(codes, 7, 33, llr));
    } finally {
      core.wasm.reset(m);
    }
    expect(() => occupancy(core, codes, 1, 9, llr)).toThrow(RangeError);
  });
});
