import { readFileSync } from "node:fs";
import { type DeepCnnShape, deepCnnLayout } from "../../src/models/deep-cnn.js";
import { fixturePath } from "./fixtures.js";

/** One case of test/fixtures/deep-cnn/deep-cnn.json (see make_deep_cnn.py). */
export interface DeepCnnCase {
  shape: {
    L: number;
    filters: number;
    kernel: number;
    layers: number;
    d1: number;
    d2: number;
    outputs: number;
    batch: number;
    batch2: number;
  };
  out: number[];
  loss: number;
  grad: number[];
  state: number[];
  step: number[];
  predict_batch: number[];
  state_after_predict: number[];
  predict_running: number[];
  eval_loss: number;
}

export const deepCnnFixture = JSON.parse(readFileSync(fixturePath("deep-cnn", "deep-cnn.json"), "utf8")) as Record<
  string,
  DeepCnnCase
>;

const PHI = 0.6180339887498949;

/** make_deep_cnn.py's `fill`: u_i = frac((offset + i) φ), the same doubles as Python's. */
export function fill(n: number, offset: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (offset + i) * PHI;
    out[i] = x - Math.trunc(x);
  }
  return out;
}

/** The case's network as a core shape (batch = the first batch's rows). */
export function caseShape(c: DeepCnnCase, dtype: "f64" | "f32" = "f64"): DeepCnnShape {
  const s = c.shape;
  const { L: length, filters, kernel, layers, d1: dense1, d2: dense2, outputs, batch } = s;
  return { length, filters, kernel, layers, dense1, dense2, outputs, batch, dtype };
}

/** make_deep_cnn.py's `set_inputs`: the parameters and running statistics, in the core's layouts. */
export function caseInputs(s: DeepCnnShape): { params: Float64Array; state: Float64Array } {
  const l = deepCnnLayout(s);
  const params = new Float64Array(l.count);
  const state = new Float64Array(l.stateCount);
  const F = s.filters;
  let offset = 1;
  const uniform = (at: number, n: number, fanIn: number) => {
    const u = fill(n, offset);
    for (let i = 0; i < n; i++) params[at + i] = (2 * (u[i] as number) - 1) / fanIn ** 0.5;
    offset += n;
  };
  l.conv.forEach((c, j) => {
    uniform(c.weight, c.bias - c.weight, c.fanIn);
    uniform(c.bias, F, c.fanIn);
    const u = fill(4 * F, offset);
    for (let i = 0; i < F; i++) {
      params[c.gamma + i] = 1 + 0.2 * (2 * (u[i] as number) - 1);
      params[c.beta + i] = 0.2 * (2 * (u[F + i] as number) - 1);
      state[2 * j * F + i] = 0.1 * (2 * (u[2 * F + i] as number) - 1);
      state[(2 * j + 1) * F + i] = 0.5 + (u[3 * F + i] as number);
    }
    offset += 4 * F;
  });
  for (const d of l.dense) {
    uniform(d.weight, d.bias - d.weight, d.fanIn);
    uniform(d.bias, d.out, d.fanIn);
  }
  return { params, state };
}

/** make_deep_cnn.py's `batch`: n sequences of base codes and their n × outputs targets. */
export function caseBatch(s: DeepCnnShape, n: number, offset: number): { codes: Uint8Array; y: Float64Array } {
  const codes = Uint8Array.from(fill(n * s.length, offset), (u) => Math.trunc(4 * u));
  const y = fill(n * s.outputs, offset + 7919).map((u) => 2 * u - 1);
  return { codes, y };
}

/** The paper's network (deep-mr §4) at batch 1 in f64: the shape the ISM tests run. */
export const PAPER_ISM_SHAPE: DeepCnnShape = {
  length: 100,
  filters: 15,
  kernel: 7,
  layers: 3,
  dense1: 30,
  dense2: 30,
  outputs: 2,
  batch: 1,
  dtype: "f64",
};

/** A small network with edge-clipped windows (L 17, kernel 4, two conv layers) at batch 1 in f64. */
export const SMALL_ISM_SHAPE: DeepCnnShape = {
  length: 17,
  filters: 5,
  kernel: 4,
  layers: 2,
  dense1: 6,
  dense2: 5,
  outputs: 2,
  batch: 1,
  dtype: "f64",
};
