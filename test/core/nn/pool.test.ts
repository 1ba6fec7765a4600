import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/pool.ts: MaxPool1d against torch (dropped tail, overlapping windows, ties) and finite differences. */
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

/** shape = [B, C, L, K, S]; forward, then backward of `dout` into a zeroed input gradient. */
function run(dt: Dtype, shape: number[], x: ArrayLike<number>, dout?: ArrayLike<number>) {
  const [b, c, len] = shape as [number, number, number];
  return core.scoped(() => {
    const desc = descriptor([dt, ...shape]);
    const nout = b * c * w.nn_maxpool1d_out_len(desc);
    const cache = core.alloc(Math.ceil(w.nn_maxpool1d_cache_size(desc) / 8) + 1);
    const [px, out, pd, dx] = [
      put(dt, x),
      put(dt, new Float64Array(nout)),
      put(dt, dout ?? new Float64Array(nout)),
      put(dt, new Float64Array(b * c * len)),
    ];
    w.nn_maxpool1d_forward(desc, px, out, cache);
    w.nn_maxpool1d_backward(desc, pd, dx, cache);
    return { out: Float64Array.from(view(dt, out, nout)), dx: Float64Array.from(view(dt, dx, b * c * len)) };
  });
}

describe("nn_maxpool1d against torch.nn.functional.max_pool1d", () => {
  for (const [name, f] of Object.entries(nnFixture("pool"))) {
    for (const [dt, rtol] of [
      [0, 1e-15],
      [1, 1e-6],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): output and dx`, () => {
        const r = run(dt, f.shape as number[], f.x as number[], f.dout as number[]);
        assertClose(r.out, f.out as number[], { rtol, atol: rtol }, `${name} out`);
        assertClose(r.dx, f.dx as number[], { rtol, atol: rtol }, `${name} dx`);
      });
    }
  }

  it("sizes: floor((L - K) / S) + 1 outputs, none when L < K; 4 bytes of cache per output", () => {
    core.scoped(() => {
      expect(w.nn_maxpool1d_out_len(descriptor([0, 1, 1, 11, 2, 2]))).toBe(5);
      expect(w.nn_maxpool1d_out_len(descriptor([0, 1, 1, 10, 3, 2]))).toBe(4);
      expect(w.nn_maxpool1d_out_len(descriptor([0, 1, 1, 2, 3, 3]))).toBe(0);
      expect(w.nn_maxpool1d_cache_size(descriptor([0, 3, 5, 11, 2, 2]))).toBe(4 * 3 * 5 * 5);
    });
  });

  it("a NaN in a window is its maximum, as in torch", () => {
    const r = run(0, [1, 1, 4, 2, 2], [1, Number.NaN, 3, 2], [10, 20]);
    expect(Number.isNaN(r.out[0])).toBe(true);
    expect(Array.from(r.dx)).toEqual([0, 10, 20, 0]);
  });
});

describe("nn_maxpool1d gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [3, 3, 11, 3, 3],
    [1, 5, 9, 3, 2],
  ]) {
    for (const dt of [0, 1] as const) {
      it(`shape [B, C, L, K, S] = [${shape}] (${dt ? "f32" : "f64"})`, () => {
        const [b, c, len] = shape as [number, number, number];
        // Distinct values more than 2h apart, so that no window's maximum changes within a step.
        const x = Float64Array.from(uniforms(`p${shape}`, b * c * len), (v, i) => v * 0.01 + ((i * 37) % 101) * 0.1);
        const nout = run(0, shape, x).out.length;
        const r = uniforms(`r${shape}`, nout);
        const loss = (v: Float64Array) => run(dt, shape, v).out.reduce((acc, o, i) => acc + o * (r[i] as number), 0);
        const [h, tol] = dt === 1 ? [1e-2, 1e-3] : [1e-6, 1e-6];
        expect(gradCheck(loss, x, run(dt, shape, x, r).dx, h).worst).toBeLessThan(tol);
      });
    }
  }
});
