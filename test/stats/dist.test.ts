import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { regIncBeta } from "../../src/stats/beta.js";
import { chiSquareSf, fSf, studentTCdf, studentTQuantile, studentTSf, studentTTwoSided } from "../../src/stats/dist.js";
import { lgamma, regGammaP, regGammaQ } from "../../src/stats/gamma.js";
import { normalCdf, normalQuantile, normalSf } from "../../src/stats/normal.js";
import { assertClose } from "../helpers/assert-close.js";

/** One fixture row: the named arguments plus R's value. */
type Case = Record<string, number> & { value: number };

// Written by `Rscript test/fixtures/stats/make-dist.R` (R 4.2.2, 17 significant digits).
const fixture = JSON.parse(readFileSync(new URL("../fixtures/stats/dist.json", import.meta.url), "utf8")) as Record<
  string,
  Case[]
>;

const NORMAL_RTOL = 1e-12;
const TAIL_RTOL = 1e-10;

function arg(c: Case, name: string): number {
  const v = c[name];
  if (v === undefined) throw new Error(`fixture case ${JSON.stringify(c)} has no "${name}"`);
  return v;
}

function checkSection(section: string, rtol: number, f: (c: Case) => number): void {
  const cases = fixture[section];
  if (!cases || cases.length === 0) throw new Error(`fixture section ${section} is missing or empty`);
  for (const c of cases) {
    const { value, ...args } = c;
    assertClose(f(c), value, { rtol }, `${section}(${JSON.stringify(args)})`);
  }
}

describe("dist against R reference values", () => {
  it("lgamma", () => checkSection("lgamma", NORMAL_RTOL, (c) => lgamma(arg(c, "x"))));
  it("normalSf = pnorm(z, lower.tail = FALSE)", () =>
    checkSection("pnorm_upper", NORMAL_RTOL, (c) => normalSf(arg(c, "z"))));
  it("normalQuantile = qnorm", () => checkSection("qnorm", NORMAL_RTOL, (c) => normalQuantile(arg(c, "p"))));
  // For df > 4e5 R's pt() uses a normal approximation (nmath pt.c); at the df = 1e6 cases it still
  // agrees with 40-digit mpmath values to ~1e-14, so no case needs a looser tolerance.
  it("studentTSf = pt(t, df, lower.tail = FALSE)", () =>
    checkSection("pt_upper", TAIL_RTOL, (c) => studentTSf(arg(c, "t"), arg(c, "df"))));
  it("studentTCdf = 1 - pt(t, df, lower.tail = FALSE), compared via the mirrored tail", () =>
    checkSection("pt_upper", TAIL_RTOL, (c) => studentTCdf(-arg(c, "t"), arg(c, "df"))));
  it("studentTTwoSided = 2 * pt(-|t|, df)", () =>
    checkSection("pt_two_sided", TAIL_RTOL, (c) => studentTTwoSided(arg(c, "t"), arg(c, "df"))));
  it("studentTQuantile = qt", () => checkSection("qt", TAIL_RTOL, (c) => studentTQuantile(arg(c, "p"), arg(c, "df"))));
  it("chiSquareSf = pchisq(x, df, lower.tail = FALSE)", () =>
    checkSection("pchisq_upper", TAIL_RTOL, (c) => chiSquareSf(arg(c, "x"), arg(c, "df"))));
  it("fSf = pf(f, d1, d2, lower.tail = FALSE)", () =>
    checkSection("pf_upper", TAIL_RTOL, (c) => fSf(arg(c, "f"), arg(c, "d1"), arg(c, "d2"))));
});

describe("dist at very large df", () => {
  // mpmath 1.3 values at 40 digits, rounded to double (betainc for t = 20, quadrature of the density otherwise):
  // df = 1e7 is past where R's pt() switches to its normal approximation, and exercises the BGRAT path.
  it("matches high-precision t tails and quantile at df = 1e7", () => {
    assertClose(studentTSf(2, 1e7), 0.022750145445921476, { rtol: 1e-12 }, "P(T > 2)");
    assertClose(studentTSf(6, 1e7), 9.866213666838918e-10, { rtol: 1e-12 }, "P(T > 6)");
    assertClose(studentTSf(20, 1e7), 2.7647156034788506e-89, { rtol: 1e-12 }, "P(T > 20)");
    assertClose(studentTQuantile(1e-12, 1e7), -7.03449270352616, { rtol: 1e-12 }, "qt(1e-12)");
  });
});

describe("dist invalid input and limits", () => {
  it("returns NaN for invalid arguments instead of throwing", () => {
    const nan = [
      lgamma(0),
      lgamma(-1),
      lgamma(Number.NaN),
      normalSf(Number.NaN),
      normalCdf(Number.NaN),
      normalQuantile(0),
      normalQuantile(1),
      normalQuantile(-0.1),
      normalQuantile(Number.NaN),
      regIncBeta(0, 1, 0.5),
      regIncBeta(1, -1, 0.5),
      regIncBeta(1, 1, 1.5),
      regIncBeta(1, 1, Number.NaN),
      regGammaP(0, 1),
      regGammaP(1, -1),
      regGammaQ(Number.NaN, 1),
      studentTCdf(1, 0),
      studentTSf(1, -3),
      studentTSf(Number.NaN, 3),
      studentTTwoSided(1, Number.NaN),
      studentTQuantile(0, 5),
      studentTQuantile(1, 5),
      studentTQuantile(0.5, 0),
      studentTQuantile(Number.NaN, 5),
      chiSquareSf(1, 0),
      chiSquareSf(Number.NaN, 2),
      fSf(1, 0, 3),
      fSf(1, 3, -1),
      fSf(Number.NaN, 3, 4),
    ];
    for (const [i, v] of nan.entries()) expect(v, `case ${i}`).toBeNaN();
  });

  it("studentTTwoSided(0, df) is exactly 1", () => {
    for (const df of [0.5, 1, 2.5, 30, 997, 1e6, 1e7, Number.POSITIVE_INFINITY]) {
      expect(studentTTwoSided(0, df), `df ${df}`).toBe(1);
    }
  });

  it("handles zero and infinite arguments", () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(-1, 3)).toBe(1);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(fSf(0, 2, 5)).toBe(1);
    expect(fSf(Number.POSITIVE_INFINITY, 2, 5)).toBe(0);
    expect(studentTTwoSided(Number.POSITIVE_INFINITY, 4)).toBe(0);
    expect(studentTTwoSided(Number.NEGATIVE_INFINITY, 4)).toBe(0);
    expect(studentTSf(Number.POSITIVE_INFINITY, 4)).toBe(0);
    expect(studentTSf(Number.NEGATIVE_INFINITY, 4)).toBe(1);
    expect(studentTCdf(0, 4)).toBe(0.5);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(normalSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(regIncBeta(2, 3, 0)).toBe(0);
    expect(regIncBeta(2, 3, 1)).toBe(1);
    expect(regGammaP(2, 0)).toBe(0);
    expect(regGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
  });

  it("treats df = Infinity as the normal distribution", () => {
    assertClose(studentTSf(1.3, Number.POSITIVE_INFINITY), normalSf(1.3), { rtol: 0 }, "sf");
    assertClose(studentTQuantile(0.01, Number.POSITIVE_INFINITY), normalQuantile(0.01), { rtol: 0 }, "quantile");
  });
});

describe("dist identities and round trips", () => {
  it("studentTQuantile inverts studentTCdf", () => {
    // Positive x stay moderate: there the cdf is near 1 and rounding p costs relative accuracy in x.
    for (const df of [0.7, 1, 2.5, 7, 30, 997, 1e6, 1e7]) {
      for (const x of [-30, -6, -1.5, -0.3, 0.05, 0.8, 2.5]) {
        assertClose(studentTQuantile(studentTCdf(x, df), df), x, { rtol: 1e-12 }, `df ${df}, x ${x}`);
      }
    }
  });

  it("studentTCdf inverts studentTQuantile", () => {
    for (const df of [1, 2.5, 7, 30, 997, 1e6, 1e7]) {
      for (const p of [1e-12, 1e-6, 0.01, 0.3, 0.6, 0.99, 1 - 1e-9]) {
        assertClose(studentTCdf(studentTQuantile(p, df), df), p, { rtol: 1e-12 }, `df ${df}, p ${p}`);
      }
    }
  });

  it("normalQuantile inverts normalCdf", () => {
    for (const z of [-37, -20, -8, -1, -0.1, 0.3, 2]) {
      assertClose(normalQuantile(normalCdf(z)), z, { rtol: 1e-12 }, `z ${z}`);
    }
  });

  it("reduces to closed forms", () => {
    for (const x of [0.001, 0.3, 0.9]) {
      assertClose(regIncBeta(3.5, 1, x), x ** 3.5, { rtol: 1e-13 }, `I_x(3.5, 1), x ${x}`);
      assertClose(regIncBeta(1, 40, x), -Math.expm1(40 * Math.log1p(-x)), { rtol: 1e-13 }, `I_x(1, 40), x ${x}`);
      assertClose(regIncBeta(0.5, 0.5, x), (2 / Math.PI) * Math.asin(Math.sqrt(x)), { rtol: 1e-13 }, `arcsine ${x}`);
    }
    for (const x of [1e-3, 0.7, 5, 60]) {
      assertClose(regGammaQ(1, x), Math.exp(-x), { rtol: 1e-13 }, `Q(1, ${x})`);
      assertClose(regGammaP(1, x), -Math.expm1(-x), { rtol: 1e-13 }, `P(1, ${x})`);
      assertClose(chiSquareSf(x, 2), Math.exp(-x / 2), { rtol: 1e-13 }, `chi2_2 ${x}`);
      assertClose(chiSquareSf(x, 1), 2 * normalSf(Math.sqrt(x)), { rtol: 1e-13 }, `chi2_1 ${x}`);
    }
    for (const t of [0.2, 1, 3, 30]) {
      assertClose(studentTSf(t, 1), Math.atan(1 / t) / Math.PI, { rtol: 1e-13 }, `Cauchy ${t}`);
      assertClose(fSf(t * t, 1, 12.5), studentTTwoSided(t, 12.5), { rtol: 1e-13 }, `F(1, 12.5) = T^2 at ${t}`);
    }
  });

  it("keeps the symmetry and complement relations", () => {
    for (const [a, b, x] of [
      [2.5, 7, 0.2],
      [40, 0.5, 0.97],
      [0.3, 300, 0.001],
      [500, 700, 0.41],
    ] as const) {
      assertClose(regIncBeta(a, b, x) + regIncBeta(b, a, 1 - x), 1, { rtol: 1e-14 }, `I symmetry ${a} ${b} ${x}`);
    }
    for (const [a, x] of [
      [0.5, 0.1],
      [3, 2],
      [30, 45],
      [200, 180],
    ] as const) {
      assertClose(regGammaP(a, x) + regGammaQ(a, x), 1, { rtol: 1e-14 }, `P + Q at ${a} ${x}`);
    }
  });
});
