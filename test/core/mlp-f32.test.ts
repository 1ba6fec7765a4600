import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { type EncoderConfig, initParams, trainSplit } from "../../src/estimators/encoder.js";
import { precisionOf } from "../../src/estimators/encoder-precision.js";
import { PRESETS } from "../../src/estimators/encoder-presets.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

/** The f32 encoder (f32x4 SIMD): its gradient, its SIMD/scalar agreement and its fits against f64's. */
const core = getCore();
const w = core.wasm;
const f32 = precisionOf("f32");
const net = { p: 4, width: 6, layers: 2, archetypes: 0 };
const args = [net.p, net.width, net.layers, 2, 0] as const;
const n = 11;
const c = uniforms("c32", n * net.p);
const x = uniforms("x32", n);
const y = uniforms("y32", n);
const cfg: EncoderConfig = { ...(PRESETS.small as EncoderConfig), width: net.width, layers: net.layers };

/** Runs `fn` with the row order 0..n-1 and a work buffer of the precision, then frees both. */
function withOrder<T>(fn: (order: number, work: number) => T, precision: "f64" | "f32" = "f32"): T {
  return core.scoped(() => {
    const order = core.alloc(Math.ceil(n / 2));
    new Int32Array(w.memory.buffer, order, n).set(Int32Array.from({ length: n }, (_, i) => i));
    return fn(order, precisionOf(precision).alloc(core, w.mlp_work_size(net.width, net.layers, 2)));
  });
}

/** The MSE over all rows and its gradient at `params`, in the given precision (inputs rounded to it). */
function lossAndGrad(precision: "f64" | "f32", params: Float64Array) {
  const num = precisionOf(precision);
  const [gradient, mse] = precision === "f32" ? [w.mlp_gradient_f32, w.mlp_mse_f32] : [w.mlp_gradient, w.mlp_mse];
  return withOrder((order, work) => {
    const [pp, pc, px, py] = [params, c, x, y].map((a) => num.put(core, a)) as [number, number, number, number];
    const pg = num.alloc(core, params.length);
    const loss = gradient(...args, pp, pg, pc, px, py, order, n, work);
    return { loss, mse: mse(...args, pp, pc, px, py, order, n, work), grad: num.read(core, pg, params.length) };
  }, precision);
}

describe("f32 encoder", () => {
  it("backward pass matches central finite differences to 1e-3 (differences of the f64 loss at the same f32 point)", () => {
    // Differences of the f32 loss itself are too noisy for 1e-3: its rounding (~1e-7 of a loss of
    // about 4) divided by a step small enough to stay off ReLU kinks is ~1e-3 of the gradient.
    let k = 0;
    const params = Float64Array.from(
      initParams(net.p, cfg, () => ((k++ * 0.6180339887) % 1) * 0.9 + 0.05),
      (v) => Math.fround(3 * v),
    );
    const base = lossAndGrad("f32", params);
    expect(base.loss).toBeCloseTo(base.mse, 5);
    const h = 1e-6;
    for (let j = 0; j < params.length; j++) {
      const up = Float64Array.from(params);
      const down = Float64Array.from(params);
      up[j] = (up[j] as number) + h;
      down[j] = (down[j] as number) - h;
      const fd = (lossAndGrad("f64", up).mse - lossAndGrad("f64", down).mse) / (2 * h);
      assertClose(base.grad[j] as number, fd, { rtol: 1e-3, atol: 1e-5 }, `d loss / d param ${j}`);
    }
  });

  it("an epoch with f32x4 SIMD equals the scalar f32 epoch to f32 rounding", () => {
    const init = initParams(net.p, cfg, () => 0.37);
    const epoch = (simd: boolean) =>
      withOrder((order, work) => {
        const zeros = new Float64Array(init.length);
        const [pp, pg, pm, pv] = [init, zeros, zeros, zeros].map((a) => f32.put(core, a)) as number[];
        const [pc, px, py] = [c, x, y].map((a) => f32.put(core, a)) as number[];
        const t = core.put([0]);
        w.mlp_train_epoch_f32(
          ...args,
          pp as number,
          pg as number,
          pm as number,
          pv as number,
          t,
          1e-2,
          pc as number,
          px as number,
          py as number,
          order,
          n,
          3,
          work,
          simd,
        );
        return f32.read(core, pp as number, init.length);
      });
    const simd = epoch(true);
    const scalar = epoch(false);
    simd.forEach((v, j) => {
      assertClose(v, scalar[j] as number, { rtol: 1e-5, atol: 1e-6 }, `param ${j}`);
    });
  });

  it("a fit with a fixed number of epochs gives the f64 fit's beta_i to f32 accuracy", () => {
    const m = 400;
    const cc = uniforms("cfit", m * net.p);
    const xx = uniforms("xfit", m);
    const yy = Float64Array.from(xx, (v, i) => (0.3 + 0.2 * (cc[i * net.p] as number)) * v + 0.1 * Math.sin(i));
    const data = { n: m, p: net.p, c: cc, x: xx, y: yy };
    const train = Int32Array.from({ length: 320 }, (_, i) => i + 80);
    const val = Int32Array.from({ length: 80 }, (_, i) => i);
    const init = Float64Array.from(
      initParams(net.p, cfg, () => 0.61),
      Math.fround,
    );
    const fixed = { ...cfg, batch_size: 8, lr: 5e-3, max_epochs: 4, patience: 100 };
    const run = (precision: "f64" | "f32") =>
      trainSplit(core, data, { ...fixed, precision }, { train, val, init, rand: Math.random });
    const [a, b] = [run("f64"), run("f32")];
    expect([a.epochs, b.epochs]).toEqual([4, 4]);
    let maxDiff = 0;
    for (let i = 0; i < m; i++) maxDiff = Math.max(maxDiff, Math.abs((a.beta[i] as number) - (b.beta[i] as number)));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(maxDiff).toBeGreaterThan(0);
  });
});
