import { describe, expect, it } from "vitest";
import { localEgger, localNaive, naiveGlobal, type RobustRegression } from "../../src/deepmr/local-mr.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

/** Instruments with slope 2, intercept 0.1 after orientation, and noise. */
function data(J: number, seed: string) {
  const u = uniforms(seed, 3 * J);
  const bx = Float64Array.from({ length: J }, (_, j) => (j % 3 === 0 ? -1 : 1) * (0.5 + Math.abs(u[j] as number)));
  const sy = Float64Array.from({ length: J }, (_, j) => 0.05 + 0.1 * Math.abs(u[J + j] as number));
  const by = Float64Array.from(
    bx,
    (b, j) => Math.sign(b) * (0.1 + 2 * Math.abs(b)) + (sy[j] as number) * 3 * (u[2 * J + j] as number),
  );
  return { bx, by, sy };
}

/** Weighted least squares of y on [1, x] by the normal equations: coefficients, lm SEs, sigma. */
function wlsReference(x: Float64Array, y: Float64Array, w: Float64Array) {
  const s = (f: (i: number) => number) => Array.from(x, (_, i) => f(i)).reduce((a, b) => a + b, 0);
  const sw = s((i) => w[i] as number);
  const swx = s((i) => (w[i] as number) * (x[i] as number));
  const swxx = s((i) => (w[i] as number) * (x[i] as number) ** 2);
  const swy = s((i) => (w[i] as number) * (y[i] as number));
  const swxy = s((i) => (w[i] as number) * (x[i] as number) * (y[i] as number));
  const det = sw * swxx - swx * swx;
  const b = (sw * swxy - swx * swy) / det;
  const a = (swy - b * swx) / sw;
  const rss = s((i) => (w[i] as number) * ((y[i] as number) - a - b * (x[i] as number)) ** 2);
  const sigma = Math.sqrt(rss / (x.length - 2));
  return { a, b, seA: Math.sqrt(swxx / det) * sigma, seB: Math.sqrt(sw / det) * sigma, sigma };
}

describe("localEgger, WLS path (<= 10 instruments)", () => {
  it("orients by sign(bx), weights sy^-2, divides the SEs by min(sigma, 1), normal CI", () => {
    const { bx, by, sy } = data(8, "egger8");
    const r = localEgger(bx, by, sy);
    const x = bx.map(Math.abs);
    const y = by.map((b, i) => Math.sign(bx[i] as number) * b);
    const ref = wlsReference(
      x,
      y,
      sy.map((s) => 1 / (s * s)),
    );
    const scale = Math.min(ref.sigma, 1);
    expect(r?.method).toBe("wls");
    expect(r?.robust_missing).toBe(false);
    expect(r?.instruments).toBe(8);
    assertClose(r?.estimate as number, ref.b, { rtol: 1e-10 }, "slope");
    assertClose(r?.se as number, ref.seB / scale, { rtol: 1e-10 }, "se");
    assertClose(r?.intercept as number, ref.a, { rtol: 1e-10 }, "intercept");
    assertClose(r?.intercept_se as number, ref.seA / scale, { rtol: 1e-10 }, "intercept se");
    assertClose(r?.ci_lower as number, ref.b - 1.959963984540054 * (ref.seB / scale), { rtol: 1e-10 }, "ci");
  });

  it("drops 2 or fewer instruments and degenerate fits (all bx equal)", () => {
    const { bx, by, sy } = data(8, "egger-drop");
    expect(localEgger(bx.subarray(0, 2), by.subarray(0, 2), sy.subarray(0, 2))).toBeNull();
    expect(localEgger(new Float64Array(0), new Float64Array(0), new Float64Array(0))).toBeNull();
    expect(localEgger(new Float64Array(5).fill(0.7), by.subarray(0, 5), sy.subarray(0, 5))).toBeNull();
  });
});

describe("localEgger, robust dispatch", () => {
  const { bx, by, sy } = data(14, "egger14");
  const calls: { x: Float64Array; y: Float64Array; w: Float64Array }[] = [];
  const fake: RobustRegression = (x, y, w) => {
    calls.push({ x, y, w });
    return { coef: [0.2, 1.5], se: [0.1, 0.3], scale: 1.7 };
  };

  it('"auto" above 10 instruments calls the robust fit on oriented data with weights sy^-2, SEs / min(scale, 1)', () => {
    calls.length = 0;
    const r = localEgger(bx, by, sy, { robustFit: fake });
    expect(calls.length).toBe(1);
    const c = calls[0] as (typeof calls)[0];
    expect(Array.from(c.x)).toEqual(Array.from(bx, Math.abs));
    expect(Array.from(c.y)).toEqual(Array.from(by, (b, i) => ((bx[i] as number) < 0 ? -b : b)));
    assertClose(
      c.w,
      Array.from(sy, (s) => 1 / (s * s)),
      { rtol: 1e-15 },
      "weights",
    );
    expect(r).toMatchObject({
      estimate: 1.5,
      se: 0.3,
      intercept: 0.2,
      intercept_se: 0.1,
      method: "robust",
      instruments: 14,
    });
    const small = localEgger(bx, by, sy, {
      robustFit: (x, y, w) => ({ ...(fake(x, y, w) as object), scale: 0.5 }) as never,
    });
    assertClose(small?.se as number, 0.6, { rtol: 1e-15 }, "se / 0.5");
  });

  it('"auto" with 10 instruments, and "never", use WLS; "always" uses the robust fit at any size', () => {
    calls.length = 0;
    expect(localEgger(bx.subarray(0, 10), by.subarray(0, 10), sy.subarray(0, 10), { robustFit: fake })?.method).toBe(
      "wls",
    );
    expect(localEgger(bx, by, sy, { robust: "never", robustFit: fake })?.method).toBe("wls");
    expect(calls.length).toBe(0);
    expect(
      localEgger(bx.subarray(0, 4), by.subarray(0, 4), sy.subarray(0, 4), { robust: "always", robustFit: fake })
        ?.method,
    ).toBe("robust");
  });

  it('"auto" above 10 without a robust fit falls back to WLS and marks robust_missing', () => {
    const r = localEgger(bx, by, sy);
    expect(r).toMatchObject({ method: "wls", robust_missing: true });
    expect(r?.estimate).toBe(localEgger(bx, by, sy, { robust: "never" })?.estimate);
  });

  it('a failed robust fit drops the sequence; "always" without a fit and unknown modes are input errors', () => {
    expect(localEgger(bx, by, sy, { robustFit: () => null })).toBeNull();
    expect(localEgger(bx, by, sy, { robustFit: () => ({ coef: [0, Number.NaN], se: [1, 1], scale: 1 }) })).toBeNull();
    expect(() => localEgger(bx, by, sy, { robust: "always" })).toThrow(
      /^deep MR local Egger: a robust fit must be supplied when egger_robust is "always"; got nothing$/,
    );
    expect(() => localEgger(bx, by, sy, { robust: "sometimes" as "auto" })).toThrow(
      /egger_robust must be one of auto, never, always/,
    );
    expect(() => localEgger(bx, by.subarray(1), sy)).toThrow(/bx, by and sy must be of equal length; got 14, 13, 14/);
  });
});

describe("naive baseline", () => {
  it("local: mean of by / bx with more than 2 instruments; global: mean and mean -/+ 2 SD (divisor n - 1)", () => {
    expect(localNaive([1, 2, 4], [2, 2, 2])).toBeCloseTo((2 + 1 + 0.5) / 3, 15);
    expect(localNaive([1, 2], [2, 2])).toBeNull();
    const g = naiveGlobal([1, 2, 6]);
    expect(g.estimate).toBe(3);
    assertClose(g.sd, Math.sqrt(7), { rtol: 1e-15 }, "sd");
    assertClose([g.band_lower, g.band_upper], [3 - 2 * Math.sqrt(7), 3 + 2 * Math.sqrt(7)], { rtol: 1e-15 }, "band");
    expect(naiveGlobal([]).estimate).toBeNaN();
    expect(naiveGlobal([4]).sd).toBeNaN();
  });
});
