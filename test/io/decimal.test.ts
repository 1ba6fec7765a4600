import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { cellValue } from "../../src/io/columns.js";
import { parseDecimal } from "../../src/io/decimal.js";

/** What the string reader gives for a cell: a finite Number() of a decimal, or NaN. */
function expected(text: string): number {
  return cellValue(text);
}

/**
 * Parses every string from its bytes inside one buffer (as the reader does) and returns the
 * first disagreement with `expected`, compared with Object.is (so -0 and 0 differ), or null.
 */
function firstMismatch(texts: readonly string[]): { text: string; got: number; want: number } | null {
  const bytes = Buffer.from(texts.join(""), "latin1");
  let at = 0;
  for (const text of texts) {
    const got = parseDecimal(bytes, at, at + text.length);
    at += text.length;
    const want = expected(text);
    if (!Object.is(got, want)) return { text, got, want };
  }
  return null;
}

/** A random run of `k` digits. */
function digits(rng: () => number, k: number): string {
  let s = "";
  for (let i = 0; i < k; i++) s += String(Math.floor(rng() * 10));
  return s;
}

/** A random decimal string: sign, 0-25 digit integer and fraction parts, leading zeros, exponents to +-350. */
function decimalText(rng: () => number): string {
  const sign = rng() < 0.2 ? "-" : rng() < 0.05 ? "+" : "";
  const zeros = rng() < 0.1 ? "0".repeat(1 + Math.floor(rng() * 4)) : "";
  const int = digits(rng, Math.floor(rng() * (rng() < 0.5 ? 8 : 26)));
  const frac = rng() < 0.7 ? `.${digits(rng, Math.floor(rng() * (rng() < 0.5 ? 8 : 26)))}` : "";
  const r = rng();
  const exp =
    r < 0.5
      ? ""
      : `${rng() < 0.5 ? "e" : "E"}${rng() < 0.4 ? "-" : rng() < 0.1 ? "+" : ""}${Math.floor(rng() * (r < 0.8 ? 23 : 351))}`;
  return `${sign}${zeros}${int}${frac}${exp}`;
}

/** How doubles are written by programs: shortest round trip, fixed and exponent forms, 1-17 digits. */
function printedDouble(rng: () => number): string {
  const x = (rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20);
  const r = rng();
  if (r < 0.4) return String(x);
  if (r < 0.7) return x.toPrecision(1 + Math.floor(rng() * 17));
  if (r < 0.85) return x.toExponential(Math.floor(rng() * 17));
  return x.toFixed(Math.floor(rng() * 12));
}

describe("parseDecimal: equal to Number() on decimal text, NaN for anything else", () => {
  it("on 1,000,000 random decimal strings (0-25 digit parts, leading zeros, signs, exponents to +-350)", () => {
    const rng = seedrandom("decimal");
    for (let round = 0; round < 10; round++) {
      const texts = Array.from({ length: 100_000 }, () => decimalText(rng));
      expect(firstMismatch(texts)).toBeNull();
    }
  });

  it("on 300,000 doubles as programs print them (String, toPrecision, toExponential, toFixed)", () => {
    const rng = seedrandom("printed");
    const texts = Array.from({ length: 300_000 }, () => printedDouble(rng));
    expect(firstMismatch(texts)).toBeNull();
  });

  it("on 300,000 random strings over digits, point, e, signs, x and space (the grammar's edges)", () => {
    const rng = seedrandom("grammar");
    const alphabet = "0123456789..eE+-x ";
    const texts = Array.from({ length: 300_000 }, () => {
      let s = "";
      for (let k = Math.floor(rng() * 7); k > 0; k--) s += alphabet[Math.floor(rng() * alphabet.length)];
      return s;
    });
    expect(firstMismatch(texts)).toBeNull();
    expect(texts.filter((t) => !Number.isNaN(expected(t))).length).toBeGreaterThan(10_000);
  });

  const edges = [
    "0",
    "-0",
    "+0",
    "0.0",
    "-0.0e5",
    "00",
    "007",
    "1.",
    ".5",
    "-.5",
    "+.5",
    "1e5",
    "1E+5",
    "1e-5",
    "1.e5",
    "5e-324",
    "4.9406564584124654e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "2.2250738585072011e-308",
    "2.2250738585072012e-308",
    "2.2250738585072014e-308",
    "1e-400",
    "-1e-400",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "1e308",
    "1e309",
    "9007199254740992",
    "9007199254740993",
    "9007199254740993.000000000001",
    "123456789012345678901234567890",
    "0.1",
    "0.2",
    "0.30000000000000004",
    "0.1000000000000000055511151231257827",
    "999999999999999",
    "1000000000000000",
    "999999999999999.9",
    "1e22",
    "1e23",
    "8.98846567431158e307",
    "3.0517578125e-5",
    "0.000000000000000000000000000000000001",
    "1e0000000000000000000000000000000000002",
    "0e99999999999999999",
    "1e99999999999999999",
    "1e-99999999999999999",
  ];
  it(`on ${edges.length} edge cases: zeros and signs, subnormals, halfway cases, 17+ digits, huge exponents`, () => {
    expect(firstMismatch(edges)).toBeNull();
    expect(Object.is(parseDecimal(Buffer.from("-0"), 0, 2), -0)).toBe(true);
    expect(parseDecimal(Buffer.from("5e-324"), 0, 6)).toBe(Number.MIN_VALUE);
    expect(parseDecimal(Buffer.from("1e-400"), 0, 6)).toBe(0);
  });

  const refused = [
    "",
    " ",
    "0x1F",
    "0X1f",
    "0b101",
    "0o17",
    "-0x10",
    "Infinity",
    "-Infinity",
    "1e400",
    "NaN",
    "NA",
    "1_000",
    "1,5",
    ".",
    "-",
    "+",
    "e5",
    "1e",
    "1e+",
    "1.2.3",
    " 1",
    "1 ",
    "--1",
    "1e5.5",
    ".e1",
  ];
  it("refuses hex, binary, octal, Infinity, NaN, empty and malformed text, as the string reader does", () => {
    for (const text of refused) {
      const b = Buffer.from(text, "latin1");
      expect(parseDecimal(b, 0, b.length), JSON.stringify(text)).toBeNaN();
      expect(expected(text), JSON.stringify(text)).toBeNaN();
    }
  });
});
