import { describe, expect, it } from "vitest";
import { dgps } from "../../src/sim/registry.js";
import { simulate } from "../../src/sim/simulate.js";
import { type Allocate, Slab } from "../../src/sim/slab.js";

/** Settings that reach every branch of the study DGP: context, heterogeneity, pleiotropy, two samples. */
const CASES: Record<string, Record<string, unknown>[]> = {
  study: [
    { n: 300, L: 4, context: true, seed: 3 },
    { n: 250, L: 6, context: false, theta_sd: 0.2, two_sample: true, seed: 4 },
    { n: 200, L: 3, context: false, delta: [0.1, 0, 0, 0, 0.2, 0, 0, 0, 0, -0.1], seed: 5 },
  ],
};

/** A slab whose pieces start out as NaN, as a reused slab's would hold an earlier dataset. */
function poisoned(slab: Slab): Allocate {
  return (length) => slab.take(length).fill(Number.NaN);
}

describe("simulating into a reused slab (what sweep workers do)", () => {
  it("every DGP has a case here", () => {
    expect(Object.keys(CASES).sort()).toEqual([...dgps.keys()].sort());
  });

  for (const [dgp, cases] of Object.entries(CASES)) {
    it(`${dgp}: gives the dataset fresh arrays give, whatever the slab held before`, () => {
      const slab = new Slab();
      for (const params of [...cases, ...cases]) {
        const fresh = simulate(dgp, params);
        slab.reset();
        const reused = simulate(dgp, params, { alloc: poisoned(slab) });
        expect(reused.data.names).toEqual(fresh.data.names);
        reused.data.columns.forEach((col, j) => {
          expect(Array.from(col), reused.data.names[j]).toEqual(Array.from(fresh.data.columns[j] as Float64Array));
        });
        expect(reused.meta).toEqual(fresh.meta);
      }
    });
  }

  it("a slab hands out disjoint pieces, and keeps earlier pieces when it grows", () => {
    const slab = new Slab();
    const a = slab.take(10).fill(1);
    const b = slab.take(1 << 17).fill(2);
    const c = slab.take(5).fill(3);
    expect([a[9], b[0], b[(1 << 17) - 1], c[0]]).toEqual([1, 2, 2, 3]);
    slab.reset();
    const again = slab.take(10);
    expect(again.buffer === c.buffer && again.byteOffset === 0).toBe(true);
  });
});
