import { describe, expect, it } from "vitest";
import { ismEffects, outputColumn } from "../../src/deepmr/effects.js";
import { zFilter } from "../../src/deepmr/filter.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

const at = (n: number, r: number, o: number, rows: number, outputs: number) => (n * rows + r) * outputs + o;

describe("ismEffects", () => {
  const bases = Uint8Array.from([2, 0, 3]); // G A T
  const N = 5;
  const outputs = 2;
  const rows = 12;
  const draws = uniforms("ism", N * rows * outputs);

  it("orders mutants by position, then alternative base, skipping the reference", () => {
    const e = ismEffects(draws, bases, N, outputs);
    expect(e.mutants).toBe(9);
    expect(Array.from(e.position)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(e.base)).toEqual([0, 1, 3, 1, 2, 3, 0, 1, 2]);
  });

  it("beta is the mean paired difference with the same-position WT row; se the divisor-N SD, equal to sqrt(var_ref + var_mut - 2 cov)", () => {
    const e = ismEffects(draws, bases, N, outputs);
    for (let j = 0; j < e.mutants; j++) {
      const l = e.position[j] as number;
      const mut = 4 * l + (e.base[j] as number);
      const ref = 4 * l + (bases[l] as number);
      for (let o = 0; o < outputs; o++) {
        const a = Array.from({ length: N }, (_, n) => draws[at(n, mut, o, rows, outputs)] as number);
        const b = Array.from({ length: N }, (_, n) => draws[at(n, ref, o, rows, outputs)] as number);
        const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / N;
        const ma = mean(a);
        const mb = mean(b);
        const cov = (u: number[], mu: number, v: number[], mv: number) =>
          mean(u.map((x, i) => (x - mu) * ((v[i] as number) - mv)));
        assertClose(e.beta[j * outputs + o] as number, ma - mb, { rtol: 1e-13, atol: 1e-15 }, `beta ${j},${o}`);
        const se = Math.sqrt(cov(a, ma, a, ma) + cov(b, mb, b, mb) - 2 * cov(a, ma, b, mb));
        assertClose(e.se[j * outputs + o] as number, se, { rtol: 1e-12, atol: 1e-15 }, `se ${j},${o}`);
      }
    }
  });

  it("one draw gives se = 0; a shift shared by WT and mutant rows of a draw cancels", () => {
    const one = ismEffects(draws.subarray(0, rows * outputs), bases, 1, outputs);
    expect(Array.from(one.se).every((s) => s === 0)).toBe(true);
    const shifted = draws.map((v, k) => v + 10 * Math.floor(k / (rows * outputs)));
    const e = ismEffects(draws, bases, N, outputs);
    const f = ismEffects(shifted, bases, N, outputs);
    assertClose(f.beta, e.beta, { rtol: 1e-12, atol: 1e-12 }, "beta");
    assertClose(f.se, e.se, { rtol: 1e-10, atol: 1e-12 }, "se");
    expect(Array.from(outputColumn(e.beta, outputs, 1))).toEqual(
      Array.from({ length: 9 }, (_, j) => e.beta[2 * j + 1]),
    );
  });

  it("rejects bad bases and shapes with the one message format", () => {
    expect(() => ismEffects(draws, Uint8Array.from([0, 4, 1]), N, outputs)).toThrow(
      /^deep MR effects: base 2 must be a code 0\.\.3 \(A, C, G, T\); got 4$/,
    );
    expect(() => ismEffects(draws, bases, 4, outputs)).toThrow(/the number of predictions must be 96 .*; got 120/);
    expect(() => ismEffects(draws, bases, 0, outputs)).toThrow(/the number of draws must be an integer >= 1; got 0/);
  });
});

describe("zFilter", () => {
  it("standardises over all mutants of all sequences with the divisor-N SD and keeps |z| >= threshold", () => {
    // Pooled mean 3 and SD sqrt(2): z = -1.41, -0.71, 0, 0.71, 1.41.
    const r = zFilter(
      [
        [1, 2, 3],
        [4, 5],
      ],
      1,
    );
    expect(r.mean).toBe(3);
    assertClose(r.sd, Math.SQRT2, { rtol: 1e-15 }, "sd");
    expect(r.kept.map((k) => Array.from(k))).toEqual([[0], [1]]);
    expect(
      zFilter(
        [
          [1, 2, 3],
          [4, 5],
        ],
        0.7,
      ).kept.map((k) => Array.from(k)),
    ).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(
      zFilter(
        [
          [1, 2, 3],
          [4, 5],
        ],
        0,
      ).kept.map((k) => k.length),
    ).toEqual([3, 2]);
  });

  it("keeps nothing when every effect is equal or there are none", () => {
    expect(zFilter([[2, 2], [2]], 1).kept.map((k) => k.length)).toEqual([0, 0]);
    expect(zFilter([[], []], 1).kept.map((k) => k.length)).toEqual([0, 0]);
  });

  it("rejects a negative threshold", () => {
    expect(() => zFilter([[1]], -1)).toThrow(/^deep MR filter: z_threshold must be finite and >= 0; got -1$/);
  });
});
