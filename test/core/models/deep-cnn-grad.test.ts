import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { type DeepCnnShape, deepCnnLayout } from "../../../src/models/deep-cnn.js";
import { DeepCnnInCore } from "../../../src/models/deep-cnn-core.js";
import { assertClose } from "../../helpers/assert-close.js";
import { caseBatch, caseInputs, caseShape, deepCnnFixture } from "../../helpers/deep-cnn-fixture.js";
import { gradCheck } from "../../helpers/gradcheck.js";

/** The whole network's loss gradient by central differences (f64), and f32 against f64. */
const core = getCore();

/** The train-mode loss of a batch at any parameters, and the analytic gradient at `params`. */
function lossOf(s: DeepCnnShape, params: Float64Array, state: Float64Array, n: number) {
  return core.scoped(() => {
    const m = new DeepCnnInCore(core, s, params, state);
    const b = caseBatch(s, n, 300007);
    const [codes, y] = [m.putCodes(b.codes), m.putTargets(b.y)];
    const at = (p: Float64Array) => {
      m.writeParams(p);
      return m.loss(codes, y, 0, n, true, false);
    };
    const loss = m.loss(codes, y, 0, n, true, true);
    const grad = m.readGrads();
    return { loss, grad, check: (coords: number[]) => subsetCheck(at, params, grad, coords) };
  });
}

/** gradCheck over the listed coordinates only. */
function subsetCheck(at: (p: Float64Array) => number, params: Float64Array, grad: Float64Array, coords: number[]) {
  const x = Float64Array.from(coords, (i) => params[i] as number);
  const full = params.slice();
  const loss = (sub: Float64Array) => {
    coords.forEach((i, k) => {
      full[i] = sub[k] as number;
    });
    return at(full);
  };
  return gradCheck(
    loss,
    x,
    Float64Array.from(coords, (i) => grad[i] as number),
  );
}

describe("the Deep MR CNN's gradient", () => {
  it("matches central differences in every coordinate at the small size (f64)", () => {
    const s = { ...caseShape(deepCnnFixture.small as never), batch: 7 };
    const { params, state } = caseInputs(s);
    const r = lossOf(s, params, state, 7);
    const all = Array.from({ length: params.length }, (_, i) => i);
    const worst = r.check(all);
    expect(worst.worst, JSON.stringify(worst)).toBeLessThan(1e-6);
  });

  it("matches central differences at the paper size on 40 coordinates of every block (f64)", () => {
    const s = { ...caseShape(deepCnnFixture.paper as never), batch: 5 };
    const { params, state } = caseInputs(s);
    const l = deepCnnLayout(s);
    const starts = [
      ...l.conv.flatMap((c) => [c.weight, c.bias, c.gamma, c.beta]),
      ...l.dense.flatMap((d) => [d.weight, d.bias]),
    ];
    const ends = [...starts.slice(1), l.count];
    const coords = starts.flatMap((a, k) =>
      [0, 1, 2, 3].map((q) => a + Math.floor(((ends[k] as number) - a) * (q / 4 + 0.1))),
    );
    const worst = lossOf(s, params, state, 5).check([...new Set(coords)]);
    expect(worst.worst, JSON.stringify(worst)).toBeLessThan(1e-6);
  });

  it("f32 agrees with f64 at the paper size, batch 64: loss to 1e-5 relative, gradient to 2e-3 of each block's largest entry", () => {
    const s = { ...caseShape(deepCnnFixture.paper as never), batch: 64 };
    const { params, state } = caseInputs(s);
    const a = lossOf(s, params, state, 64);
    const b = lossOf({ ...s, dtype: "f32" }, params, state, 64);
    assertClose(b.loss, a.loss, { rtol: 1e-5 }, "f32 loss");
    const l = deepCnnLayout(s);
    const blocks = [
      ...l.conv.flatMap((c) => [
        [c.weight, c.gamma],
        [c.gamma, c.beta + s.filters],
      ]),
      ...l.dense.map((d) => [d.weight, d.bias + d.out]),
    ];
    for (const [from, to] of blocks as [number, number][]) {
      const ref = a.grad.subarray(from, to);
      const scale = Math.max(...ref.map(Math.abs));
      assertClose(b.grad.subarray(from, to), ref, { rtol: 0, atol: 2e-3 * scale }, `f32 gradient [${from}, ${to})`);
    }
  });
});

describe("the Deep MR CNN's SIMD kernels and their scalar twins", () => {
  // F = 1, 3, 5, 15: the input convolution pads the filters to whole vectors; L_out of the inner
  // convolutions runs through the register block's tails.
  for (const filters of [1, 3, 5, 15]) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`F ${filters} (${dtype}): loss and gradient agree`, () => {
        const s: DeepCnnShape = {
          length: 23,
          filters,
          kernel: 4,
          layers: 3,
          dense1: 6,
          dense2: 5,
          outputs: 2,
          batch: 5,
          dtype,
        };
        const { params, state } = caseInputs(s);
        const [a, b] = [true, false].map((simd) =>
          core.scoped(() => {
            const m = new DeepCnnInCore(core, s, params, state);
            const bt = caseBatch(s, 5, 500009);
            const loss = m.loss(m.putCodes(bt.codes), m.putTargets(bt.y), 0, 5, true, true, simd);
            return { loss, grad: m.readGrads() };
          }),
        );
        const tol = dtype === "f32" ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-15 };
        assertClose(a?.loss as number, b?.loss as number, tol, "loss");
        assertClose(a?.grad as Float64Array, b?.grad as Float64Array, tol, "gradient");
      });
    }
  }
});
