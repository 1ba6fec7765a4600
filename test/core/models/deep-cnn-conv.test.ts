import { describe, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { type Dtype, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/**
 * assembly/models/deep-cnn-conv*.ts (register-blocked valid Conv1d) against the library's
 * nn_conv1d (same formulas, axpy form) and against its own scalar twin, at output lengths 0, 1, 2, 3,
 * 7, 8, 9, 13 and 17 (a register block is 2 vectors: 4 positions in f64, 8 in f32; the tail runs one
 * vector, then the last vector's new lanes), filter counts around the
 * 3-output block, and odd element offsets.
 */
const core = getCore();
const w = core.wasm;

type Kernel = "library" | "simd" | "scalar";

function run(dtype: Dtype, shape: number[], kernel: Kernel, off: number, withDx: boolean) {
  const [B, cin, cout, len, K] = shape as [number, number, number, number, number];
  const lout = len - K + 1;
  const n = { x: B * cin * len, w: cout * cin * K, out: B * cout * lout };
  const seed = shape.join(",");
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(B, cin, cout, len, K, 0);
    const [px, pw, pb] = [
      nb.put(uniforms(`x${seed}`, n.x), off),
      nb.put(uniforms(`w${seed}`, n.w), off),
      nb.put(uniforms(`b${seed}`, cout)),
    ];
    const dy = nb.put(uniforms(`d${seed}`, n.out), off);
    const out = nb.put(n.out, off);
    const [dx, dw, db] = [
      nb.put(uniforms(`dx${seed}`, n.x), off),
      nb.put(uniforms(`dw${seed}`, n.w), off),
      nb.put(uniforms(`db${seed}`, cout)),
    ];
    const scratch = nb.bytes(w.deep_cnn_conv_scratch_size(desc));
    if (kernel === "library") {
      w.nn_conv1d_forward(desc, px, pw, pb, out);
      w.nn_conv1d_backward(desc, px, pw, dy, withDx ? dx : 0, dw, db);
    } else {
      (kernel === "simd" ? w.deep_cnn_conv_forward : w.deep_cnn_conv_forward_scalar)(desc, px, pw, pb, out);
      const bwd = kernel === "simd" ? w.deep_cnn_conv_backward : w.deep_cnn_conv_backward_scalar;
      bwd(desc, px, pw, dy, withDx ? dx : 0, dw, db, scratch);
    }
    return { out: nb.read(out, n.out), dx: nb.read(dx, n.x), dw: nb.read(dw, n.w), db: nb.read(db, cout) };
  });
}

describe("deep_cnn_conv: the register-blocked Conv1d", () => {
  for (const dtype of ["f64", "f32"] as const) {
    const tol = dtype === "f32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-13, atol: 1e-13 };
    for (const lout of [0, 1, 2, 3, 7, 8, 9, 13, 17]) {
      for (const [cin, cout, K] of [
        [1, 1, 1],
        [2, 2, 3],
        [3, 3, 3],
        [2, 4, 5],
        [3, 7, 7],
      ] as const) {
        const shape = [2, cin, cout, lout + K - 1, K];
        it(`${dtype}, L_out ${lout}, C_in ${cin}, C_out ${cout}, K ${K}: equals nn_conv1d and its scalar twin (+= gradients)`, () => {
          for (const withDx of [true, false]) {
            const ref = run(dtype, shape, "library", 1, withDx);
            const simd = run(dtype, shape, "simd", 1, withDx);
            const scalar = run(dtype, shape, "scalar", 3, withDx);
            for (const k of ["out", "dx", "dw", "db"] as const) {
              assertClose(simd[k], ref[k], tol, `${k} SIMD vs nn_conv1d`);
              assertClose(scalar[k], ref[k], tol, `${k} scalar vs nn_conv1d`);
            }
          }
        });
      }
    }
  }
});
