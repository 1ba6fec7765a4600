import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/loss.ts: MSE, Poisson NLL and BCE with logits against torch, and finite differences. */
const core = getCore();
const w = core.wasm;
type Dtype = 0 | 1;
type Kind = "mse" | "poisson" | "bce";

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

const kernel = (kind: Kind) =>
  kind === "mse" ? w.nn_mse_loss : kind === "poisson" ? w.nn_poisson_nll_loss : w.nn_bce_logits_loss;

/** The loss and the gradient it adds to a buffer holding `start` (zeros unless given), with upstream `dloss`. */
function run(dt: Dtype, kind: Kind, z: ArrayLike<number>, y: ArrayLike<number>, dloss = 1, start?: ArrayLike<number>) {
  return core.scoped(() => {
    const n = z.length;
    const [pz, py, g] = [put(dt, z), put(dt, y), put(dt, start ?? new Float64Array(n))];
    const loss = kernel(kind)(descriptor([dt, n]), pz, py, g, dloss);
    return { loss, grad: Float64Array.from(view(dt, g, n)) };
  });
}

describe("nn losses against torch (reduction mean)", () => {
  for (const [name, f] of Object.entries(nnFixture("loss"))) {
    const kind = name.split("_")[0] as Kind;
    for (const [dt, rtol, atol] of [
      [0, 1e-10, 1e-15],
      [1, 1e-5, 1e-6],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): loss and gradient`, () => {
        const r = run(dt, kind, f.z as number[], f.y as number[]);
        assertClose(r.loss, f.loss as number, { rtol, atol }, `${name} loss`);
        assertClose(r.grad, f.dz as number[], { rtol, atol }, `${name} dz`);
      });
    }
  }

  it("adds dloss times the gradient to what the buffer holds; grad 0 skips it", () => {
    const f = nnFixture("loss").poisson_9 as Record<string, number[]>;
    const start = uniforms("start", 9);
    const r = run(0, "poisson", f.z as number[], f.y as number[], -0.25, start);
    assertClose(
      r.grad,
      start.map((s, i) => s - 0.25 * (f.dz?.[i] as number)),
      { rtol: 1e-12 },
      "start - 0.25 dz",
    );
    const loss = core.scoped(() =>
      w.nn_poisson_nll_loss(descriptor([0, 9]), put(0, f.z as number[]), put(0, f.y as number[]), 0, 1),
    );
    assertClose(loss, f.loss as unknown as number, { rtol: 1e-10 }, "loss without gradient");
  });

  it("BCE with logits stays finite at logits of +-800", () => {
    const r = run(0, "bce", [-800, 800, 800], [1, 0, 1]);
    assertClose(r.loss, 1600 / 3, { rtol: 1e-15 }, "loss");
    assertClose(r.grad, [-1 / 3, 1 / 3, 0], { rtol: 1e-15 }, "gradient");
  });
});

describe("nn loss gradients by central differences (odd sizes)", () => {
  for (const kind of ["mse", "poisson", "bce"] as const) {
    for (const dt of [0, 1] as const) {
      it(`${kind}, n = 13 (${dt ? "f32" : "f64"})`, () => {
        const z = uniforms(`lz${kind}`, 13).map((v) => 2 * v);
        const u = uniforms(`ly${kind}`, 13);
        const y =
          kind === "mse" ? u : kind === "poisson" ? u.map((v) => Math.round(3 * (v + 1))) : u.map((v) => (v + 1) / 2);
        // f32: h = 1e-3, not 1e-2: exp's third derivative makes 1e-2's truncation error ~1e-5 per element.
        const [h, tol] = dt === 1 ? [1e-3, 1e-3] : [1e-6, 1e-6];
        expect(gradCheck((v) => run(dt, kind, v, y).loss, z, run(dt, kind, z, y).grad, h).worst).toBeLessThan(tol);
      });
    }
  }
});
