import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { deepCnnLayout, paperCnn, putDeepCnnDescriptor } from "../../../src/models/deep-cnn.js";
import { DeepCnnInCore } from "../../../src/models/deep-cnn-core.js";
import { assertClose } from "../../helpers/assert-close.js";
import { caseBatch, caseInputs, caseShape, type DeepCnnCase, deepCnnFixture } from "../../helpers/deep-cnn-fixture.js";

/**
 * assembly/models/deep-cnn*.ts against PyTorch float64 (test/fixtures/deep-cnn/make_deep_cnn.py):
 * the whole network at a small size and at the paper's size, on one batch: forward, loss, every
 * gradient, the running statistics, one AMSGrad step; then batch-mode and running-mode predictions.
 */
const core = getCore();
const TOL = { rtol: 1e-10, atol: 1e-13 };

/** Places the case's model in the core and runs `body` on it (inside a scope). */
function withCase<R>(c: DeepCnnCase, body: (m: DeepCnnInCore, first: number[], second: number[]) => R): R {
  const s = caseShape(c);
  const { params, state } = caseInputs(s);
  return core.scoped(() => {
    const m = new DeepCnnInCore(core, s, params, state);
    const a = caseBatch(s, c.shape.batch, 100003);
    const b = caseBatch(s, c.shape.batch2, 200003);
    return body(m, [m.putCodes(a.codes), m.putTargets(a.y)], [m.putCodes(b.codes), m.putTargets(b.y)]);
  });
}

describe("the Deep MR CNN against PyTorch (float64)", () => {
  it("has the paper's 41 627 parameters (deep-mr §4) and 90 running statistics", () => {
    const l = deepCnnLayout(paperCnn());
    expect(l.count).toBe(41627);
    expect(l.stateCount).toBe(90);
    const count = core.scoped(() => core.wasm.deep_cnn_param_count(putDeepCnnDescriptor(core, paperCnn())));
    expect(count).toBe(41627);
  });

  it.each(Object.keys(deepCnnFixture))(
    "%s: train-mode outputs, loss, every gradient and the running statistics to 1e-10",
    (name) => {
      const c = deepCnnFixture[name] as DeepCnnCase;
      withCase(c, (m, [codes, y]) => {
        const before = m.readState();
        const out = m.predict(codes, 0, c.shape.batch, "batch");
        assertClose(out, c.out, TOL, `${name} outputs`);
        assertClose(m.readState(), c.state, TOL, `${name} running statistics`);
        m.writeState(before);
        const loss = m.loss(codes, y, 0, c.shape.batch, true, true);
        assertClose(loss, c.loss, TOL, `${name} loss`);
        assertClose(m.readGrads(), c.grad, TOL, `${name} gradient`);
        assertClose(m.readState(), c.state, TOL, `${name} running statistics after the loss`);
      });
    },
  );

  it.each(Object.keys(deepCnnFixture))(
    "%s: one AMSGrad epoch step, then batch- and running-mode predictions",
    (name) => {
      const c = deepCnnFixture[name] as DeepCnnCase;
      withCase(c, (m, [codes, y], [codes2, y2]) => {
        const p0 = m.readParams();
        const index = m.putIndex(Array.from({ length: c.shape.batch }, (_, i) => i));
        const loss = m.trainEpoch(codes, y, index, c.shape.batch);
        assertClose(loss, c.loss, TOL, `${name} epoch loss`);
        assertClose(m.readState(), c.state, TOL, `${name} running statistics after the epoch`);
        const step = m.readParams().map((p, i) => p - (p0[i] as number));
        // atol: the convolution biases feed a BatchNorm, so their gradient is 0 up to rounding (~1e-17),
        // and AMSGrad turns that noise into steps of ~1e-12 whose sign is the noise's.
        assertClose(step, c.step, { rtol: 1e-9, atol: 1e-10 }, `${name} AMSGrad step`);
        assertClose(m.readGrads(), new Float64Array(m.count), { atol: 0 }, `${name} gradient zeroed by the step`);
        // predict from torch's stepped parameters, so that the biases' noise steps do not reach the statistics
        m.writeParams(p0.map((p, i) => p + (c.step[i] as number)));
        const n2 = c.shape.batch2;
        assertClose(m.predict(codes2, 0, n2, "batch"), c.predict_batch, TOL, `${name} batch-mode predictions`);
        assertClose(m.readState(), c.state_after_predict, TOL, `${name} running statistics after predicting`);
        const kept = m.readState();
        assertClose(m.predict(codes2, 0, n2, "running"), c.predict_running, TOL, `${name} running-mode predictions`);
        assertClose(m.readState(), kept, { rtol: 0, atol: 0 }, `${name} running mode leaves the statistics`);
        assertClose(m.evalLoss(codes2, y2, 0, n2), c.eval_loss, TOL, `${name} eval-mode loss`);
      });
    },
  );
});
