import { describe, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { type Dtype, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();
const w = core.wasm;

/** Plain f64 products: out = x W^T, dIn = dOut W (+ preIn), dW = dOut^T x (+ preW). */
function reference(B: number, I: number, O: number, x: Float64Array, wt: Float64Array, d: Float64Array) {
  const out = new Float64Array(B * O);
  const dIn = new Float64Array(B * I).fill(0.5);
  const dW = new Float64Array(O * I).fill(0.5);
  for (let b = 0; b < B; b++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++) {
        const xi = x[b * I + i] as number;
        const wi = wt[o * I + i] as number;
        const di = d[b * O + o] as number;
        out[b * O + o] = (out[b * O + o] as number) + xi * wi;
        dIn[b * I + i] = (dIn[b * I + i] as number) + di * wi;
        dW[o * I + i] = (dW[o * I + i] as number) + di * xi;
      }
  return { out, dIn, dW };
}

/** The three products through the SIMD kernels or their scalar twins, every buffer one element past 16-byte alignment. */
function products(
  dtype: Dtype,
  simd: boolean,
  B: number,
  I: number,
  O: number,
  x: Float64Array,
  wt: Float64Array,
  d: Float64Array,
) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const size = dtype === "f64" ? 8 : 4;
    const put = (a: ArrayLike<number>) => nb.put([0, ...Array.from(a)]) + size;
    const desc = nb.desc(B, I, O);
    const [px, pw, pd] = [x, wt, d].map(put) as [number, number, number];
    const out = put(new Float64Array(B * O));
    const dIn = put(new Float64Array(B * I).fill(0.5));
    const dW = put(new Float64Array(O * I).fill(0.5));
    const s = simd ? "" : "_scalar";
    w[`nn_matmul_forward${s}`](desc, px, pw, out);
    w[`nn_matmul_backward_input${s}`](desc, pd, pw, dIn);
    w[`nn_matmul_backward_weight${s}`](desc, pd, px, dW);
    return { out: nb.read(out, B * O), dIn: nb.read(dIn, B * I), dW: nb.read(dW, O * I) };
  });
}

const LENGTHS = [0, 1, 2, 3, 8, 9, 16, 17];
const shapes: [number, number, number][] = [
  ...LENGTHS.map((n): [number, number, number] => [n, 5, 7]),
  ...LENGTHS.map((n): [number, number, number] => [3, n, 7]),
  ...LENGTHS.map((n): [number, number, number] => [3, 5, n]),
  // past the cache blocks (32 rows of W forward, 64 rows of the right operand backward)
  [67, 33, 70],
];

describe.each(["f64", "f32"] as Dtype[])("assembly/nn/matmul (%s)", (dtype) => {
  const tol = dtype === "f64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 2e-5, atol: 2e-5 };
  it.each(shapes)("SIMD kernels equal their scalar twins and the plain products (B %i, I %i, O %i)", (B, I, O) => {
    const x = uniforms(`mx${B}.${I}`, B * I);
    const wt = uniforms(`mw${I}.${O}`, O * I);
    const d = uniforms(`md${B}.${O}`, B * O);
    const simd = products(dtype, true, B, I, O, x, wt, d);
    const scalar = products(dtype, false, B, I, O, x, wt, d);
    const ref = reference(B, I, O, x, wt, d);
    for (const k of ["out", "dIn", "dW"] as const) {
      assertClose(simd[k], scalar[k], tol, `${k} SIMD vs scalar`);
      assertClose(scalar[k], ref[k], tol, `${k} scalar vs plain f64`);
    }
  });
});
