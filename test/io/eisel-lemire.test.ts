import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";

const { eisel_lemire } = getCore().wasm;

/** The core's Eisel-Lemire on a decimal mantissa given as a bigint below 2^64. */
function el(m: bigint, exp10: number, negative = false): number {
  return eisel_lemire(Number(m >> 32n), Number(m & 0xffffffffn), exp10, negative ? 1 : 0);
}

const MANTISSAS = [
  1n,
  2n,
  3n,
  5n,
  7n,
  9n,
  10n,
  11n,
  99n,
  123n,
  999n,
  (1n << 52n) - 1n,
  1n << 52n,
  (1n << 52n) + 1n,
  (1n << 53n) - 1n,
  1n << 53n,
  9007199254740993n,
  9999999999999999n,
  12345678901234567n,
  (1n << 63n) - 1n,
  1n << 63n,
  (1n << 64n) - 1n,
  4611686018427387904n,
];

describe("eisel_lemire (assembly/io): the double Number() gives for m * 10^e, or NaN (undecided: Number() then decides)", () => {
  it("every tabulated exponent (-348..347) with mantissas across the widths, both signs", () => {
    let decided = 0;
    let total = 0;
    for (let e = -348; e <= 347; e++) {
      for (const m of MANTISSAS) {
        const want = Number(`${m}e${e}`);
        for (const negative of [false, true]) {
          const got = el(m, e, negative);
          total++;
          if (Number.isNaN(got)) continue;
          decided++;
          expect(got, `${negative ? "-" : ""}${m}e${e}`).toBe(negative ? -want : want);
        }
      }
    }
    // Undecided are the subnormal, zero and infinite results and a few halfway cases.
    expect(decided / total).toBeGreaterThan(0.85);
  });

  it("200,000 random 64-bit mantissas and exponents", () => {
    const rng = seedrandom("eisel-lemire");
    let decided = 0;
    for (let k = 0; k < 200_000; k++) {
      const m = (BigInt(Math.floor(rng() * 2 ** 32)) << 32n) | BigInt(Math.floor(rng() * 2 ** 32)) || 1n;
      const e = Math.floor(rng() * 640) - 325;
      const got = el(m, e);
      if (Number.isNaN(got)) continue;
      decided++;
      expect(got, `${m}e${e}`).toBe(Number(`${m}e${e}`));
    }
    expect(decided).toBeGreaterThan(190_000);
  });

  it("leaves out-of-table exponents and subnormal results to Number()", () => {
    expect(el(1n, 400)).toBeNaN();
    expect(el(1n, -400)).toBeNaN();
    expect(el(5n, -324)).toBeNaN();
  });
});
