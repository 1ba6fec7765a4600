import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { type EncoderConfig, initParams, trainSplit } from "../../src/estimators/encoder.js";
import { PRESETS } from "../../src/estimators/encoder-presets.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();
const w = core.wasm;

interface Net {
  p: number;
  width: number;
  layers: number;
  archetypes: number;
}

/** Loss and gradient of the mean squared error over all n rows, at the given parameters. */
function lossAndGrad(net: Net, params: Float64Array, c: Float64Array, x: Float64Array, y: Float64Array) {
  const n = x.length;
  const outDim = net.archetypes > 0 ? net.archetypes : 2;
  return core.scoped(() => {
    const pp = core.put(params);
    const pg = core.alloc(params.length);
    const order = core.alloc(Math.ceil(n / 2));
    new Int32Array(w.memory.buffer, order, n).set(Int32Array.from({ length: n }, (_, i) => i));
    const work = core.alloc(w.mlp_work_size(net.width, net.layers, outDim));
    const args = [net.p, net.width, net.layers, outDim, net.archetypes] as const;
    const pc = core.put(c);
    const px = core.put(x);
    const py = core.put(y);
    const loss = w.mlp_gradient(...args, pp, pg, pc, px, py, order, n, work);
    const mse = w.mlp_mse(...args, pp, pc, px, py, order, n, work);
    return { loss, mse, grad: core.read(pg, params.length) };
  });
}

describe("MLP backward pass", () => {
  for (const net of [
    { p: 3, width: 4, layers: 2, archetypes: 0 },
    { p: 5, width: 6, layers: 1, archetypes: 0 },
    { p: 3, width: 5, layers: 0, archetypes: 0 },
    { p: 4, width: 5, layers: 2, archetypes: 3 },
  ]) {
    it(`matches central finite differences to 1e-6 (p ${net.p}, width ${net.width}, layers ${net.layers}, archetypes ${net.archetypes})`, () => {
      const n = 9;
      const c = uniforms(`c${net.p}`, n * net.p);
      const x = uniforms(`x${net.p}`, n);
      const y = uniforms(`y${net.p}`, n);
      const cfg = {
        ...(PRESETS.small as EncoderConfig),
        width: net.width,
        layers: net.layers,
        archetypes: net.archetypes,
      };
      let k = 0;
      const params = initParams(net.p, cfg, () => ((k++ * 0.6180339887) % 1) * 0.9 + 0.05).map((v) => v * 3);
      const base = lossAndGrad(net, params, c, x, y);
      expect(base.loss).toBeCloseTo(base.mse, 14);
      const h = 1e-6;
      params.forEach((_, j) => {
        const up = Float64Array.from(params);
        const down = Float64Array.from(params);
        up[j] = (up[j] as number) + h;
        down[j] = (down[j] as number) - h;
        const fd = (lossAndGrad(net, up, c, x, y).mse - lossAndGrad(net, down, c, x, y).mse) / (2 * h);
        assertClose(base.grad[j] as number, fd, { rtol: 1e-6, atol: 1e-8 }, `d loss / d param ${j}`);
      });
    });
  }
});

describe("Adam", () => {
  it("two steps equal the hand-computed torch update", () => {
    const p0 = [0.5, -1.25, 2, 0.001, -0.3];
    const g1 = [0.1, -0.2, 3, -0.004, 0];
    const g2 = [-0.05, 0.1, 1, 0.002, 0.7];
    const lr = 0.01;
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const expected = [...p0];
    const m = p0.map(() => 0);
    const v = p0.map(() => 0);
    for (const scalar of [false, true]) {
      core.scoped(() => {
        const pp = core.put(p0);
        const pg = core.alloc(5);
        const pm = core.put(m);
        const pv = core.put(v);
        [g1, g2].forEach((g, step) => {
          core.view(pg, 5).set(g);
          (scalar ? w.adam_step_scalar : w.adam_step)(5, pp, pg, pm, pv, step + 1, lr, b1, b2, eps);
          expect(Array.from(core.view(pg, 5))).toEqual([0, 0, 0, 0, 0]);
        });
        const em = [...m];
        const ev = [...v];
        const ep = [...expected];
        [g1, g2].forEach((g, step) => {
          const t = step + 1;
          for (let j = 0; j < 5; j++) {
            const gj = g[j] as number;
            em[j] = (em[j] as number) + (1 - b1) * (gj - (em[j] as number));
            ev[j] = b2 * (ev[j] as number) + (1 - b2) * gj * gj;
            const denom = Math.sqrt(ev[j] as number) / Math.sqrt(1 - b2 ** t) + eps;
            ep[j] = (ep[j] as number) - (lr / (1 - b1 ** t)) * ((em[j] as number) / denom);
          }
        });
        assertClose(core.view(pp, 5), ep, { rtol: 1e-15, atol: 1e-18 }, `params (${scalar ? "scalar" : "SIMD"})`);
        assertClose(core.view(pm, 5), em, { rtol: 1e-15 }, "first moment");
        assertClose(core.view(pv, 5), ev, { rtol: 1e-15 }, "second moment");
      });
    }
  });
});

describe("training semantics", () => {
  const n = 60;
  const p = 2;
  const c = uniforms("es-c", n * p);
  const x = uniforms("es-x", n).map((v) => v + 2);
  // Training rows (0..39) follow y = x, validation rows (40..59) y = -3x. From an initialisation that
  // predicts about 0, every epoch moves predictions towards +x, so validation loss rises each epoch.
  const y = Float64Array.from(x, (v, i) => (i < 40 ? v : -3 * v));
  const data = { n, p, c, x, y };
  const train = Int32Array.from({ length: 40 }, (_, i) => i);
  const val = Int32Array.from({ length: 20 }, (_, i) => 40 + i);
  const cfg: EncoderConfig = { ...(PRESETS["study-small"] as EncoderConfig), lr: 0.01 };
  const init = initParams(
    p,
    cfg,
    (() => {
      let k = 0;
      return () => (k++ * 0.7548776662) % 1;
    })(),
  ).map((v) => v * 0.01);

  it("stops at the first epoch that does not improve and restores the best epoch's weights", () => {
    const full = trainSplit(core, data, cfg, { train, val, init, rand: Math.random });
    const one = trainSplit(core, data, { ...cfg, max_epochs: 1 }, { train, val, init, rand: Math.random });
    expect(full.epochs).toBe(2);
    expect(full.stopped).toBe(true);
    expect(one.stopped).toBe(false);
    expect(Array.from(full.beta)).toEqual(Array.from(one.beta));
    expect(full.valMse).toBe(one.valMse);
  });

  it("patience 3 runs three epochs past the best", () => {
    const r = trainSplit(core, data, { ...cfg, patience: 3 }, { train, val, init, rand: Math.random });
    expect(r.epochs).toBe(4);
  });

  it("SIMD and scalar epochs agree", () => {
    const outDim = 2;
    const args = [p, cfg.width, cfg.layers, outDim, 0] as const;
    const run = (simd: boolean) =>
      core.scoped(() => {
        const nParams = w.mlp_param_count(...args);
        const pp = core.put(init);
        const zeros = new Float64Array(nParams);
        const [pg, pm, pv] = [core.put(zeros), core.put(zeros), core.put(zeros)];
        const t = core.put([0]);
        const order = core.alloc(20);
        new Int32Array(w.memory.buffer, order, 40).set(train);
        const work = core.alloc(w.mlp_work_size(cfg.width, cfg.layers, outDim));
        w.mlp_train_epoch(
          ...args,
          pp,
          pg,
          pm,
          pv,
          t,
          0.01,
          core.put(c),
          core.put(x),
          core.put(y),
          order,
          40,
          4,
          work,
          simd,
        );
        return core.read(pp, nParams);
      });
    assertClose(run(true), run(false), { rtol: 1e-12, atol: 1e-14 }, "parameters after one epoch");
  });
});
