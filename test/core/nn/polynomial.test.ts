import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/polynomial.ts: monomial features in sklearn's order against torch, and finite differences. */
const core = getCore();
const w = core.wasm;
type Dtype = 0 | 1;

/** Local buffer helpers (dtype 0 = f64, 1 = f32). */
function view(dt: Dtype, ptr: number, len: number): Float64Array | Float32Array {
  return dt === 1 ? new Float32Array(w.memory.buffer, ptr, len) : new Float64Array(w.memory.buffer, ptr, len);
}
function put(dt: Dtype, values: ArrayLike<number>): number {
  const ptr = core.alloc(Math.ceil(((values.length + 1) * (dt === 1 ? 4 : 8)) / 8));
  view(dt, ptr, values.length).set(values);
  return ptr;
}
function descriptor(fields: number[]): number {
  const ptr = core.alloc(Math.ceil(fields.length / 2));
  new Int32Array(w.memory.buffer, ptr, fields.length).set(fields);
  return ptr;
}

/** shape = [B, n, degree, include_bias]; forward, then backward of `dout` into a zeroed dx. */
function run(dt: Dtype, shape: number[], x: ArrayLike<number>, dout?: ArrayLike<number>) {
  const [b, n] = shape as [number, number];
  return core.scoped(() => {
    const desc = descriptor([dt, ...shape]);
    const f = w.nn_polynomial_out_size(desc);
    const [px, out, pd, dx, work] = [
      put(dt, x),
      put(dt, new Float64Array(b * f)),
      put(dt, dout ?? new Float64Array(b * f)),
      put(dt, new Float64Array(b * n)),
      put(dt, new Float64Array(f)),
    ];
    w.nn_polynomial_forward(desc, px, out);
    w.nn_polynomial_backward(desc, px, out, pd, dx, work);
    return {
      f,
      out: Float64Array.from(view(dt, out, b * f)),
      dx: Float64Array.from(view(dt, dx, b * n)),
      dout: Float64Array.from(view(dt, pd, b * f)),
    };
  });
}

describe("nn_polynomial against torch (sklearn PolynomialFeatures order)", () => {
  for (const [name, f] of Object.entries(nnFixture("polynomial"))) {
    for (const [dt, rtol, atol] of [
      [0, 1e-10, 1e-14],
      [1, 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): features and dx`, () => {
        const r = run(dt, f.shape as number[], f.x as number[], f.dout as number[]);
        assertClose(r.out, f.out as number[], { rtol, atol }, `${name} out`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
        const sent = dt ? (f.dout as number[]).map(Math.fround) : (f.dout as number[]);
        expect(Array.from(r.dout), `${name} dout unchanged`).toEqual(sent);
      });
    }
  }

  it("orders n = 3, d = 2 as 1, x0, x1, x2, x0², x0x1, x0x2, x1², x1x2, x2²", () => {
    const r = run(0, [1, 3, 2, 1], [2, 3, 5]);
    expect(Array.from(r.out)).toEqual([1, 2, 3, 5, 4, 6, 10, 9, 15, 25]);
  });

  it("F = C(n + d, d), one fewer without the bias", () => {
    core.scoped(() => {
      expect(w.nn_polynomial_out_size(descriptor([0, 1, 4, 3, 1]))).toBe(35);
      expect(w.nn_polynomial_out_size(descriptor([0, 1, 4, 3, 0]))).toBe(34);
      expect(w.nn_polynomial_out_size(descriptor([0, 1, 7, 1, 0]))).toBe(7);
    });
  });
});

describe("nn_polynomial gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [3, 3, 3, 1],
    [5, 5, 2, 0],
    [1, 1, 5, 1],
  ]) {
    for (const dt of [0, 1] as const) {
      it(`shape [B, n, d, bias] = [${shape}] (${dt ? "f32" : "f64"})`, () => {
        const [b, n] = shape as [number, number];
        const x = uniforms(`px${shape}`, b * n);
        const f = run(0, shape, x).f;
        const r = uniforms(`pr${shape}`, b * f);
        const loss = (v: Float64Array) => run(dt, shape, v).out.reduce((acc, o, i) => acc + o * (r[i] as number), 0);
        const [h, tol] = dt === 1 ? [1e-2, 1e-3] : [1e-6, 1e-6];
        expect(gradCheck(loss, x, run(dt, shape, x, r).dx, h).worst).toBeLessThan(tol);
      });
    }
  }
});
