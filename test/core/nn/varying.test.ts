import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/varying.ts: y = sum_k theta_k x_k + mu against torch, finite differences, today's beta x + mu. */
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

/** shape = [B, K, mu_last]; forward, then backward of `dy` into zeroed dh and (unless `noDx`) dx. */
function run(
  dt: Dtype,
  shape: number[],
  h: ArrayLike<number>,
  x: ArrayLike<number>,
  dy?: ArrayLike<number>,
  noDx = false,
) {
  const [b, k] = shape as [number, number];
  return core.scoped(() => {
    const desc = descriptor([dt, ...shape]);
    const [ph, px, y, pd, dh, dx] = [
      put(dt, h),
      put(dt, x),
      put(dt, new Float64Array(b)),
      put(dt, dy ?? new Float64Array(b)),
      put(dt, new Float64Array(b * (k + 1))),
      put(dt, new Float64Array(b * k).fill(0.5)),
    ];
    w.nn_varying_forward(desc, ph, px, y);
    w.nn_varying_backward(desc, ph, px, pd, dh, noDx ? 0 : dx);
    const dxAdded = Float64Array.from(view(dt, dx, b * k), (v) => v - 0.5);
    return { y: Float64Array.from(view(dt, y, b)), dh: Float64Array.from(view(dt, dh, b * (k + 1))), dx: dxAdded };
  });
}

describe("nn_varying against torch", () => {
  for (const [name, f] of Object.entries(nnFixture("varying"))) {
    for (const [dt, rtol, atol] of [
      [0, 1e-10, 1e-14],
      [1, 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): y, dh and dx (added to what the buffers held)`, () => {
        const r = run(dt, f.shape as number[], f.h as number[], f.x as number[], f.dy as number[]);
        assertClose(r.y, f.y as number[], { rtol, atol }, `${name} y`);
        assertClose(r.dh, f.dh as number[], { rtol, atol }, `${name} dh`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
      });
    }
  }

  it("with dx = 0 the covariates get no gradient and dh is unchanged", () => {
    const f = nnFixture("varying").k3_mu_first as Record<string, number[]>;
    const r = run(0, f.shape as number[], f.h as number[], f.x as number[], f.dy as number[], true);
    expect(Array.from(r.dx).every((v) => v === 0)).toBe(true);
    assertClose(r.dh, f.dh as number[], { rtol: 1e-10 }, "dh");
  });

  it("K = 1 with mu last is today's beta * x + mu, bit for bit", () => {
    const n = 9;
    const h = uniforms("vh", 2 * n).map((v) => v * 3);
    const x = uniforms("vx", n);
    const r = run(0, [n, 1, 1], h, x);
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
    for (const dt of [0, 1] as const) {
      it(`shape [B, K, mu_last] = [${shape}] (${dt ? "f32" : "f64"})`, () => {
        const [b, k] = shape as [number, number];
        const h = uniforms(`vh${shape}`, b * (k + 1));
        const x = uniforms(`vx${shape}`, b * k);
        const r = uniforms(`vr${shape}`, b);
        const dot = (y: Float64Array) => y.reduce((acc, v, i) => acc + v * (r[i] as number), 0);
        const g = run(dt, shape, h, x, r);
        const [step, tol] = dt === 1 ? [1e-2, 1e-3] : [1e-6, 1e-6];
        expect(gradCheck((v) => dot(run(dt, shape, v, x).y), h, g.dh, step).worst).toBeLessThan(tol);
        expect(gradCheck((v) => dot(run(dt, shape, h, v).y), x, g.dx, step).worst).toBeLessThan(tol);
      });
    }
  }
});
