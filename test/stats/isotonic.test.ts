import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitIsotonic, pava, predictIsotonic } from "../../src/stats/isotonic.js";
import { assertClose } from "../helpers/assert-close.js";

interface Case {
  x: number[];
  y: number[];
  w: number[] | null;
  x_thresholds: number[];
  y_thresholds: number[];
  t: number[];
  predict: number[];
}

// Written by `/usr/bin/python3 test/fixtures/deep-mr/make-isotonic.py` (scikit-learn 1.2.1, numpy 1.24.2).
const fixture = JSON.parse(readFileSync(new URL("../fixtures/deep-mr/isotonic.json", import.meta.url), "utf8")) as {
  cases: Record<string, Case>;
};

/**
 * Same operations in the same order as sklearn (weighted means of the same blocks, numpy's interp
 * formula), so knots match exactly and values to a few ulps.
 */
const TOL = { rtol: 1e-14, atol: 1e-15 };

describe("fitIsotonic / predictIsotonic equal scikit-learn's IsotonicRegression(out_of_bounds='clip')", () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name} (n = ${c.x.length})`, () => {
      const fit = fitIsotonic(c.x, c.y, c.w ?? undefined);
      expect(Array.from(fit.x)).toEqual(c.x_thresholds);
      assertClose(fit.y, c.y_thresholds, TOL, `${name} fitted values`);
      assertClose(
        c.t.map((t) => predictIsotonic(fit, t)),
        c.predict,
        TOL,
        `${name} predictions`,
      );
    });
  }
});

describe("isotonic edge cases", () => {
  it("pava pools equal neighbours and a decreasing run into weighted means", () => {
    const y = Float64Array.from([1, 3, 2, 2, 5]);
    pava(y, Float64Array.from([1, 1, 2, 1, 1]));
    assertClose(y, [1, 9 / 4, 9 / 4, 9 / 4, 5], { rtol: 1e-15 }, "pava");
  });

  it("ties in x are averaged with their weights before pooling", () => {
    const fit = fitIsotonic([1, 1, 2], [0, 3, 4], [2, 1, 1]);
    expect(Array.from(fit.x)).toEqual([1, 2]);
    assertClose(fit.y, [1, 4], { rtol: 1e-15 }, "tied mean");
    expect(predictIsotonic(fit, 1.5)).toBe(2.5);
    expect(predictIsotonic(fit, -3)).toBe(1);
    expect(predictIsotonic(fit, 9)).toBe(4);
    expect(predictIsotonic(fit, Number.NaN)).toBeNaN();
  });

  it("rejects bad input with the one message format", () => {
    expect(() => fitIsotonic([1, 2], [1])).toThrow(/^isotonic regression: the number of y values must be 2/);
    expect(() => fitIsotonic([], [])).toThrow(/points with positive weight must be at least 1; got 0/);
    expect(() => fitIsotonic([1, 2], [1, 2], [0, 0])).toThrow(/positive weight must be at least 1/);
    expect(() => fitIsotonic([1, Number.POSITIVE_INFINITY], [1, 2])).toThrow(
      /x 2 must be a finite number; got Infinity/,
    );
    expect(() => fitIsotonic([1, 2], [1, 2], [1, -1])).toThrow(/weight 2 must be finite and >= 0; got -1/);
  });
});
