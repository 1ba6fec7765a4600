import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, NnBuffers, ofDesc } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/kernel-loss.ts: MMD² and HSIC (polynomial and multi-scale RBF kernels) against torch and finite differences. */
const core = getCore();
const w = core.wasm;
type Which = "mmd" | "hsic";

/** desc (without the dtype) = [n, m or dx, d or dy, kernel, degree, S, estimator, sigma given]; hyper = [c, eps, floor, scales..., sigma²...]. */
interface Case {
  desc: number[];
  hyper: number[];
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** The loss and the gradients it adds (times `dloss`) to zeroed buffers; `grads` false passes gx = gy = 0. */
function run(dtype: Dtype, which: Which, c: Case, dloss = 1, grads = true) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(...c.desc);
    const work = nb.bytes(which === "mmd" ? w.nn_mmd2_work_size(desc) : w.nn_hsic_work_size(desc));
    const [px, py, gx, gy] = [nb.put(c.x), nb.put(c.y), nb.put(c.x.length), nb.put(c.y.length)];
    const kernel = which === "mmd" ? w.nn_mmd2_loss : w.nn_hsic_loss;
    const loss = kernel(desc, nb.hyper(...c.hyper), px, py, grads ? gx : 0, grads ? gy : 0, work, dloss);
    return { loss, dx: nb.read(gx, c.x.length), dy: nb.read(gy, c.y.length) };
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
    for (const [dtype, rtol, atol] of [
      ["f64", 1e-10, 1e-14],
      ["f32", 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dtype}): loss, dx and dy`, () => {
        const r = run(dtype, which, caseOf(f));
        assertClose(r.loss, f.loss as number[], { rtol, atol }, `${name} loss`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
        assertClose(r.dy, f.dy as number[], { rtol, atol }, `${name} dy`);
      });
    }
  }

  it("gx = gy = 0 gives the same loss and writes no gradient; dloss scales the gradients", () => {
    const f = fixture.hsic_rbf as Record<string, number[]>;
    const none = run("f64", "hsic", caseOf(f), 1, false);
    assertClose(none.loss, f.loss as number[], { rtol: 1e-10 }, "loss without gradients");
    expect([...none.dx, ...none.dy].every((v) => v === 0)).toBe(true);
    const half = run("f64", "mmd", caseOf(fixture.mmd_rbf_u_study as Record<string, number[]>), -0.5);
    const g = fixture.mmd_rbf_u_study as Record<string, number[]>;
    assertClose(
      half.dx,
      (g.dx as number[]).map((v) => -0.5 * v),
      { rtol: 1e-10, atol: 1e-15 },
      "-0.5 dx",
    );
  });

  it("work sizes stay exact past 2³¹ bytes, and core.alloc refuses what wasm32 cannot address", () => {
    // HSIC at n = 16384, MMD² at n = m = 20000: an i32 byte count wraps for both.
    const [n, m] = [16384, 20000];
    const hsic = ofDesc(core, "f64", w.nn_hsic_work_size, n, 3, 2, 1, 2, 3, 0, 0);
    const mmd = ofDesc(core, "f64", w.nn_mmd2_work_size, m, m, 3, 1, 2, 3, 0, 0);
    expect(hsic).toBe(8 * (2 * n * n + 2 * n + 3 + (n * (n - 1)) / 2));
    expect(mmd).toBe(8 * (3 + (2 * m * (2 * m - 1)) / 2));
    for (const size of [hsic, mmd]) {
      expect(size).toBeGreaterThan(2 ** 32);
      expect(() => core.scoped(() => core.alloc(Math.ceil(size / 8)))).toThrow(/could not allocate/);
    }
  });

  it("MMD² of a batch with itself is 0 for the V-statistic", () => {
    const x = uniforms("same", 14);
    const r = run("f64", "mmd", { desc: [7, 7, 2, 1, 2, 3, 0, 0], hyper: [1, 1e-8, 1e-6, 0.1, 1, 5], x, y: x });
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
    for (const dtype of ["f64", "f32"] as const) {
      it(`${label}, desc [${desc}] (${dtype})`, () => {
        const [n, a, b] = desc as [number, number, number];
        const [nx, ny] = which === "mmd" ? [n * b, a * b] : [n * a, n * b];
        const hyper = [1, 1e-8, 1e-6, 0.1, 1, 5, 0.7, 1.9];
        const c = { desc, hyper, x: uniforms(`kx${desc}`, nx), y: uniforms(`ky${desc}`, ny) };
        const g = run(dtype, which, c);
        // f32: h = 1e-3; the degree-4 polynomial HSIC's truncation error at 1e-2 is near the tolerance.
        const { h, tol } = dtype === "f32" ? { h: 1e-3, tol: 1e-3 } : fdSettings(dtype);
        const x = Float64Array.from(c.x);
        const y = Float64Array.from(c.y);
        expect(gradCheck((v) => run(dtype, which, { ...c, x: v }).loss, x, g.dx, h).worst).toBeLessThan(tol);
        expect(gradCheck((v) => run(dtype, which, { ...c, y: v }).loss, y, g.dy, h).worst).toBeLessThan(tol);
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
    assertClose(run("f64", "mmd", given).loss, f.loss as number[], { rtol: 1e-10 }, "loss with sigma² given");
  });
});
