import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/loss.ts: MSE, Poisson NLL and BCE with logits against torch, and finite differences. */
const core = getCore();
const w = core.wasm;
type Kind = "mse" | "poisson" | "bce";

const kernel = (kind: Kind) =>
  kind === "mse" ? w.nn_mse_loss : kind === "poisson" ? w.nn_poisson_nll_loss : w.nn_bce_logits_loss;

/** The loss and the gradient it adds to a buffer holding `start` (zeros unless given), with upstream `dloss`. */
function run(
  dtype: Dtype,
  kind: Kind,
  z: ArrayLike<number>,
  y: ArrayLike<number>,
  dloss = 1,
  start?: ArrayLike<number>,
) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const n = z.length;
    const [pz, py, g] = [nb.put(z), nb.put(y), nb.put(start ?? n)];
    const loss = kernel(kind)(nb.desc(n), pz, py, g, dloss);
    return { loss, grad: nb.read(g, n) };
  });
}

describe("nn losses against torch (reduction mean)", () => {
  for (const [name, f] of Object.entries(nnFixture("loss"))) {
    const kind = name.split("_")[0] as Kind;
    for (const [dtype, rtol, atol] of [
      ["f64", 1e-10, 1e-15],
      ["f32", 1e-5, 1e-6],
    ] as const) {
      it(`${name} (${dtype}): loss and gradient`, () => {
        const r = run(dtype, kind, f.z as number[], f.y as number[]);
        assertClose(r.loss, f.loss as number, { rtol, atol }, `${name} loss`);
        assertClose(r.grad, f.dz as number[], { rtol, atol }, `${name} dz`);
      });
    }
  }

  it("adds dloss times the gradient to what the buffer holds; grad 0 skips it", () => {
    const f = nnFixture("loss").poisson_9 as Record<string, number[]>;
    const start = uniforms("start", 9);
    const r = run("f64", "poisson", f.z as number[], f.y as number[], -0.25, start);
    assertClose(
      r.grad,
      start.map((s, i) => s - 0.25 * (f.dz?.[i] as number)),
      { rtol: 1e-12 },
      "start - 0.25 dz",
    );
    const loss = core.scoped(() => {
      const nb = new NnBuffers(core, "f64");
      return w.nn_poisson_nll_loss(nb.desc(9), nb.put(f.z as number[]), nb.put(f.y as number[]), 0, 1);
    });
    assertClose(loss, f.loss as unknown as number, { rtol: 1e-10 }, "loss without gradient");
  });

  it("BCE with logits stays finite at logits of +-800", () => {
    const r = run("f64", "bce", [-800, 800, 800], [1, 0, 1]);
    assertClose(r.loss, 1600 / 3, { rtol: 1e-15 }, "loss");
    assertClose(r.grad, [-1 / 3, 1 / 3, 0], { rtol: 1e-15 }, "gradient");
  });
});

describe("nn loss gradients by central differences (odd sizes)", () => {
  for (const kind of ["mse", "poisson", "bce"] as const) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`${kind}, n = 13 (${dtype})`, () => {
        const z = uniforms(`lz${kind}`, 13).map((v) => 2 * v);
        const u = uniforms(`ly${kind}`, 13);
        const y =
          kind === "mse" ? u : kind === "poisson" ? u.map((v) => Math.round(3 * (v + 1))) : u.map((v) => (v + 1) / 2);
        // f32: h = 1e-3, not 1e-2: exp's third derivative makes 1e-2's truncation error ~1e-5 per element.
        const { h, tol } = dtype === "f32" ? { h: 1e-3, tol: 1e-3 } : fdSettings(dtype);
        const grad = run(dtype, kind, z, y).grad;
        expect(gradCheck((v) => run(dtype, kind, v, y).loss, z, grad, h).worst).toBeLessThan(tol);
      });
    }
  }
});
