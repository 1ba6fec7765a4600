import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { assertClose } from "../helpers/assert-close.js";
import { placed as placeIn, SENTINEL } from "../helpers/placed.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();
const w = core.wasm;
const LENGTHS = Array.from({ length: 34 }, (_, i) => i);
const OFFSETS = [0, 1, 3];
const placed = (src: Float64Array, offset: number) => placeIn(core, src, offset);

/** Tolerance for a sum of n products in different orders: a few ulps of sum |x_i y_i|. */
function sumTol(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs((x[i] as number) * (y[i] as number));
  return 4 * Number.EPSILON * s * Math.max(1, Math.log2(x.length + 1));
}

describe("level-1 kernels: SIMD equals scalar twin", () => {
  for (const off of OFFSETS) {
    it(`dot, sum, amax, nrm2 on lengths 0..33 at offset ${off}`, () => {
      for (const n of LENGTHS) {
        core.scoped(() => {
          const x = uniforms(`x${n}`, n);
          const y = uniforms(`y${n}`, n);
          const px = placed(x, off);
          const py = placed(y, off + 1);
          let naive = 0;
          for (let i = 0; i < n; i++) naive += (x[i] as number) * (y[i] as number);
          const tol = { atol: sumTol(x, y), rtol: 0 };
          assertClose(w.dot(n, px, py), w.dot_scalar(n, px, py), tol, `dot n=${n}`);
          assertClose(w.dot(n, px, py), naive, tol, `dot vs JS n=${n}`);
          assertClose(
            w.sum(n, px),
            w.sum_scalar(n, px),
            {
              atol: sumTol(
                x,
                x.map(() => 1),
              ),
              rtol: 0,
            },
            `sum n=${n}`,
          );
          expect(w.amax(n, px)).toBe(w.amax_scalar(n, px));
          expect(w.amax(n, px)).toBe(n === 0 ? 0 : Math.max(...Array.from(x, Math.abs)));
          assertClose(w.nrm2(n, px), w.nrm2_scalar(n, px), { rtol: 1e-15 }, `nrm2 n=${n}`);
        });
      }
    });

    it(`axpy, scal and square are bitwise equal to their twins (and square to JS) at offset ${off}`, () => {
      for (const n of LENGTHS) {
        core.scoped(() => {
          const x = uniforms(`x${n}`, n);
          const y = uniforms(`y${n}`, n);
          const px = placed(x, off);
          const py1 = placed(y, off);
          const py2 = placed(y, off);
          w.axpy(n, 0.7, px, py1);
          w.axpy_scalar(n, 0.7, px, py2);
          expect(Array.from(core.view(py1, n))).toEqual(Array.from(core.view(py2, n)));
          expect(Array.from(core.view(py1, n))).toEqual(Array.from(y, (v, i) => v + 0.7 * (x[i] as number)));
          w.scal(n, -1.3, py1);
          w.scal_scalar(n, -1.3, py2);
          expect(Array.from(core.view(py1, n))).toEqual(Array.from(core.view(py2, n)));
          expect(core.view(py1 + n * 8, 1)[0]).toBe(SENTINEL);
          expect(core.view(py2 + n * 8, 1)[0]).toBe(SENTINEL);
          const sq1 = placed(new Float64Array(n).fill(Number.NaN), off + 1);
          const sq2 = placed(new Float64Array(n).fill(Number.NaN), off + 1);
          w.square(n, px, sq1);
          w.square_scalar(n, px, sq2);
          expect(Array.from(core.view(sq1, n))).toEqual(Array.from(x, (v) => v * v));
          expect(Array.from(core.view(sq2, n))).toEqual(Array.from(x, (v) => v * v));
          expect(core.view(sq1 + n * 8, 1)[0]).toBe(SENTINEL);
          w.square(n, py1, py1);
          w.square_scalar(n, py2, py2);
          expect(Array.from(core.view(py1, n))).toEqual(Array.from(core.view(py2, n)));
        });
      }
    });
  }

  it("nrm2 neither overflows nor underflows", () => {
    core.scoped(() => {
      for (const scale of [1e-200, 1e200, 1]) {
        const x = new Float64Array([3 * scale, 4 * scale, 0]);
        const p = core.put(x);
        assertClose(w.nrm2(3, p), 5 * scale, { rtol: 1e-15 }, `nrm2 at scale ${scale}`);
        assertClose(w.nrm2_scalar(3, p), 5 * scale, { rtol: 1e-15 }, `nrm2_scalar at scale ${scale}`);
      }
    });
  });

  it("views survive memory growth", () => {
    core.scoped(() => {
      const p = core.put(new Float64Array([1, 2, 3]));
      const before = core.heap.buffer;
      core.alloc(8 * 1024 * 1024); // 64 MiB: forces memory.grow
      expect(core.heap.buffer).not.toBe(before);
      expect(Array.from(core.view(p, 3))).toEqual([1, 2, 3]);
    });
  });
});
