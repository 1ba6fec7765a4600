import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import type { Matrix } from "../../../src/core/matrix.js";
import { drawSubsamples, LMROB_DEFAULTS, lmrob } from "../../../src/deepmr/lmrob.js";
import { seedrandomStream } from "../../../src/sim/numpy/stream.js";
import { assertClose } from "../../helpers/assert-close.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();

/** [1, x] as an n x 2 column-major design. */
function design(x: ArrayLike<number>): Matrix {
  const n = x.length;
  const data = new Float64Array(2 * n).fill(1, 0, n);
  data.set(Array.from(x), n);
  return { rows: n, cols: 2, data };
}

/** y = 1 + 2 x + noise, with `bad` of the rows shifted by +10, and weights in (0.2, 5). */
function dataset(n: number, bad: number, seed: string) {
  const u = uniforms(seed, 3 * n);
  const x = Float64Array.from({ length: n }, (_, i) => 2 * (u[i] as number));
  const w = Float64Array.from({ length: n }, (_, i) => Math.exp(1.6 * (u[n + i] as number)));
  const y = Float64Array.from(
    { length: n },
    (_, i) =>
      1 + 2 * (x[i] as number) + (0.5 * (u[2 * n + i] as number)) / Math.sqrt(w[i] as number) + (i < bad ? 10 : 0),
  );
  return { x, y, w };
}

const psi = (t: number, c: number) => (Math.abs(t) > c ? 0 : t * (1 - (t / c) ** 2) ** 2);
const rho = (t: number, c: number) => (Math.abs(t) > c ? 1 : 1 - (1 - (t / c) ** 2) ** 3);

describe("lmrob_mm (assembly/stats/lmrob.ts)", () => {
  const { x, y, w } = dataset(60, 9, "lmrob-kkt");
  const fit = lmrob(core, design(x), y, w, 11);

  it("solves the M-estimating equations sum psi(r_i/s) x_i = 0 on the sqrt(w)-scaled rows", () => {
    expect(fit.status).toBe("ok");
    const c = LMROB_DEFAULTS.tuningPsi;
    let g0 = 0;
    let g1 = 0;
    let size = 0;
    for (let i = 0; i < x.length; i++) {
      const sw = Math.sqrt(w[i] as number);
      const t = (sw * (fit.residuals[i] as number)) / fit.scale;
      g0 += psi(t, c) * sw;
      g1 += psi(t, c) * sw * (x[i] as number);
      size += Math.abs(psi(t, c)) * sw * (1 + Math.abs(x[i] as number));
    }
    // IRWLS stops at a relative coefficient change of 1e-7: the gradient is that small, not zero.
    assertClose([g0 / size, g1 / size], [0, 0], { atol: 1e-6 }, "psi-weighted normal equations");
  });

  it("keeps the S-scale, which solves mean_{n-p} rho(r/s) = 1/2 at the S-estimate", () => {
    const c = LMROB_DEFAULTS.tuningChi;
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const r =
        (y[i] as number) - (fit.sCoefficients[0] as number) - (fit.sCoefficients[1] as number) * (x[i] as number);
      sum += rho((Math.sqrt(w[i] as number) * r) / fit.scale, c);
    }
    // The S refinement stops on the coefficients (refine.tol 1e-7), one scale step behind.
    assertClose(sum / (x.length - 2), 0.5, { atol: 1e-5 }, "M-scale equation");
    expect(fit.converged).toEqual({ s: true, m: true });
    expect(fit.iterations.m).toBeGreaterThan(1);
  });

  it("gives the same fit for permuted rows when the subsamples are permuted with them", () => {
    const n = x.length;
    const m = 10;
    const sub = drawSubsamples(n, m, 500, seedrandomStream(5, core));
    const perm = Array.from({ length: n }, (_, i) => (i * 37 + 11) % n);
    const where = new Int32Array(n);
    perm.forEach((old, i) => {
      where[old] = i;
    });
    const px = Float64Array.from(perm, (i) => x[i] as number);
    const py = Float64Array.from(perm, (i) => y[i] as number);
    const pw = Float64Array.from(perm, (i) => w[i] as number);
    const a = lmrob(core, design(x), y, w, 0, { subsamples: sub, subsampleRows: m });
    const b = lmrob(core, design(px), py, pw, 0, { subsamples: sub.map((r) => where[r] as number), subsampleRows: m });
    assertClose(b.coefficients, a.coefficients, { rtol: 1e-10 }, "coefficients");
    assertClose(b.se, a.se, { rtol: 1e-9 }, "standard errors");
    assertClose(b.scale, a.scale, { rtol: 1e-10 }, "scale");
    assertClose(
      b.rweights,
      perm.map((i) => a.rweights[i] as number),
      { rtol: 1e-8, atol: 1e-12 },
      "robustness weights",
    );
  });

  it("is reproducible from its seed and draws other subsamples under another seed", () => {
    const again = lmrob(core, design(x), y, w, 11);
    expect(again.coefficients).toEqual(fit.coefficients);
    const a = drawSubsamples(60, 10, 5, seedrandomStream(1, core));
    const b = drawSubsamples(60, 10, 5, seedrandomStream(2, core));
    expect(a).not.toEqual(b);
    for (let t = 0; t < 5; t++) expect(new Set(a.subarray(10 * t, 10 * t + 10)).size).toBe(10);
  });

  it("reports an exact fit through more than half the rows with scale 0 and a zero covariance", () => {
    const xs = Float64Array.from({ length: 9 }, (_, i) => i);
    const ys = Float64Array.from(xs, (v, i) => (i < 6 ? 3 - v : 40 * i));
    const f = lmrob(core, design(xs), ys, undefined, 3);
    expect(f.status).toBe("exact_fit");
    expect(f.scale).toBe(0);
    assertClose(f.coefficients, [3, -1], { rtol: 1e-12 }, "exact coefficients");
    expect(Array.from(f.cov)).toEqual([0, 0, 0, 0]);
  });

  it("reports singular data (no two rows with distinct x) and non-convergence with NaN covariance", () => {
    const flat = lmrob(core, design(new Float64Array(8).fill(2)), Float64Array.from(uniforms("f", 8)), undefined, 1);
    expect(flat.status).toBe("singular");
    const m = lmrob(core, design(x), y, w, 11, { maxIt: 2 });
    expect(m.status).toBe("not_converged");
    expect(m.converged).toEqual({ s: true, m: false });
    expect(m.se.every(Number.isNaN)).toBe(true);
    const s = lmrob(core, design(x), y, w, 11, { kMax: 1 });
    expect(s.status).toBe("not_converged");
    expect(s.converged.s).toBe(false);
    expect(Array.from(s.coefficients)).toEqual(Array.from(s.sCoefficients));
  });

  it("walks past dependent rows (tied x) and skips a subsample only when its rows run out", () => {
    const xs = Float64Array.from({ length: 20 }, (_, i) => i % 3);
    const ys = Float64Array.from(xs, (v, i) => 0.5 + v + 0.3 * (uniforms("t", 20)[i] as number));
    const walk = lmrob(core, design(xs), ys, undefined, 4, { subsampleRows: 20 });
    expect(walk.skipped).toBe(0);
    const short = lmrob(core, design(xs), ys, undefined, 4, { subsampleRows: 2 });
    expect(short.skipped).toBeGreaterThan(50);
    expect(short.status).toBe("ok");
  });

  it("stays inside its declared work space and output block", () => {
    const n = x.length;
    const w8 = core.wasm;
    const guard = 64;
    const sub = drawSubsamples(n, 10, 500, seedrandomStream(2, core));
    const ctrl = [1.54764, 0.5, 4.685061, 2, 1, 200, 200, 1e-7, 1e-7, 1e-10, 1e-7, 50];
    const codes = core.scoped(() => {
      const workLen = w8.lmrob_work_size(n, 2, 2);
      const outLen = w8.lmrob_out_size(n, 2);
      const work = core.alloc(workLen + guard);
      const out = core.alloc(outLen + guard);
      const subPtr = core.alloc(sub.length / 2);
      new Int32Array(w8.memory.buffer, subPtr, sub.length).set(sub);
      const args = [core.put(design(x).data), core.put(y), core.put(w), subPtr] as const;
      const ctrlPtr = core.put(ctrl);
      core.view(work + workLen * 8, guard).fill(-7);
      core.view(out + outLen * 8, guard).fill(-7);
      const code = w8.lmrob_mm(n, 2, ...args, 10, 500, ctrlPtr, work, out);
      const intact = [...core.view(work + workLen * 8, guard), ...core.view(out + outLen * 8, guard)].every(
        (v) => v === -7,
      );
      return { code, intact };
    });
    expect(codes).toEqual({ code: 0, intact: true });
  });

  it("makes a covariance with a negative eigenvalue positive semidefinite, keeping its diagonal", () => {
    // Six points with a Cauchy-like outlier (test/fixtures/lmrob posdefify_n6): avar1 is indefinite.
    const xs = [-0.26263, 0.878644, 0.64963, -0.296471, 0.281764, 0.107631];
    const ys = Float64Array.from([-0.855169, 1.475339, 0.864183, -7.003353, 0.267978, -2.857383]);
    const f = lmrob(core, design(xs), ys, undefined, 1);
    expect(f.status).toBe("ok");
    expect(f.negativeEigen).toBe(1);
    const [a, b, , d] = Array.from(f.cov) as [number, number, number, number];
    // Rank one after the fix: det = 0 up to rounding, relative to the diagonal's product.
    expect(Math.abs(a * d - b * b)).toBeLessThan(1e-10 * a * d);
    expect(a > 0 && d > 0).toBe(true);
  });

  it("rejects bad inputs in TypeScript with one-line messages", () => {
    expect(() => lmrob(core, design([1, 2]), new Float64Array(2), undefined, 1)).toThrow(
      /^lmrob: the number of rows must be more than the 2 columns; got 2$/,
    );
    expect(() => lmrob(core, design(x), y, Float64Array.from(w).fill(0, 0, 1), 1)).toThrow(
      /^lmrob: each weight must be positive and finite; got 0$/,
    );
    expect(() => lmrob(core, design(x), y, w, 1, { subsampleRows: 1 })).toThrow(/subsampleRows must be an integer/);
  });
});
