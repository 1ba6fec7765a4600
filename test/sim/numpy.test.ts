import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { getColumn } from "../../src/data/frame.js";
import { generateState } from "../../src/sim/numpy/seed-sequence.js";
import { numpyStream } from "../../src/sim/numpy/stream.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

const STUDY = fixturePath("study");
const ref = JSON.parse(readFileSync(join(STUDY, "rng-stream.json"), "utf8"));
const core = getCore();
const fresh = () => numpyStream(7, core);

describe("numpy backend: np.random.default_rng(7) streams (test/fixtures/study/rng-stream.json)", () => {
  it("SeedSequence(7) words are deterministic 32-bit values", () => {
    const w = generateState(7, 8);
    expect(w).toHaveLength(8);
    expect(Array.from(w).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
  });

  it("raw outputs", () => {
    expect(fresh().randomRaw(8)).toEqual(ref.random_raw_u64_hex);
  });

  it("doubles", () => {
    expect(Array.from(fresh().random(8))).toEqual(ref.random_double);
  });

  it("standard normals (ziggurat)", () => {
    expect(Array.from(fresh().normal(0, 1, 8))).toEqual(ref.standard_normal);
  });

  it("integers(12, 50)", () => {
    expect(Array.from(fresh().integers(12, 50, 8))).toEqual(ref.integers_12_50);
  });

  it("binomial(2, 0.3)", () => {
    expect(Array.from(fresh().binomialMatrix(2, new Float64Array([0.3]), 16))).toEqual(ref["binomial_2_0.3"]);
  });

  it("the study cell n = 1000, L = 5: MAFs, pi and the first U values", () => {
    const sim = simulate("study", { n: 1000, L: 5, context: true, seed: 7 }, { rng: "numpy" });
    const extra = ref.extra_cell_n1000_L5_seed7;
    expect(sim.meta.mafs).toEqual(extra.maf);
    expect(sim.meta.pi).toEqual(extra.pi);
    expect(sim.meta.rng).toBe("numpy-pcg64");
  });
});

describe("numpy backend: the study's own dataset", () => {
  it("simulate --rng numpy reproduces dataset-n1000-L5-context.csv (integers exactly, floats to 1e-12)", async () => {
    const want = await readFrame(join(STUDY, "dataset-n1000-L5-context.csv"));
    const sim = simulate("study", { n: 1000, L: 5, context: true, seed: 7 }, { rng: "numpy" });
    expect(sim.data.names).toEqual(want.names);
    want.names.forEach((name, j) => {
      const got = getColumn(sim.data, name) as Float64Array;
      if (want.integer[j]) expect(Array.from(got)).toEqual(Array.from(want.columns[j] as Float64Array));
      else assertClose(got, want.columns[j] as Float64Array, { rtol: 1e-12 }, `column ${name}`);
    });
  });
});
