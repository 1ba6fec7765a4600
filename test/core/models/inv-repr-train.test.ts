import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { type InvReprShape, invReprHyper } from "../../../src/models/inv-repr.js";
import { batchIndex, type InvReprRun, trainInvRepr } from "../../../src/models/inv-repr-train.js";
import { uniforms } from "../../helpers/random.js";

/** src/models/inv-repr-train.ts: environment-balanced index tables and the training loop. */
const core = getCore();

describe("batchIndex", () => {
  it("lays each batch out environment by environment, each row from its environment's bank; drops a partial batch", () => {
    const banks = [Int32Array.from([0, 1, 2]), Int32Array.from([10, 11]), Int32Array.from([20, 21, 22, 23])];
    const idx = batchIndex(banks, 4, 11, seedrandom("bi"));
    expect(idx.length).toBe(2 * 4 * 3); // floor(11 / 4) = 2 batches of 4 items x 3 environments
    for (let s = 0; s < 2; s++) {
      for (let e = 0; e < 3; e++) {
        for (let i = 0; i < 4; i++) expect(banks[e]).toContain(idx[(s * 3 + e) * 4 + i]);
      }
    }
    expect(new Set(idx).size).toBeGreaterThan(3);
  });
});

describe("trainInvRepr", () => {
  // Two environments whose Z means differ: 40 rows each, 30 training and 10 validation.
  const shape: InvReprShape = {
    inputs: 3,
    width: 5,
    pv: 1,
    pw: 1,
    decoderDegree: 2,
    environments: 2,
    items: 5,
    kernelDegree: 2,
    dtype: "f64",
    decoder: "poly",
    predictor: false,
  };
  const z = Float64Array.from(uniforms("itz", 80 * 3), (v, k) => v + (k >= 120 ? 0.8 : 0));
  const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
  const run = (seed: string, epochs: number): InvReprRun => ({
    z,
    train: [range(0, 30), range(40, 70)],
    validation: [range(30, 40), range(70, 80)],
    trainItems: 30,
    validationItems: 10,
    epochs,
    adam: [1e-2, 0.9, 0.999, 1e-8, 1e-4],
    lastEpochs: 3,
    rand: seedrandom(seed),
  });

  it("is reproducible from its seed; the score is the mean validation L_inv of the last epochs", () => {
    const a = trainInvRepr(core, shape, invReprHyper(5, 1), run("s", 8));
    const b = trainInvRepr(core, shape, invReprHyper(5, 1), run("s", 8));
    const c = trainInvRepr(core, shape, invReprHyper(5, 1), run("t", 8));
    expect(a.params).toEqual(b.params);
    expect(a.params).not.toEqual(c.params);
    expect(a.validationInv).toHaveLength(8);
    expect(a.validationInv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    const last = a.validationInv.slice(5);
    expect(a.score).toBeCloseTo(last.reduce((s, v) => s + v, 0) / 3, 14);
    expect(a.lastTerms.every(Number.isFinite)).toBe(true);
  });

  it("training moves the parameters and lowers the reconstruction term", () => {
    const short = trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 1));
    const long = trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 60));
    expect(long.lastTerms[0] as number).toBeLessThan(short.lastTerms[0] as number);
  });
});
