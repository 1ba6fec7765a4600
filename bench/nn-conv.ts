import { getCore } from "../src/core/load.js";
import { fmtTime, timeIt } from "./timing.js";

/**
 * Conv1d (assembly/nn/conv1d.ts) in GFLOP/s at Deep MR's shapes (deep-mr §4: one-hot 4 x 100, then
 * 15 filters of width 7, valid), f64 and f32, SIMD against the scalar twins. A forward pass is
 * 2 B C_out C_in K L_out flops; backward (input and weight gradients) twice that.
 */
export function benchConv(batch: number): string {
  const core = getCore();
  const w = core.wasm;
  const lines = [`Conv1d forward + backward, batch ${batch}, valid, K = 7 (GFLOP/s; time per call)`];
  for (const [cin, len] of [
    [4, 100],
    [15, 94],
  ] as const) {
    const [cout, k] = [15, 7];
    const lout = len - k + 1;
    const flops = 3 * 2 * batch * cout * cin * k * lout;
    for (const dt of [0, 1] as const) {
      const row: string[] = [];
      for (const simd of [true, false]) {
        const mark = w.mark();
        try {
          const units = (n: number) => Math.ceil((n * (dt === 1 ? 4 : 8)) / 8);
          const desc = core.alloc(4);
          new Int32Array(w.memory.buffer, desc, 7).set([dt, batch, cin, cout, len, k, 0]);
          const [x, wt, b] = [batch * cin * len, cout * cin * k, cout].map((n) => core.alloc(units(n)));
          const [out, dout] = [0, 0].map(() => core.alloc(units(batch * cout * lout)));
          const [dx, dw, db] = [batch * cin * len, cout * cin * k, cout].map((n) => core.alloc(units(n)));
          const fwd = simd ? w.nn_conv1d_forward : w.nn_conv1d_forward_scalar;
          const bwd = simd ? w.nn_conv1d_backward : w.nn_conv1d_backward_scalar;
          const s = timeIt(() => {
            fwd(desc, x as number, wt as number, b as number, out as number);
            bwd(desc, x as number, wt as number, dout as number, dx as number, dw as number, db as number);
          });
          row.push(`${simd ? "SIMD" : "scalar"} ${(flops / s / 1e9).toFixed(2)} (${fmtTime(s)})`);
        } finally {
          w.reset(mark);
        }
      }
      lines.push(`  C_in ${cin}, L ${len}, ${dt ? "f32" : "f64"}: ${row.join(", ")}`);
    }
  }
  return lines.join("\n");
}
