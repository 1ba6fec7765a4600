import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, lowMemory, NnBuffers, ofDesc } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/logdet.ts: log det of a batch covariance against torch, finite differences, the singular case. */
const core = getCore();
const w = core.wasm;

/** log det(cov(Z) + eps I) and the gradient it adds (times `dloss`) to a zeroed buffer; `grads` false passes grad = 0. */
function run(dtype: Dtype, n: number, d: number, eps: number, z: ArrayLike<number>, dloss = 1, grads = true) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(n, d);
    const work = nb.bytes(w.nn_logdet_work_size(desc));
    const [pz, g] = [nb.put(z), nb.put(n * d)];
    const loss = w.nn_logdet_loss(desc, nb.hyper(eps), pz, grads ? g : 0, work, dloss);
    return { loss, grad: nb.read(g, n * d) };
  });
}

describe("nn_logdet_loss against torch.logdet(torch.cov(Z) + eps I)", () => {
  for (const [name, f] of Object.entries(nnFixture("logdet"))) {
    const [n, d] = f.shape as [number, number];
    for (const [dtype, rtol, atol] of [
      ["f64", 1e-10, 1e-13],
      ["f32", 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dtype}): loss and gradient`, () => {
        const r = run(dtype, n, d, f.eps as number, f.z as number[]);
        assertClose(r.loss, f.loss as number, { rtol, atol }, `${name} loss`);
        assertClose(r.grad, f.dz as number[], { rtol, atol: atol * 10 }, `${name} dz`);
      });
    }
  }

  it("nn_logdet_work_size is 8 (2 d² + d) bytes in either dtype (the work is f64)", () => {
    expect(ofDesc(core, "f64", w.nn_logdet_work_size, 9, 5)).toBe(8 * 55);
    expect(ofDesc(core, "f32", w.nn_logdet_work_size, 9, 5)).toBe(8 * 55);
  });

  it("dloss scales the gradient (the entropy term passes -lambda)", () => {
    const f = nnFixture("logdet").n9_d4_invariance as Record<string, number[]>;
    const r = run("f64", 9, 4, 1e-6, f.z as number[], -0.01);
    assertClose(
      r.grad,
      (f.dz as number[]).map((v) => -0.01 * v),
      { rtol: 1e-10, atol: 1e-15 },
      "-0.01 dz",
    );
  });

  it("grad = 0 gives the same loss and writes nothing at address 0", () => {
    const f = nnFixture("logdet").n9_d4_invariance as Record<string, number[]>;
    const low = lowMemory(core, 9 * 4 * 8);
    const r = run("f64", 9, 4, 1e-6, f.z as number[], 1, false);
    expect(lowMemory(core, 9 * 4 * 8)).toEqual(low);
    assertClose(r.loss, f.loss as unknown as number, { rtol: 1e-10 }, "loss without gradient");
  });

  it("returns NaN and adds nothing when the covariance is singular (eps 0, a constant column)", () => {
    const r = run(
      "f64",
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
    for (const dtype of ["f64", "f32"] as const) {
      it(`n ${n}, d ${d} (${dtype})`, () => {
        const z = uniforms(`lz${n}${d}`, n * d);
        const { h, tol } = fdSettings(dtype);
        const grad = run(dtype, n, d, 1e-6, z).grad;
        expect(gradCheck((v) => run(dtype, n, d, 1e-6, v).loss, z, grad, h).worst).toBeLessThan(tol);
      });
    }
  }
});
