import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { ismBatch, ismFast, ismNaive } from "../../../src/models/deep-cnn-predict.js";
import { assertClose } from "../../helpers/assert-close.js";
import { caseBatch, caseInputs, PAPER_ISM_SHAPE, SMALL_ISM_SHAPE } from "../../helpers/deep-cnn-fixture.js";

/** Fast ISM (deep-mr §11) against the naive 4L-row forward pass, f64, both BatchNorm modes. */
const core = getCore();

const PAPER = PAPER_ISM_SHAPE;
const SMALL = SMALL_ISM_SHAPE;

describe("ISM rows", () => {
  it("row 4l + b holds base b at position l and the sequence elsewhere", () => {
    const seq = Uint8Array.from([2, 0, 3]);
    const rows = ismBatch(seq);
    expect(rows.length).toBe(4 * 3 * 3);
    expect(Array.from(rows.subarray((4 * 1 + 2) * 3, (4 * 1 + 3) * 3))).toEqual([2, 2, 3]);
    expect(Array.from(rows.subarray((4 * 2 + 3) * 3, (4 * 2 + 4) * 3))).toEqual([2, 0, 3]);
  });
});

describe("fast ISM equals the naive pass (f64)", () => {
  for (const [name, s] of [
    ["paper", PAPER],
    ["small", SMALL],
  ] as const) {
    for (const bn of ["batch", "running"] as const) {
      it(`${name}, BatchNorm ${bn}: outputs to 1e-12 relative, running statistics after`, () => {
        const weights = caseInputs(s);
        const seq = caseBatch(s, 1, 600011).codes;
        const naive = ismNaive(core, s, weights, seq, bn);
        const fast = ismFast(core, s, weights, seq, bn);
        const scale = Math.max(...naive.y.map(Math.abs));
        assertClose(fast.y, naive.y, { rtol: 1e-12, atol: 1e-12 * scale }, `${name} ${bn} outputs`);
        assertClose(fast.state, naive.state, { rtol: 1e-12, atol: 1e-15 }, `${name} ${bn} running statistics`);
        if (bn === "running") assertClose(fast.state, weights.state, { rtol: 0, atol: 0 }, "running mode leaves them");
      });
    }
  }
});
