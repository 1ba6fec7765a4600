import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, layerGradCheck, NnBuffers, ofDesc } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/pool.ts: MaxPool1d against torch (dropped tail, overlapping windows, ties) and finite differences. */
const core = getCore();
const w = core.wasm;

/** shape = [B, C, L, K, S]; forward, then backward of `dout` into a zeroed input gradient. */
function run(dtype: Dtype, shape: number[], x: ArrayLike<number>, dout?: ArrayLike<number>) {
  const [b, c, len] = shape as [number, number, number];
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(...shape);
    const nout = b * c * w.nn_maxpool1d_out_len(desc);
    const cache = nb.bytes(w.nn_maxpool1d_cache_size(desc));
    const [px, out, pd, dx] = [nb.put(x), nb.put(nout), nb.put(dout ?? nout), nb.put(b * c * len)];
    w.nn_maxpool1d_forward(desc, px, out, cache);
    w.nn_maxpool1d_backward(desc, pd, dx, cache);
    return { out: nb.read(out, nout), dx: nb.read(dx, b * c * len) };
  });
}

describe("nn_maxpool1d against torch.nn.functional.max_pool1d", () => {
  for (const [name, f] of Object.entries(nnFixture("pool"))) {
    for (const [dtype, rtol] of [
      ["f64", 1e-15],
      ["f32", 1e-6],
    ] as const) {
      it(`${name} (${dtype}): output and dx`, () => {
        const r = run(dtype, f.shape as number[], f.x as number[], f.dout as number[]);
        assertClose(r.out, f.out as number[], { rtol, atol: rtol }, `${name} out`);
        assertClose(r.dx, f.dx as number[], { rtol, atol: rtol }, `${name} dx`);
      });
    }
  }

  it("sizes: floor((L - K) / S) + 1 outputs, none when L < K; 4 bytes of cache per output in either dtype", () => {
    expect(ofDesc(core, "f64", w.nn_maxpool1d_out_len, 1, 1, 11, 2, 2)).toBe(5);
    expect(ofDesc(core, "f64", w.nn_maxpool1d_out_len, 1, 1, 10, 3, 2)).toBe(4);
    expect(ofDesc(core, "f64", w.nn_maxpool1d_out_len, 1, 1, 2, 3, 3)).toBe(0);
    expect(ofDesc(core, "f64", w.nn_maxpool1d_cache_size, 3, 5, 11, 2, 2)).toBe(4 * 3 * 5 * 5);
    expect(ofDesc(core, "f32", w.nn_maxpool1d_cache_size, 3, 5, 11, 2, 2)).toBe(4 * 3 * 5 * 5);
  });

  it("a NaN in a window is its maximum, as in torch", () => {
    const r = run("f64", [1, 1, 4, 2, 2], [1, Number.NaN, 3, 2], [10, 20]);
    expect(Number.isNaN(r.out[0])).toBe(true);
    expect(Array.from(r.dx)).toEqual([0, 10, 20, 0]);
  });
});

describe("nn_maxpool1d gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [3, 3, 11, 3, 3],
    [1, 5, 9, 3, 2],
  ]) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`shape [B, C, L, K, S] = [${shape}] (${dtype})`, () => {
        const [b, c, len] = shape as [number, number, number];
        // Distinct values more than 2h apart, so that no window's maximum changes within a step.
        const x = Float64Array.from(uniforms(`p${shape}`, b * c * len), (v, i) => v * 0.01 + ((i * 37) % 101) * 0.1);
        const r = uniforms(`r${shape}`, run("f64", shape, x).out.length);
        const worst = layerGradCheck(dtype, { x }, r, (v) => {
          const g = run(dtype, shape, v.x as Float64Array, r);
          return { out: g.out, grads: { x: g.dx } };
        });
        expect(worst.x?.worst).toBeLessThan(fdSettings(dtype).tol);
      });
    }
  }
});
