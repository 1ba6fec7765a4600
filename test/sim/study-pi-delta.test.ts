import { describe, expect, it } from "vitest";
import { getColumn } from "../../src/data/frame.js";
import { MrsweepError } from "../../src/errors.js";
import { simulate } from "../../src/sim/simulate.js";
import { CONTEXT_NAMES } from "../../src/sim/study.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { cells } from "../../src/sweep/plan.js";

const K = CONTEXT_NAMES.length;
type Sim = ReturnType<typeof simulate>;
const col = (s: Sim, name: string) => getColumn(s.data, name) as Float64Array;

/** pi_delta with `value` on context variable `name`, zeros elsewhere. */
function onOne(name: (typeof CONTEXT_NAMES)[number], value: number): number[] {
  const v = new Array<number>(K).fill(0);
  v[CONTEXT_NAMES.indexOf(name)] = value;
  return v;
}

/** A column standardised with the population SD, as the study standardises C. */
function standardised(x: Float64Array): number[] {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length);
  return Array.from(x, (v) => (v - m) / sd);
}

/** The message of the input error `f` throws. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MrsweepError) return e.message;
    throw e;
  }
  throw new Error("accepted");
}

describe("study DGP: pi_delta (instrument effects that vary with the context)", () => {
  const base = { n: 400, L: 4, seed: 21 };

  it("defaults to zeros, records no factor, and an explicit zero vector changes nothing", () => {
    const plain = simulate("study", base);
    const zeros = simulate("study", { ...base, pi_delta: new Array<number>(K).fill(0) });
    expect(plain.meta.params.pi_delta).toEqual(new Array<number>(K).fill(0));
    expect(plain.meta.pi_factor_individual).toBeNull();
    for (const name of plain.data.names) expect(col(zeros, name)).toEqual(col(plain, name));
  });

  it.each([false, true])(
    "records 1 + C_i . pi_delta per person and X moves by (G pi)_i (factor_i - 1) (context %s)",
    (context) => {
      const pd = onOne("bmi", 0.8);
      pd[CONTEXT_NAMES.indexOf("age")] = -0.3;
      const flat = simulate("study", { ...base, context });
      const varying = simulate("study", { ...base, context, pi_delta: pd });
      const bmi = standardised(col(flat, "bmi"));
      const age = standardised(col(flat, "age"));
      const factor = varying.meta.pi_factor_individual as number[];
      const pi = varying.meta.pi as number[];
      expect(pi).toEqual(flat.meta.pi);
      for (let i = 0; i < base.n; i++) {
        expect(factor[i]).toBeCloseTo(1 + 0.8 * (bmi[i] as number) - 0.3 * (age[i] as number), 12);
        let gpi = 0;
        for (let j = 0; j < base.L; j++) gpi += (col(flat, `G${j}`)[i] as number) * (pi[j] as number);
        const shift = (col(varying, "X")[i] as number) - (col(flat, "X")[i] as number);
        expect(shift).toBeCloseTo(gpi * ((factor[i] as number) - 1), 12);
      }
      // The draws are those of the flat dataset: only X and Y differ.
      for (const name of [...CONTEXT_NAMES, "G0", "G3"]) expect(col(varying, name)).toEqual(col(flat, name));
    },
  );

  it("gives each of two samples its own factors, standardised within the sample", () => {
    const s = simulate("study", { n: 300, L: 3, two_sample: true, pi_delta: onOne("sleep", 1), seed: 4 });
    const factor = s.meta.pi_factor_individual as number[];
    expect(factor).toHaveLength(600);
    const sleep = col(s, "sleep");
    for (const half of [0, 1]) {
      const z = standardised(sleep.subarray(half * 300, (half + 1) * 300));
      for (let i = 0; i < 300; i++) expect(factor[half * 300 + i]).toBeCloseTo(1 + (z[i] as number), 12);
    }
  });

  it("refuses a vector of the wrong length or with a non-finite element", () => {
    expect(refusal(() => simulate("study", { pi_delta: [1, 2, 3] }))).toMatch(
      /^study: parameter pi_delta length must be 10; got 3$/,
    );
    expect(refusal(() => simulate("study", { pi_delta: [0, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0] }))).toMatch(
      /^study: parameter pi_delta\[1\] must be a finite number; got NaN$/,
    );
    // @ts-expect-error: pi_delta is a list by its type too, refused when called from JavaScript
    expect(refusal(() => simulate("study", { pi_delta: "strong" }))).toMatch(
      /parameter pi_delta must be a list of numbers/,
    );
  });

  it("is a grid axis like delta: one cell per vector, and a bad vector refuses the config", () => {
    const config = {
      dgp: "study",
      params: { n: 300, L: 3 },
      grid: { pi_delta: [new Array<number>(K).fill(0), onOne("bmi", 1)] },
      replicates: 1,
      estimators: ["tsls"],
      seed: 1,
    };
    const grid = cells(parseSweepConfig(config));
    expect(grid.map((c) => c.values.pi_delta)).toEqual(config.grid.pi_delta);
    const bad = { ...config, grid: { pi_delta: [[1, 2]] } };
    expect(refusal(() => parseSweepConfig(bad))).toMatch(/pi_delta length must be 10; got 2/);
  });
});
