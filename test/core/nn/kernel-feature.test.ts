import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/kernel-feature.ts: the O(n) feature form of the polynomial MMD² and HSIC against the Gram form and finite differences. */
const core = getCore();
const w = core.wasm;
type Which = "mmd" | "hsic";

interface Case {
  desc: number[];
  c: number;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** The loss and the gradients (times dloss) of the feature form (`feat`) or the Gram form on zeroed buffers. */
function run(dtype: Dtype, which: Which, feat: boolean, k: Case, dloss = 1, grads = true) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(...k.desc);
    const size = feat
      ? which === "mmd"
        ? w.nn_mmd2_feat_work_size(desc)
        : w.nn_hsic_feat_work_size(desc)
      : which === "mmd"
        ? w.nn_mmd2_work_size(desc)
        : w.nn_hsic_work_size(desc);
    const work = nb.bytes(size);
    const [px, py, gx, gy] = [nb.put(k.x), nb.put(k.y), nb.put(k.x.length), nb.put(k.y.length)];
    const kernel = feat
      ? which === "mmd"
        ? w.nn_mmd2_feat_loss
        : w.nn_hsic_feat_loss
      : which === "mmd"
        ? w.nn_mmd2_loss
        : w.nn_hsic_loss;
    const loss = kernel(desc, nb.hyper(k.c, 1e-8, 1e-6), px, py, grads ? gx : 0, grads ? gy : 0, work, dloss);
    return { loss, dx: nb.read(gx, k.x.length), dy: nb.read(gy, k.y.length) };
  });
}

/** A case: desc [n, m or dx, d or dy, kernel 0, degree, S, estimator or divisor, 0], inputs scaled by `scale`. */
function caseOf(which: Which, desc: number[], c: number, scale = 1): Case {
  const [n, a, b] = desc as [number, number, number];
  const [nx, ny] = which === "mmd" ? [n * b, a * b] : [n * a, n * b];
  const s = (v: Float64Array) => Array.from(v, (u) => scale * u);
  return { desc, c, x: s(uniforms(`fx${desc}${c}`, nx)), y: s(uniforms(`fy${desc}${c}`, ny)) };
}

// [which, desc, c]: the study's case (d = 2, degree 2, c = 1, HSIC divisor n), other degrees,
// widths, offsets (c = 0: the homogeneous kernel, whose features have no constant) and divisors.
const cases: [Which, number[], number][] = [
  ["mmd", [500, 500, 2, 0, 2, 0, 0, 0], 1],
  ["mmd", [7, 5, 3, 0, 1, 0, 0, 0], 1],
  ["mmd", [9, 4, 2, 0, 3, 0, 0, 0], 0.5],
  ["mmd", [6, 11, 4, 0, 2, 0, 0, 0], 0],
  ["mmd", [5, 8, 1, 0, 3, 0, 0, 0], 2],
  ["hsic", [500, 2, 2, 0, 2, 0, 1, 0], 1],
  ["hsic", [9, 2, 3, 0, 2, 0, 0, 0], 1],
  ["hsic", [11, 1, 4, 0, 3, 0, 1, 0], 0.5],
  ["hsic", [7, 3, 1, 0, 1, 0, 0, 0], 0],
  ["hsic", [13, 2, 2, 0, 3, 0, 1, 0], 2],
];

describe("feature form equals the Gram form (f64, 1e-10)", () => {
  for (const [which, desc, c] of cases) {
    it(`${which} desc [${desc}], c ${c}: loss, dx, dy`, () => {
      const k = caseOf(which, desc, c);
      const feat = run("f64", which, true, k);
      const gram = run("f64", which, false, k);
      // The loss is a difference of O(1) sums: compare it on their scale.
      assertClose(feat.loss, gram.loss, { rtol: 1e-10, atol: 1e-12 }, `${which} loss`);
      assertClose(feat.dx, gram.dx, { rtol: 1e-10, atol: 1e-12 }, `${which} dx`);
      assertClose(feat.dy, gram.dy, { rtol: 1e-10, atol: 1e-12 }, `${which} dy`);
      expect(feat.loss).not.toBe(0);
    });
  }

  it("f32 buffers give the f64 numbers to f32 rounding", () => {
    const k = caseOf("hsic", [9, 2, 3, 0, 2, 0, 1, 0], 1);
    const f32 = run("f32", "hsic", true, k);
    const f64 = run("f64", "hsic", false, k);
    assertClose(f32.loss, f64.loss, { rtol: 1e-5, atol: 1e-6 }, "HSIC f32");
    assertClose(f32.dx, f64.dx, { rtol: 1e-4, atol: 1e-5 }, "HSIC dx f32");
  });

  it("gx = gy = 0 writes no gradient; dloss scales the gradients", () => {
    const k = caseOf("mmd", [7, 5, 3, 0, 2, 0, 0, 0], 1);
    const none = run("f64", "mmd", true, k, 1, false);
    const one = run("f64", "mmd", true, k);
    expect(none.loss).toBe(one.loss);
    expect([...none.dx, ...none.dy].every((v) => v === 0)).toBe(true);
    const half = run("f64", "hsic", true, caseOf("hsic", [9, 2, 3, 0, 2, 0, 0, 0], 1), -0.5);
    const full = run("f64", "hsic", true, caseOf("hsic", [9, 2, 3, 0, 2, 0, 0, 0], 1));
    assertClose(
      half.dy,
      [...full.dy].map((v) => -0.5 * v),
      { rtol: 1e-12, atol: 1e-15 },
      "-0.5 dy",
    );
  });

  it("work sizes: C(d + p, p) features (6 for d = 2, p = 2)", () => {
    const size = (f: (d: number) => number, ...desc: number[]) =>
      core.scoped(() => f(new NnBuffers(core, "f64").desc(...desc)));
    // MMD: 8 ((d + 1) F + 3 F + d); d = 2, p = 2: F = 6.
    expect(size(w.nn_mmd2_feat_work_size, 10, 10, 2, 0, 2, 0, 0, 0)).toBe(8 * (3 * 6 + 3 * 6 + 2));
    // HSIC n = 10, dx = 2 (F 6), dy = 3 (F 10), p = 2.
    const hs = size(w.nn_hsic_feat_work_size, 10, 2, 3, 0, 2, 0, 0, 0);
    expect(hs).toBe(8 * ((2 + 2 + 10) * 6 + (3 + 2 + 10) * 10 + 60 + 10 + 3));
  });
});

describe("feature form: gradients by central differences (odd sizes)", () => {
  for (const [which, desc, c] of cases.filter(([, d]) => (d[0] as number) < 100)) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`${which} desc [${desc}], c ${c} (${dtype})`, () => {
        const k = caseOf(which, desc, c);
        const g = run(dtype, which, true, k);
        const { h, tol } = dtype === "f32" ? { h: 1e-3, tol: 1e-3 } : fdSettings(dtype);
        const x = Float64Array.from(k.x);
        const y = Float64Array.from(k.y);
        expect(gradCheck((v) => run(dtype, which, true, { ...k, x: v }).loss, x, g.dx, h).worst).toBeLessThan(tol);
        expect(gradCheck((v) => run(dtype, which, true, { ...k, y: v }).loss, y, g.dy, h).worst).toBeLessThan(tol);
      });
    }
  }
});
