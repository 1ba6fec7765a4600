import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { assertClose } from "../helpers/assert-close.js";
import { placed, SENTINEL } from "../helpers/placed.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();
const w = core.wasm;
/** Rows 0, 1, 2, 3, 2k and 2k + 1 (the SIMD loop's tails), with a few column counts. */
const SHAPES: Array<[number, number]> = [
  [0, 2],
  [1, 1],
  [2, 3],
  [3, 2],
  [16, 4],
  [17, 5],
  [101, 3],
];

/** Mean and centred sum of squares of one column, in plain JavaScript. */
function naiveStats(x: Float64Array, from: number, n: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[from + i] as number;
  const m = n > 0 ? s / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((x[from + i] as number) - m) ** 2;
  return [m, ss];
}

describe("column_stats and scaled_rows", () => {
  for (const off of [0, 1]) {
    it(`column_stats agrees with its twin and with JS, leaving X unchanged (offset ${off}, ldx > n)`, () => {
      for (const [n, p] of SHAPES) {
        core.scoped(() => {
          const ldx = n + 3;
          // A large offset makes the refinement pass matter.
          const x = uniforms(`cs${n}x${p}`, ldx * p).map((v) => 1e3 + v);
          const px = placed(core, x, off);
          const m1 = placed(core, new Float64Array(p), off);
          const s1 = placed(core, new Float64Array(p), off);
          const m2 = placed(core, new Float64Array(p), 0);
          const s2 = placed(core, new Float64Array(p), 0);
          w.column_stats(n, p, px, ldx, m1, s1);
          w.column_stats_scalar(n, p, px, ldx, m2, s2);
          expect(Array.from(core.view(px, ldx * p))).toEqual(Array.from(x));
          for (let j = 0; j < p; j++) {
            const [m, ss] = naiveStats(x, j * ldx, n);
            const where = `${n}x${p} column ${j}`;
            assertClose(core.view(m1, p)[j] as number, m, { rtol: 1e-14 }, `mean ${where}`);
            assertClose(core.view(m2, p)[j] as number, m, { rtol: 1e-14 }, `scalar mean ${where}`);
            assertClose(core.view(s1, p)[j] as number, ss, { rtol: 1e-9, atol: 1e-9 }, `ss ${where}`);
            assertClose(core.view(s2, p)[j] as number, ss, { rtol: 1e-9, atol: 1e-9 }, `scalar ss ${where}`);
          }
          expect(core.view(m1 + p * 8, 1)[0]).toBe(SENTINEL);
          expect(core.view(s1 + p * 8, 1)[0]).toBe(SENTINEL);
        });
      }
    });

    it(`scaled_rows is bitwise equal to its twin and to (x - mean) * scale (offset ${off})`, () => {
      for (const [n, p] of SHAPES) {
        for (const a of n > 2 ? [0, 1] : [0]) {
          core.scoped(() => {
            const ldx = n + 2;
            const m = n - a;
            const x = uniforms(`sr${n}x${p}`, ldx * p);
            const means = uniforms(`mu${p}`, p);
            const scales = uniforms(`k${p}`, p).map((v) => 0.5 + v);
            const px = placed(core, x, off);
            const pm = placed(core, means, off);
            const pk = placed(core, scales, 0);
            const o1 = placed(core, new Float64Array(m * p), off);
            const o2 = placed(core, new Float64Array(m * p), 0);
            w.scaled_rows(m, p, px + a * 8, ldx, pm, pk, o1);
            w.scaled_rows_scalar(m, p, px + a * 8, ldx, pm, pk, o2);
            const expected = new Float64Array(m * p);
            for (let j = 0; j < p; j++)
              for (let i = 0; i < m; i++)
                expected[j * m + i] = ((x[j * ldx + a + i] as number) - (means[j] as number)) * (scales[j] as number);
            expect(Array.from(core.view(o1, m * p))).toEqual(Array.from(expected));
            expect(Array.from(core.view(o2, m * p))).toEqual(Array.from(expected));
            expect(core.view(o1 + m * p * 8, 1)[0]).toBe(SENTINEL);
          });
        }
      }
    });
  }
});
