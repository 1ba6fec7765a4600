import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import type { DeepCnnShape } from "../../../src/models/deep-cnn.js";
import { DeepCnnInCore } from "../../../src/models/deep-cnn-core.js";
import { passSeed } from "../../../src/models/deep-cnn-dropout.js";
import { ismFast, ismNaive, ismPasses } from "../../../src/models/deep-cnn-predict.js";
import { splitRows, trainDeepCnnMember } from "../../../src/models/deep-cnn-train.js";
import { assertClose } from "../../helpers/assert-close.js";
import {
  caseBatch,
  caseInputs,
  caseShape,
  deepCnnFixture,
  PAPER_ISM_SHAPE,
  SMALL_ISM_SHAPE,
} from "../../helpers/deep-cnn-fixture.js";
import { gradCheck } from "../../helpers/gradcheck.js";

/**
 * The Deep MR CNN's dropout layers (mc_dropout, assembly/models/deep-cnn-dropout.ts): the training
 * gradient through fixed masks by central differences, and fast ISM against the naive pass with one
 * mask per layer shared by the 4L rows, in both BatchNorm modes. The layer kernel itself
 * (assembly/nn/dropout.ts, inverted scaling 1/(1 − p)) is checked against torch in test/core/nn/dropout.test.ts.
 */
const core = getCore();

const PAPER: DeepCnnShape = { ...PAPER_ISM_SHAPE, dropout: 0.1 };
const SMALL: DeepCnnShape = { ...SMALL_ISM_SHAPE, dropout: 0.3 };

/**
 * The train-mode loss of a batch with training dropout, every evaluation from the same mask stream
 * (fixed masks); with `fd`, the worst central-difference error of its gradient.
 */
function droppedLoss(s: DeepCnnShape, n: number, seed: string, fd = false) {
  const { params, state } = caseInputs(s);
  return core.scoped(() => {
    const m = new DeepCnnInCore(core, s, params, state);
    const b = caseBatch(s, n, 300007);
    const [codes, y] = [m.putCodes(b.codes), m.putTargets(b.y)];
    const at = (p: Float64Array, gradient = false, dropout = true) => {
      m.writeParams(p);
      m.writeState(state);
      m.seedDropout(seed);
      return m.loss(codes, y, 0, n, true, gradient, true, dropout);
    };
    const loss = at(params, true);
    const grad = m.readGrads();
    const worst = fd ? gradCheck((p) => at(p), params.slice(), grad) : null;
    return { loss, worst, plain: at(params, false, false) };
  });
}

describe("the Deep MR CNN with dropout: training gradient through fixed masks (f64)", () => {
  it("matches central differences in every coordinate at the small size, p = 0.3, a mask per row", () => {
    const s = { ...caseShape(deepCnnFixture.small as never), batch: 7, dropout: 0.3 };
    const r = droppedLoss(s, 7, "fd masks", true);
    expect(r.loss).not.toBe(r.plain);
    expect(r.worst?.worst, JSON.stringify(r.worst)).toBeLessThan(1e-6);
  });

  it("without the mask stream the network is the one without dropout layers; other seeds, other masks", () => {
    const s = { ...caseShape(deepCnnFixture.small as never), batch: 7 };
    const off = droppedLoss(s, 7, "x").plain;
    expect(droppedLoss({ ...s, dropout: 0.3 }, 7, "x").plain).toBe(off);
    const a = droppedLoss({ ...s, dropout: 0.3 }, 7, "a").loss;
    expect(droppedLoss({ ...s, dropout: 0.3 }, 7, "a").loss).toBe(a);
    expect(droppedLoss({ ...s, dropout: 0.3 }, 7, "b").loss).not.toBe(a);
  });
});

describe("training with dropout", () => {
  it("is reproducible, differs from training without, and validates without dropout (eval mode)", () => {
    const s = { ...SMALL, length: 20, batch: 16 };
    const b = caseBatch(s, 200, 800011);
    const data = { codes: b.codes, y: b.y, n: 200 };
    const t = { epochs: 4, patience: 10, validationShare: 0.15 };
    const a = trainDeepCnnMember(core, s, data, "member", t);
    expect(trainDeepCnnMember(core, s, data, "member", t).params).toEqual(a.params);
    const plain = trainDeepCnnMember(core, { ...s, dropout: 0 }, data, "member", t);
    expect(plain.params).not.toEqual(a.params);
    // the returned weights give the best validation loss again through the network without dropout layers
    const { validation } = splitRows(200, 0.15, seedrandom("member"));
    const again = core.scoped(() => {
      const m = new DeepCnnInCore(core, { ...s, dropout: 0 }, a.params, a.state);
      return m.evalLoss(m.putCodes(data.codes), m.putTargets(data.y), m.putIndex(validation), validation.length);
    });
    expect(again).toBe(a.bestValidation);
  });
});

describe("fast ISM equals the naive pass under shared MC-dropout masks (f64)", () => {
  for (const [name, s] of [
    ["paper", PAPER],
    ["small", SMALL],
  ] as const) {
    for (const bn of ["batch", "running"] as const) {
      it(`${name}, BatchNorm ${bn}: outputs to 1e-12 relative, running statistics after`, () => {
        const weights = caseInputs(s);
        const seq = caseBatch(s, 1, 600011).codes;
        const seed = passSeed("test model", 3, 1);
        const naive = ismNaive(core, s, weights, seq, bn, seed);
        const fast = ismFast(core, s, weights, seq, bn, seed);
        const scale = Math.max(...naive.y.map(Math.abs));
        assertClose(fast.y, naive.y, { rtol: 1e-12, atol: 1e-12 * scale }, `${name} ${bn} outputs`);
        assertClose(fast.state, naive.state, { rtol: 1e-12, atol: 1e-15 }, `${name} ${bn} running statistics`);
        // the masks act: the pass differs from the network without dropout, and from another pass
        const plain = ismFast(core, s, weights, seq, bn).y;
        const other = ismFast(core, s, weights, seq, bn, passSeed("test model", 3, 2)).y;
        expect(Math.max(...fast.y.map((v, i) => Math.abs(v - (plain[i] as number))))).toBeGreaterThan(1e-3 * scale);
        expect(Math.max(...fast.y.map((v, i) => Math.abs(v - (other[i] as number))))).toBeGreaterThan(1e-3 * scale);
      });
    }
  }

  it("passes are independent of each other: ismPasses stacks the single passes, each from the trained state", () => {
    const weights = caseInputs(SMALL);
    const seq = caseBatch(SMALL, 1, 700001).codes;
    const seeds = [1, 2, 3].map((p) => passSeed("m", 0, p));
    const all = ismPasses(core, SMALL, weights, seq, "batch", seeds).draws;
    const size = 4 * SMALL.length * SMALL.outputs;
    seeds.forEach((seed, k) => {
      const one = ismFast(core, SMALL, weights, seq, "batch", seed).y;
      assertClose(all.subarray(k * size, (k + 1) * size), one, { rtol: 0, atol: 0 }, `pass ${k + 1}`);
    });
  });
});
