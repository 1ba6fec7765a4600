import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/logdet.ts: log det of a batch covariance against torch, finite differences, the singular case. */
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

/** log det(cov(Z) + eps I) and the gradient it adds (times `dloss`) to a zeroed buffer. */
function run(dt: Dtype, n: number, d: number, eps: number, z: ArrayLike<number>, dloss = 1) {
  return core.scoped(() => {
    const desc = descriptor([dt, n, d]);
    const work = core.alloc(w.nn_logdet_work_size(desc) / 8);
    const [pz, g] = [put(dt, z), put(dt, new Float64Array(n * d))];
    const loss = w.nn_logdet_loss(desc, core.put([eps]), pz, g, work, dloss);
    return { loss, grad: Float64Array.from(view(dt, g, n * d)) };
  });
}

describe("nn_logdet_loss against torch.logdet(torch.cov(Z) + eps I)", () => {
  for (const [name, f] of Object.entries(nnFixture("logdet"))) {
    const [n, d] = f.shape as [number, number];
    for (const [dt, rtol, atol] of [
      [0, 1e-10, 1e-13],
      [1, 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): loss and gradient`, () => {
        const r = run(dt, n, d, f.eps as number, f.z as number[]);
        assertClose(r.loss, f.loss as number, { rtol, atol }, `${name} loss`);
        assertClose(r.grad, f.dz as number[], { rtol, atol: atol * 10 }, `${name} dz`);
      });
    }
  }

  it("dloss scales the gradient (the entropy term passes -lambda)", () => {
    const f = nnFixture("logdet").n9_d4_invariance as Record<string, number[]>;
    const r = run(0, 9, 4, 1e-6, f.z as number[], -0.01);
    assertClose(
      r.grad,
      (f.dz as number[]).map((v) => -0.01 * v),
      { rtol: 1e-10, atol: 1e-15 },
      "-0.01 dz",
    );
  });

  it("returns NaN and adds nothing when the covariance is singular (eps 0, a constant column)", () => {
    const r = run(
      0,
      5,
      3,
      0,
      uniforms("sing", 15).map((v, i) => (i % 3 === 1 ? 0.5 : v)),
    );
    expect(Number.isNaN(r.loss)).toBe(true);
    expect(Array.from(r.grad).every((v) => v === 0)).toBe(true);
  });
});

describe("nn_logdet_loss gradient by central differences (odd sizes)", () => {
  for (const [n, d] of [
    [9, 3],
    [7, 5],
    [5, 1],
  ] as const) {
    for (const dt of [0, 1] as const) {
      it(`n ${n}, d ${d} (${dt ? "f32" : "f64"})`, () => {
        const z = uniforms(`lz${n}${d}`, n * d);
        const [h, tol] = dt === 1 ? [1e-2, 1e-3] : [1e-6, 1e-6];
        expect(gradCheck((v) => run(dt, n, d, 1e-6, v).loss, z, run(dt, n, d, 1e-6, z).grad, h).worst).toBeLessThan(
          tol,
        );
      });
    }
  }
});
