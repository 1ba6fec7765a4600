import { describe, expect, it } from "vitest";
import { cholesky, cholSolve, crossprod } from "../../src/core/linalg.js";
import { getCore } from "../../src/core/load.js";
import type { Matrix } from "../../src/core/matrix.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();

/** A random symmetric positive definite p x p matrix B^T B + I. */
function spd(p: number, seed: string): Matrix {
  const b: Matrix = { rows: p + 3, cols: p, data: uniforms(seed, (p + 3) * p) };
  const a = crossprod(core, b);
  for (let j = 0; j < p; j++) a.data[j * p + j] = (a.data[j * p + j] as number) + 1;
  return a;
}

function multiply(a: Matrix, b: Matrix, transB = false): Matrix {
  const cols = transB ? b.rows : b.cols;
  const out = new Float64Array(a.rows * cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) {
        s +=
          (a.data[k * a.rows + i] as number) *
          (transB ? (b.data[k * b.rows + j] as number) : (b.data[j * b.rows + k] as number));
      }
      out[j * a.rows + i] = s;
    }
  }
  return { rows: a.rows, cols, data: out };
}

describe("cholesky", () => {
  for (const scalar of [false, true]) {
    it(`factors random SPD matrices, p = 1..12 (${scalar ? "scalar" : "SIMD"})`, () => {
      for (let p = 1; p <= 12; p++) {
        const a = spd(p, `spd${p}`);
        const { lower, status } = cholesky(core, a, 0, { scalar });
        expect(status).toBe(0);
        assertClose(multiply(lower, lower, true).data, a.data, { rtol: 1e-13, atol: 1e-13 }, `L L^T p=${p}`);
        const b: Matrix = { rows: p, cols: 2, data: uniforms(`b${p}`, 2 * p) };
        const x = cholSolve(core, lower, b, { scalar });
        assertClose(multiply(a, x).data, b.data, { rtol: 1e-12, atol: 1e-12 }, `A x = b p=${p}`);
      }
    });
  }

  it("reports the first non-positive pivot of an indefinite matrix", () => {
    // leading 2x2 block is PD, the 3x3 matrix has a negative eigenvalue
    const a: Matrix = { rows: 3, cols: 3, data: new Float64Array([4, 2, 2, 2, 3, 3, 2, 3, 1]) };
    expect(cholesky(core, a).status).toBe(3);
    expect(cholesky(core, a, 0, { scalar: true }).status).toBe(3);
    const neg: Matrix = { rows: 2, cols: 2, data: new Float64Array([-1, 0, 0, 1]) };
    expect(cholesky(core, neg).status).toBe(1);
  });

  it("flags a column that is (nearly) a combination of earlier ones with tol", () => {
    const n = 50;
    const c0 = uniforms("c0", n);
    const c1 = uniforms("c1", n);
    const c2 = c0.map((v, i) => 2 * v - (c1[i] as number) + 1e-9 * Math.sin(i));
    const x: Matrix = { rows: n, cols: 3, data: Float64Array.from([...c0, ...c1, ...c2]) };
    expect(cholesky(core, crossprod(core, x), 1e-10).status).toBe(3);
    const independent: Matrix = { rows: n, cols: 3, data: Float64Array.from([...c0, ...c1, ...uniforms("c2", n)]) };
    expect(cholesky(core, crossprod(core, independent), 1e-10).status).toBe(0);
  });

  it("rejects NaN on the diagonal", () => {
    const a: Matrix = { rows: 1, cols: 1, data: new Float64Array([Number.NaN]) };
    expect(cholesky(core, a).status).toBe(1);
  });
});
