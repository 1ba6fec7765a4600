import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { type EncoderShape, encoderLayout, initEncoder, putEncoderDescriptor } from "../../../src/models/encoder.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck } from "../../helpers/gradcheck.js";
import { epoch, lossAndGrad, type Problem, predict, problem } from "./encoder-run.js";

const core = getCore();

/** Odd sizes: naive and archetypes, 0 to 2 hidden layers, one or several covariates. */
const SHAPES: Omit<EncoderShape, "batch" | "dtype">[] = [
  { inputs: 3, width: 5, hidden: 2, covariates: 1, archetypes: 0 },
  { inputs: 5, width: 7, hidden: 1, covariates: 1, archetypes: 0 },
  { inputs: 3, width: 0, hidden: 0, covariates: 1, archetypes: 0 },
  { inputs: 4, width: 5, hidden: 2, covariates: 1, archetypes: 3 },
  { inputs: 3, width: 5, hidden: 1, covariates: 3, archetypes: 0 },
  { inputs: 3, width: 5, hidden: 1, covariates: 2, archetypes: 3 },
];

const name = (s: Omit<EncoderShape, "batch" | "dtype">) =>
  `P ${s.inputs}, width ${s.width}, hidden ${s.hidden}, K ${s.covariates}, archetypes ${s.archetypes}`;

/** Parameters away from zero (initEncoder on a low-discrepancy stream, times 3), rounded to the dtype. */
function spread(shape: EncoderShape): Float64Array {
  let k = 0;
  const params = initEncoder(shape, () => ((k++ * 0.6180339887) % 1) * 0.9 + 0.05).map((v) => 3 * v);
  return shape.dtype === "f32" ? params.map(Math.fround) : params;
}

/** The problem with every input rounded to f32, in f64: the f32 model's point evaluated exactly. */
function widened(p: Problem): Problem {
  const r = (a: Float64Array) => a.map(Math.fround);
  return { ...p, shape: { ...p.shape, dtype: "f64" }, c: r(p.c), x: r(p.x), y: r(p.y) };
}

describe("context encoder: gradient of the whole model", () => {
  for (const s of SHAPES) {
    it.each([1, 4])(`equals central differences to 1e-6 in f64 (${name(s)}, batch %i)`, (batch) => {
      const p = problem({ ...s, batch, dtype: "f64" }, 9, name(s));
      const params = spread(p.shape);
      const base = lossAndGrad(core, p, params);
      assertClose(base.loss, base.mse, { rtol: 1e-14 }, "gradient's loss against mse");
      // floor 1e-2: relative error where |gradient| > 1e-2, else absolute 1e-8 (the loss, about 20,
      // rounds at ~4e-15, which central differences with h = 1e-6 turn into ~2e-9)
      const check = gradCheck((v) => lossAndGrad(core, p, v).mse, Float64Array.from(params), base.grad, 1e-6, 1e-2);
      expect(check.worst, JSON.stringify(check)).toBeLessThan(1e-6);
    });

    it(`in f32 equals central differences of the f64 loss at the same point to 1e-3 (${name(s)})`, () => {
      // Differences of the f32 loss itself are too noisy for 1e-3 (its rounding over a step small
      // enough to stay off ReLU kinks), so the f64 model is differenced at the f32 point.
      const p = problem({ ...s, batch: 4, dtype: "f32" }, 9, name(s));
      const params = spread(p.shape);
      const base = lossAndGrad(core, p, params);
      const exact = widened(p);
      const check = gradCheck((v) => lossAndGrad(core, exact, v).mse, Float64Array.from(params), base.grad, 1e-6);
      expect(check.worst, JSON.stringify(check)).toBeLessThan(1e-3);
    });
  }

  it("the batch-1 path (fused per layer) and the batch path give the same gradient and loss bit for bit", () => {
    for (const s of SHAPES) {
      for (const dtype of ["f64", "f32"] as const) {
        const grads = [1, 4, 9].map((batch) => {
          const p = problem({ ...s, batch, dtype }, 9, name(s));
          const r = lossAndGrad(core, p, spread(p.shape));
          return [r.loss, r.mse, ...r.grad];
        });
        expect(grads[0], `${name(s)} ${dtype}`).toEqual(grads[1]);
        expect(grads[2], `${name(s)} ${dtype}`).toEqual(grads[1]);
      }
    }
  });
});

describe("context encoder: layout, initialisation and head", () => {
  it("the TypeScript layout counts the parameters as the core does", () => {
    for (const s of SHAPES) {
      const shape: EncoderShape = { ...s, batch: 3, dtype: "f64" };
      const count = core.scoped(() => core.wasm.encoder_param_count(putEncoderDescriptor(core, shape)));
      expect(encoderLayout(shape).count, name(s)).toBe(count);
    }
  });

  it("initialises like torch.nn.Linear (weight then bias per layer, U(+-1/sqrt(fan_in))), archetypes U(+-0.01) last", () => {
    const shape: EncoderShape = {
      inputs: 4,
      width: 5,
      hidden: 2,
      covariates: 2,
      archetypes: 3,
      batch: 1,
      dtype: "f64",
    };
    const layout = encoderLayout(shape);
    let k = 0;
    const params = initEncoder(shape, () => k++ / layout.count);
    const expected = Array.from({ length: layout.count }, (_, i) => {
      const slot = layout.linear.find((l) => i < l.bias + l.out);
      return (2 * (i / layout.count) - 1) * (slot ? 1 / Math.sqrt(slot.in) : 0.01);
    });
    assertClose(params, expected, { rtol: 1e-15 }, "parameters in draw order");
    expect(layout.linear.map((l) => [l.in, l.out])).toEqual([
      [4, 5],
      [5, 5],
      [5, 3],
    ]);
    expect(layout.count - layout.archetypes).toBe(3 * 3);
  });

  it("predicts theta_1 ... theta_K and mu whose sum_k theta_k x_k + mu gives the model's MSE (K = 3, naive and archetypes)", () => {
    for (const archetypes of [0, 4]) {
      const p = problem(
        { inputs: 3, width: 5, hidden: 1, covariates: 3, archetypes, batch: 4, dtype: "f64" },
        11,
        "head",
      );
      const params = spread(p.shape);
      const { theta, mu } = predict(core, p, params);
      let sse = 0;
      for (let i = 0; i < p.n; i++) {
        let yhat = mu[i] as number;
        for (let k = 0; k < 3; k++) yhat += (theta[i * 3 + k] as number) * (p.x[i * 3 + k] as number);
        sse += (yhat - (p.y[i] as number)) ** 2;
      }
      assertClose(lossAndGrad(core, p, params).mse, sse / p.n, { rtol: 1e-13 }, `mse (archetypes ${archetypes})`);
    }
  });
});

describe("context encoder: training epoch", () => {
  const s = { inputs: 4, width: 5, hidden: 2, covariates: 1, archetypes: 0 };
  const order = [4, 0, 7, 2, 8, 1, 6, 3, 5];

  it("is per minibatch (in the order given) the MSE gradient, then torch's Adam step with t advanced", () => {
    for (const archetypes of [0, 3]) {
      const p = problem({ ...s, archetypes, batch: 4, dtype: "f64" }, 9, "epoch");
      const params = spread(p.shape);
      const lr = 0.01;
      const t0 = 5;
      const got = epoch(core, p, params, lr, order, t0);
      const want = Array.from(params);
      const m = want.map(() => 0);
      const v = want.map(() => 0);
      let sse = 0;
      [order.slice(0, 4), order.slice(4, 8), order.slice(8)].forEach((rows, b) => {
        const sub: Problem = {
          ...p,
          n: rows.length,
          c: Float64Array.from(rows.flatMap((i) => Array.from(p.c.subarray(i * 4, i * 4 + 4)))),
          x: Float64Array.from(rows, (i) => p.x[i] as number),
          y: Float64Array.from(rows, (i) => p.y[i] as number),
        };
        const { loss, grad } = lossAndGrad(core, { ...sub, shape: { ...p.shape, batch: rows.length } }, want);
        sse += loss * rows.length;
        const t = t0 + b + 1;
        grad.forEach((g, j) => {
          m[j] = (m[j] as number) + (1 - 0.9) * (g - (m[j] as number));
          v[j] = 0.999 * (v[j] as number) + (1 - 0.999) * (g * g);
          const denom = Math.sqrt(v[j] as number) / Math.sqrt(1 - 0.999 ** t) + 1e-8;
          want[j] = (want[j] as number) - (lr / (1 - 0.9 ** t)) * ((m[j] as number) / denom);
        });
      });
      assertClose(got.params, want, { rtol: 1e-14, atol: 1e-16 }, `parameters (archetypes ${archetypes})`);
      assertClose(got.m, m, { rtol: 1e-14, atol: 1e-18 }, "first moment");
      assertClose(got.v, v, { rtol: 1e-14, atol: 1e-20 }, "second moment");
      expect(got.t).toBe(t0 + 3);
      expect(Array.from(got.grads)).toEqual(want.map(() => 0));
      assertClose(got.sse, sse, { rtol: 1e-13 }, "summed squared error before each update");
    }
  });

  it.each([
    ["f64", 1e-12],
    ["f32", 1e-5],
  ] as const)("with SIMD kernels equals the scalar twins' epoch (%s, to rtol %g)", (dtype, rtol) => {
    for (const archetypes of [0, 3]) {
      const shape: EncoderShape = { ...s, inputs: 9, width: 11, archetypes, batch: 3, dtype };
      const p = problem(shape, 9, "simd");
      const params = spread(shape);
      const simd = epoch(core, p, params, 0.01, order);
      const scalar = epoch(core, { ...p, shape: { ...shape, simd: false } }, params, 0.01, order);
      assertClose(simd.params, scalar.params, { rtol, atol: rtol / 10 }, `parameters (archetypes ${archetypes})`);
      expect(simd.params).not.toEqual(params);
    }
  });
});
