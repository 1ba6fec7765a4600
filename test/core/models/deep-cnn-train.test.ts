import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import type { DeepCnnShape } from "../../../src/models/deep-cnn.js";
import { DeepCnnInCore } from "../../../src/models/deep-cnn-core.js";
import { memberSeed, splitRows, trainDeepCnnEnsemble, trainDeepCnnMember } from "../../../src/models/deep-cnn-train.js";
import { earlyStopStart, earlyStopStep, restoreAfterLast } from "../../../src/models/early-stopping.js";
import { assertClose } from "../../helpers/assert-close.js";
import { caseBatch, caseInputs } from "../../helpers/deep-cnn-fixture.js";

const core = getCore();
const SMALL: DeepCnnShape = {
  length: 20,
  filters: 3,
  kernel: 3,
  layers: 2,
  dense1: 5,
  dense2: 4,
  outputs: 2,
  batch: 16,
  dtype: "f64",
};

/** Replays deep-mr §4's rule over scripted validation losses: epochs run, best epoch (0-based), and whether the best is restored. */
function replay(losses: number[], patience: number) {
  let s = earlyStopStart(patience);
  for (let e = 0; e < losses.length; e++) {
    const a = earlyStopStep(s, e, losses[e] as number, patience);
    s = a.next;
    if (a.stop) return { run: e + 1, best: s.bestEpoch, restored: true };
  }
  return { run: losses.length, best: s.bestEpoch, restored: restoreAfterLast(s, losses.length) };
}

describe("early stopping (deep-mr §4)", () => {
  it("stops when the patience runs out, restoring the best", () => {
    expect(replay([5, 4, 4.5, 4.6, 4.7, 9], 3)).toEqual({ run: 5, best: 1, restored: true });
  });
  it("treats a tie as an improvement (≤): it saves and resets the patience", () => {
    expect(replay([5, 4, 4.5, 4, 4.5, 4.6, 4.7, 1], 3)).toEqual({ run: 7, best: 3, restored: true });
  });
  it("restores after the last epoch unless the last was the best; NaN counts as no improvement", () => {
    expect(replay([5, 4, 3], 2)).toEqual({ run: 3, best: 2, restored: false });
    expect(replay([5, 3, 4], 2)).toEqual({ run: 3, best: 1, restored: true });
    expect(replay([5, Number.NaN, Number.NaN], 2)).toEqual({ run: 3, best: 0, restored: true });
  });
});

/** A learnable toy task: the targets count A's and G's in a window. */
function toyData(n: number, rand: () => number) {
  const codes = Uint8Array.from({ length: n * SMALL.length }, () => Math.floor(4 * rand()));
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const row = codes.subarray(i * SMALL.length, (i + 1) * SMALL.length);
    y[2 * i] = row.slice(5, 12).filter((c) => c === 0).length / 3;
    y[2 * i + 1] = row.filter((c) => c === 2).length / 8 + 0.1 * rand();
  }
  return { codes, y, n };
}

describe("training a member", () => {
  it("an epoch of n rows is the same as its batches in order, the last one smaller", () => {
    const { params, state } = caseInputs(SMALL);
    const { codes, y } = caseBatch(SMALL, 10, 400009);
    const index = [3, 1, 4, 0, 9, 2, 6, 5, 8, 7];
    const run = (parts: number[][]) =>
      core.scoped(() => {
        const m = new DeepCnnInCore(core, { ...SMALL, batch: 4 }, params, state);
        const [c, t] = [m.putCodes(codes), m.putTargets(y)];
        const losses = parts.map((p) => m.trainEpoch(c, t, m.putIndex(p), p.length));
        return { losses, params: m.readParams(), state: m.readState() };
      });
    const whole = run([index]);
    const parts = run([index.slice(0, 4), index.slice(4, 8), index.slice(8)]);
    assertClose(whole.params, parts.params, { rtol: 0, atol: 0 }, "parameters");
    assertClose(whole.state, parts.state, { rtol: 0, atol: 0 }, "running statistics");
    assertClose(
      whole.losses[0] as number,
      (parts.losses as number[]).reduce((a, b) => a + b) / 3,
      { rtol: 1e-15 },
      "mean batch loss",
    );
  });

  it("splits 12 500 rows into 10 625 and 1 875, a permutation", () => {
    const { train, validation } = splitRows(12500, 0.15, seedrandom("s"));
    expect([train.length, validation.length]).toEqual([10625, 1875]);
    expect(new Set([...train, ...validation]).size).toBe(12500);
  });

  it("learns, keeps the best epoch's weights, and is reproducible from its seed", () => {
    const data = toyData(400, seedrandom("toy"));
    const t = { epochs: 12, patience: 3, validationShare: 0.15 };
    const a = trainDeepCnnMember(core, SMALL, data, "member", t);
    const b = trainDeepCnnMember(core, SMALL, data, "member", t);
    expect(a.params).toEqual(b.params);
    expect(a.validationLoss).toEqual(b.validationLoss);
    expect(a.validationLoss.at(-1)).toBeLessThan(0.8 * (a.validationLoss[0] as number));
    expect(a.bestValidation).toBe(Math.min(...a.validationLoss));
    expect(a.validationLoss[a.bestEpoch - 1]).toBe(a.bestValidation);
    // the returned weights and statistics give the best validation loss again
    const { validation } = splitRows(400, 0.15, seedrandom("member"));
    const again = core.scoped(() => {
      const m = new DeepCnnInCore(core, SMALL, a.params, a.state);
      return m.evalLoss(m.putCodes(data.codes), m.putTargets(data.y), m.putIndex(validation), validation.length);
    });
    expect(again).toBe(a.bestValidation);
  });

  it("an ensemble's members come from distinct seeds derived from the task seed", () => {
    const data = toyData(120, seedrandom("toy2"));
    const t = { epochs: 2, patience: 10, validationShare: 0.15 };
    const e = trainDeepCnnEnsemble(core, SMALL, data, 42, 2, t);
    expect(e).toHaveLength(2);
    expect(e[0]?.params).not.toEqual(e[1]?.params);
    expect(e[1]?.params).toEqual(trainDeepCnnMember(core, SMALL, data, memberSeed(42, 2), t).params);
    expect(memberSeed(42, 1)).not.toBe(memberSeed(43, 1));
  });
});
