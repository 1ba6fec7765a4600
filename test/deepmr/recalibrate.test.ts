import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  applyRecalibration,
  fitRecalibration,
  fitRecalibrations,
  memberMoments,
  recalibrateDraws,
} from "../../src/deepmr/recalibrate.js";
import { normalQuantile } from "../../src/stats/normal.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

// Written by `/usr/bin/python3 test/fixtures/deep-mr/make-recalibrate.py` (numpy 1.24.2, scipy 1.10.1, sklearn 1.2.1).
const fx = JSON.parse(readFileSync(new URL("../fixtures/deep-mr/recalibrate.json", import.meta.url), "utf8")) as {
  members: number;
  test_predictions: number[];
  y: number[];
  expected: number[];
  observed: number[];
  x_thresholds: number[];
  y_thresholds: number[];
  batch: number[];
  recalibrated: number[];
};

const density = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

describe("fitRecalibration equals uncertainty-toolbox's steps (numpy + sklearn)", () => {
  const model = fitRecalibration(Float64Array.from(fx.test_predictions), fx.members, fx.y);

  it("p_k, o_k and the isotonic knots match exactly, fitted values to 1e-14", () => {
    expect(Array.from(model.expected)).toEqual(fx.expected);
    expect(Array.from(model.observed)).toEqual(fx.observed);
    expect(Array.from(model.iso.x)).toEqual(fx.x_thresholds);
    assertClose(model.iso.y, fx.y_thresholds, { rtol: 1e-14, atol: 1e-16 }, "fitted p");
  });

  it("applied to a batch with an s = 0 row and extreme u, P' matches to the precision Phi^-1 allows", () => {
    const out = applyRecalibration(model, Float64Array.from(fx.batch), fx.members);
    const { m, s } = memberMoments(Float64Array.from(fx.batch), fx.members);
    const rows = m.length;
    for (let k = 0; k < out.length; k++) {
      const i = k % rows;
      const si = s[i] as number;
      const expected = fx.recalibrated[k] as number;
      // Phi and the interpolation agree to ~1e-16 in u'; Phi^-1 turns that into 1e-16 / phi(z) in z.
      const z = si > 0 ? (expected - (m[i] as number)) / si : 0;
      const atol = 1e-12 * Math.abs(expected) + si * (1e-12 + 4e-16 / density(z));
      assertClose(out[k] as number, expected, { rtol: 0, atol }, `P' [member ${Math.floor(k / rows)}, row ${i}]`);
    }
    expect(out[10]).toBe(1.25);
  });
});

describe("recalibration edge cases", () => {
  it("memberMoments uses the divisor = members", () => {
    const { m, s } = memberMoments(Float64Array.from([1, 10, 3, 10]), 2);
    expect(Array.from(m)).toEqual([2, 10]);
    expect(Array.from(s)).toEqual([1, 0]);
  });

  it("a calibrated identity map leaves predictions unchanged; u' is clamped to [1e-12, 1 - 1e-12]", () => {
    const identity = {
      expected: new Float64Array(),
      observed: new Float64Array(),
      iso: { x: Float64Array.from([0, 1]), y: Float64Array.from([0, 1]) },
    };
    const p = Float64Array.from([0.1, 0.5, 0.3, 0.9, 0.2, 0.7]);
    assertClose(applyRecalibration(identity, p, 3), p, { rtol: 1e-13 }, "identity");
    const squash = { ...identity, iso: { x: Float64Array.from([0, 1]), y: Float64Array.from([0, 0]) } };
    const out = applyRecalibration(squash, Float64Array.from([0, 2]), 2);
    assertClose(out, [1 + normalQuantile(1e-12), 1 + normalQuantile(1e-12)], { rtol: 1e-15 }, "clamped");
  });

  it("recalibrateDraws applies each output's map to its own [member][row] plane", () => {
    const members = 3;
    const rows = 8;
    const draws = uniforms("draws", members * rows * 2);
    const y0 = uniforms("y0", 30);
    const y1 = uniforms("y1", 30);
    const models = [
      fitRecalibration(uniforms("t0", members * 30), members, y0),
      fitRecalibration(uniforms("t1", members * 30), members, y1),
    ];
    const out = recalibrateDraws(models, draws, members);
    for (let o = 0; o < 2; o++) {
      const plane = Float64Array.from({ length: members * rows }, (_, k) => draws[k * 2 + o] as number);
      const expected = applyRecalibration(models[o] as (typeof models)[0], plane, members);
      expect(Array.from({ length: members * rows }, (_, k) => out[k * 2 + o])).toEqual(Array.from(expected));
    }
  });

  it("fitRecalibrations fits each output from [member][sequence][output] predictions and [sequence][output] targets", () => {
    const members = 3;
    const n = 40;
    const p = uniforms("fit-p", members * n * 2);
    const y = uniforms("fit-y", n * 2);
    const models = fitRecalibrations(p, members, 2, y);
    for (let o = 0; o < 2; o++) {
      const single = fitRecalibration(
        Float64Array.from({ length: members * n }, (_, k) => p[2 * k + o] as number),
        members,
        Float64Array.from({ length: n }, (_, i) => y[2 * i + o] as number),
      );
      expect(Array.from(models[o]?.observed ?? [])).toEqual(Array.from(single.observed));
    }
    expect(() => fitRecalibrations(p, members, 2, y.subarray(2))).toThrow(
      /the number of predictions must be 234 \(members x targets\); got 240/,
    );
  });

  it("rejects bad shapes with the one message format", () => {
    expect(() => memberMoments(new Float64Array(5), 2)).toThrow(
      /^deep MR recalibration: the number of predictions must be a multiple of 2/,
    );
    expect(() => fitRecalibration(new Float64Array(6), 3, [1])).toThrow(
      /the number of targets must be 2 \(one per sequence\); got 1/,
    );
    expect(() => memberMoments(new Float64Array(4), 0)).toThrow(/the number of members must be an integer >= 1; got 0/);
  });
});
