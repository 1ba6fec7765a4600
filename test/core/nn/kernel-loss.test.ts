import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/kernel-loss.ts: MMD² and HSIC (polynomial and multi-scale RBF kernels) against torch and finite differences. */
const core = getCore();
const w = core.wasm;
type Dtype = 0 | 1;
type Which = "mmd" | "hsic";

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

/** desc (without the dtype) = [n, m or dx, d or dy, kernel, degree, S, estimator, sigma given]; hyper = [c, eps, floor, scales..., sigma²...]. */
interface Case {
  desc: number[];
  hyper: number[];
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** The loss and the gradients it adds (times `dloss`) to zeroed buffers; `grads` false passes gx = gy = 0. */
function run(dt: Dtype, which: Which, c: Case, dloss = 1, grads = true) {
  return core.scoped(() => {
    const desc = descriptor([dt, ...c.desc]);
    const size = which === "mmd" ? w.nn_mmd2_work_size(desc) : w.nn_hsic_work_size(desc);
    const work = core.alloc(Math.ceil(size / 8));
    const [px, py, gx, gy] = [
      put(dt, c.x),
      put(dt, c.y),
      put(dt, new Float64Array(c.x.length)),
      put(dt, new Float64Array(c.y.length)),
    ];
    const kernel = which === "mmd" ? w.nn_mmd2_loss : w.nn_hsic_loss;
    const loss = kernel(desc, core.put(c.hyper), px, py, grads ? gx : 0, grads ? gy : 0, work, dloss);
    return { loss, dx: Float64Array.from(view(dt, gx, c.x.length)), dy: Float64Array.from(view(dt, gy, c.y.length)) };
  });
}

const fixture = nnFixture("kernel-loss");
const caseOf = (f: Record<string, number[] | number>): Case => ({
  desc: f.desc as number[],
  hyper: f.hyper as number[],
  x: f.x as number[],
  y: f.y as number[],
});

describe("nn_mmd2_loss and nn_hsic_loss against torch (Gram-matrix definitions)", () => {
  for (const [name, f] of Object.entries(fixture)) {
    const which = name.split("_")[0] as Which;
    for (const [dt, rtol, atol] of [
      [0, 1e-10, 1e-14],
      [1, 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): loss, dx and dy`, () => {
        const r = run(dt, which, caseOf(f));
        assertClose(r.loss, f.loss as number[], { rtol, atol }, `${name} loss`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
        assertClose(r.dy, f.dy as number[], { rtol, atol }, `${name} dy`);
      });
    }
  }

  it("gx = gy = 0 gives the same loss and writes no gradient; dloss scales the gradients", () => {
    const f = fixture.hsic_rbf as Record<string, number[]>;
    const none = run(0, "hsic", caseOf(f), 1, false);
    assertClose(none.loss, f.loss as number[], { rtol: 1e-10 }, "loss without gradients");
    expect([...none.dx, ...none.dy].every((v) => v === 0)).toBe(true);
    const half = run(0, "mmd", caseOf(fixture.mmd_rbf_u_study as Record<string, number[]>), -0.5);
    const g = fixture.mmd_rbf_u_study as Record<string, number[]>;
    assertClose(
      half.dx,
      (g.dx as number[]).map((v) => -0.5 * v),
      { rtol: 1e-10, atol: 1e-15 },
      "-0.5 dx",
    );
  });

  it("MMD² of a batch with itself is 0 for the V-statistic", () => {
    const x = uniforms("same", 14);
    const r = run(0, "mmd", { desc: [7, 7, 2, 1, 2, 3, 0, 0], hyper: [1, 1e-8, 1e-6, 0.1, 1, 5], x, y: x });
    assertClose(r.loss, 0, { atol: 1e-14 }, "MMD²(X, X)");
  });
});

describe("kernel losses: gradients by central differences (odd sizes)", () => {
  // The batch median moves with the inputs (it is one pair's distance) while the kernels treat it
  // as a constant, so these checks give sigma² (desc[8] = 1): 0.7 for X (and pooled), 1.9 for Y.
  const cases: [string, Which, number[]][] = [
    ["MMD² polynomial, V", "mmd", [5, 7, 3, 0, 2, 3, 0, 1]],
    ["MMD² polynomial degree 3, U", "mmd", [7, 5, 1, 0, 3, 3, 1, 1]],
    ["MMD² RBF, U", "mmd", [5, 7, 3, 1, 2, 3, 1, 1]],
    ["MMD² RBF, V", "mmd", [7, 3, 3, 1, 2, 3, 0, 1]],
    ["HSIC polynomial", "hsic", [9, 3, 1, 0, 2, 3, 0, 1]],
    ["HSIC RBF", "hsic", [7, 3, 5, 1, 2, 3, 0, 1]],
  ];
  for (const [label, which, desc] of cases) {
    for (const dt of [0, 1] as const) {
      it(`${label}, desc [${desc}] (${dt ? "f32" : "f64"})`, () => {
        const [n, a, b] = desc as [number, number, number];
        const [nx, ny] = which === "mmd" ? [n * b, a * b] : [n * a, n * b];
        const hyper = [1, 1e-8, 1e-6, 0.1, 1, 5, 0.7, 1.9];
        const c = { desc, hyper, x: uniforms(`kx${desc}`, nx), y: uniforms(`ky${desc}`, ny) };
        const g = run(dt, which, c);
        // f32: h = 1e-3; the degree-4 polynomial HSIC's truncation error at 1e-2 is near the tolerance.
        const [h, tol] = dt === 1 ? [1e-3, 1e-3] : [1e-6, 1e-6];
        const x = Float64Array.from(c.x);
        const y = Float64Array.from(c.y);
        expect(gradCheck((v) => run(dt, which, { ...c, x: v }).loss, x, g.dx, h).worst).toBeLessThan(tol);
        expect(gradCheck((v) => run(dt, which, { ...c, y: v }).loss, y, g.dy, h).worst).toBeLessThan(tol);
      });
    }
  }

  it("a given sigma² equal to the batch median gives the median's loss", () => {
    const f = fixture.mmd_rbf_v_odd_pairs as Record<string, number[]>;
    const [n, m, d] = f.desc as [number, number, number];
    const z = [...(f.x as number[]), ...(f.y as number[])];
    const d2: number[] = [];
    for (let i = 0; i < n + m; i++) {
      for (let j = i + 1; j < n + m; j++) {
        d2.push(
          Array.from({ length: d }, (_, k) => ((z[i * d + k] as number) - (z[j * d + k] as number)) ** 2).reduce(
            (s, v) => s + v,
          ),
        );
      }
    }
    d2.sort((p, q) => p - q);
    const lower = d2[(d2.length - 1) >> 1] as number;
    const given = {
      ...caseOf(f),
      desc: [...(f.desc as number[]).slice(0, 7), 1],
      hyper: [...(f.hyper as number[]), lower],
    };
    assertClose(run(0, "mmd", given).loss, f.loss as number[], { rtol: 1e-10 }, "loss with sigma² given");
  });
});
