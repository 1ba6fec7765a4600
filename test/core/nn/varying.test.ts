import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, layerGradCheck, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/varying.ts: y = sum_k theta_k x_k + mu against torch, finite differences, today's beta x + mu. */
const core = getCore();
const w = core.wasm;

/** shape = [B, K, mu_last]; forward, then backward of `dy` into zeroed dh and (unless `noDx`) dx. */
function run(
  dtype: Dtype,
  shape: number[],
  h: ArrayLike<number>,
  x: ArrayLike<number>,
  dy?: ArrayLike<number>,
  noDx = false,
) {
  const [b, k] = shape as [number, number];
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(...shape);
    const [ph, px, y, pd, dh] = [nb.put(h), nb.put(x), nb.put(b), nb.put(dy ?? b), nb.put(b * (k + 1))];
    const dx = nb.put(new Float64Array(b * k).fill(0.5));
    w.nn_varying_forward(desc, ph, px, y);
    w.nn_varying_backward(desc, ph, px, pd, dh, noDx ? 0 : dx);
    const dxAdded = nb.read(dx, b * k).map((v) => v - 0.5);
    return { y: nb.read(y, b), dh: nb.read(dh, b * (k + 1)), dx: dxAdded };
  });
}

describe("nn_varying against torch", () => {
  for (const [name, f] of Object.entries(nnFixture("varying"))) {
    for (const [dtype, rtol, atol] of [
      ["f64", 1e-10, 1e-14],
      ["f32", 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dtype}): y, dh and dx (added to what the buffers held)`, () => {
        const r = run(dtype, f.shape as number[], f.h as number[], f.x as number[], f.dy as number[]);
        assertClose(r.y, f.y as number[], { rtol, atol }, `${name} y`);
        assertClose(r.dh, f.dh as number[], { rtol, atol }, `${name} dh`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
      });
    }
  }

  it("with dx = 0 the covariates get no gradient and dh is unchanged", () => {
    const f = nnFixture("varying").k3_mu_first as Record<string, number[]>;
    const r = run("f64", f.shape as number[], f.h as number[], f.x as number[], f.dy as number[], true);
    expect(Array.from(r.dx).every((v) => v === 0)).toBe(true);
    assertClose(r.dh, f.dh as number[], { rtol: 1e-10 }, "dh");
  });

  it("K = 1 with mu last is today's beta * x + mu, bit for bit", () => {
    const n = 9;
    const h = uniforms("vh", 2 * n).map((v) => v * 3);
    const x = uniforms("vx", n);
    const r = run("f64", [n, 1, 1], h, x);
    const today = Array.from(x, (xi, i) => (h[2 * i] as number) * xi + (h[2 * i + 1] as number));
    expect(Array.from(r.y)).toEqual(today);
  });
});

describe("nn_varying gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [5, 3, 0],
    [7, 1, 1],
    [3, 5, 1],
  ]) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`shape [B, K, mu_last] = [${shape}] (${dtype})`, () => {
        const [b, k] = shape as [number, number];
        const inputs = { h: uniforms(`vh${shape}`, b * (k + 1)), x: uniforms(`vx${shape}`, b * k) };
        const r = uniforms(`vr${shape}`, b);
        const worst = layerGradCheck(dtype, inputs, r, (v) => {
          const g = run(dtype, shape, v.h as Float64Array, v.x as Float64Array, r);
          return { out: g.y, grads: { h: g.dh, x: g.dx } };
        });
        expect(Object.keys(worst)).toEqual(["h", "x"]);
        for (const [name, e] of Object.entries(worst))
          expect(e.worst, `d/d${name}`).toBeLessThan(fdSettings(dtype).tol);
      });
    }
  }
});
