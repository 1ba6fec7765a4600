import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, layerGradCheck, NnBuffers, ofDesc } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/polynomial.ts: monomial features in sklearn's order against torch, and finite differences. */
const core = getCore();
const w = core.wasm;

/** shape = [B, n, degree, include_bias]; forward, then backward of `dout` into a zeroed dx. */
function run(dtype: Dtype, shape: number[], x: ArrayLike<number>, dout?: ArrayLike<number>) {
  const [b, n] = shape as [number, number];
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(...shape);
    const f = w.nn_polynomial_out_size(desc);
    const [px, out, pd, dx] = [nb.put(x), nb.put(b * f), nb.put(dout ?? b * f), nb.put(b * n)];
    const work = nb.bytes(w.nn_polynomial_work_size(desc));
    w.nn_polynomial_forward(desc, px, out);
    w.nn_polynomial_backward(desc, px, out, pd, dx, work);
    return { f, out: nb.read(out, b * f), dx: nb.read(dx, b * n), dout: nb.read(pd, b * f) };
  });
}

describe("nn_polynomial against torch (sklearn PolynomialFeatures order)", () => {
  for (const [name, f] of Object.entries(nnFixture("polynomial"))) {
    for (const [dtype, rtol, atol] of [
      ["f64", 1e-10, 1e-14],
      ["f32", 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dtype}): features and dx`, () => {
        const r = run(dtype, f.shape as number[], f.x as number[], f.dout as number[]);
        assertClose(r.out, f.out as number[], { rtol, atol }, `${name} out`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
        const sent = dtype === "f32" ? (f.dout as number[]).map(Math.fround) : (f.dout as number[]);
        expect(Array.from(r.dout), `${name} dout unchanged`).toEqual(sent);
      });
    }
  }

  it("orders n = 3, d = 2 as 1, x0, x1, x2, x0², x0x1, x0x2, x1², x1x2, x2²", () => {
    const r = run("f64", [1, 3, 2, 1], [2, 3, 5]);
    expect(Array.from(r.out)).toEqual([1, 2, 3, 5, 4, 6, 10, 9, 15, 25]);
  });

  it("F = C(n + d, d), one fewer without the bias; work of F elements, in bytes", () => {
    expect(ofDesc(core, "f64", w.nn_polynomial_out_size, 1, 4, 3, 1)).toBe(35);
    expect(ofDesc(core, "f64", w.nn_polynomial_out_size, 1, 4, 3, 0)).toBe(34);
    expect(ofDesc(core, "f64", w.nn_polynomial_out_size, 1, 7, 1, 0)).toBe(7);
    expect(ofDesc(core, "f64", w.nn_polynomial_work_size, 1, 4, 3, 1)).toBe(35 * 8);
    expect(ofDesc(core, "f32", w.nn_polynomial_work_size, 1, 4, 3, 1)).toBe(35 * 4);
  });
});

describe("nn_polynomial gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [3, 3, 3, 1],
    [5, 5, 2, 0],
    [1, 1, 5, 1],
  ]) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`shape [B, n, d, bias] = [${shape}] (${dtype})`, () => {
        const [b, n] = shape as [number, number];
        const x = uniforms(`px${shape}`, b * n);
        const r = uniforms(`pr${shape}`, b * run("f64", shape, x).f);
        const worst = layerGradCheck(dtype, { x }, r, (v) => {
          const g = run(dtype, shape, v.x as Float64Array, r);
          return { out: g.out, grads: { x: g.dx } };
        });
        expect(worst.x?.worst).toBeLessThan(fdSettings(dtype).tol);
      });
    }
  }
});
