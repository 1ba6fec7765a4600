import { getCore } from "../src/core/load.js";
import { type EncoderConfig, trainEncoder } from "../src/estimators/encoder.js";
import { PRESETS } from "../src/estimators/encoder-presets.js";
import { fmtTime, timeIt } from "./timing.js";

/** Synthetic contextualized data: 10 context columns, beta = 0.3 + 0.2 c_0. */
function data(n: number) {
  const p = 10;
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const c = Float64Array.from({ length: n * p }, () => 3.4 * rand());
  const x = Float64Array.from({ length: n }, () => 3.4 * rand());
  const y = Float64Array.from(x, (v, i) => (0.3 + 0.2 * (c[i * p] as number)) * v + 2 * rand());
  return { n, p, c, x, y };
}

/** Time per batch-size-1 training step (one epoch over 80% of n, SIMD vs scalar), and per full fit. */
export function benchMlp(sizes: readonly number[]): string {
  const core = getCore();
  const w = core.wasm;
  const lines = ["encoder          n       step SIMD   step scalar  scalar/SIMD  fit (early stopping)  epochs"];
  for (const name of ["study-small", "package-default"]) {
    const cfg = PRESETS[name] as EncoderConfig;
    for (const n of sizes) {
      const d = data(n);
      const steps = Math.floor(0.8 * n);
      const epoch = (simd: boolean) =>
        core.scoped(() => {
          const args = [d.p, cfg.width, cfg.layers, 2, 0] as const;
          const nParams = w.mlp_param_count(...args);
          const init = Float64Array.from({ length: nParams }, (_, k) => Math.sin(k) * 0.3);
          const zeros = new Float64Array(nParams);
          const [pp, pg, pm, pv] = [core.put(init), core.put(zeros), core.put(zeros), core.put(zeros)];
          const t = core.put([0]);
          const order = core.alloc(Math.ceil(steps / 2));
          new Int32Array(w.memory.buffer, order, steps).set(Int32Array.from({ length: steps }, (_, i) => i));
          const work = core.alloc(w.mlp_work_size(cfg.width, cfg.layers, 2));
          const [pc, px, py] = [core.put(d.c), core.put(d.x), core.put(d.y)];
          return () => w.mlp_train_epoch(...args, pp, pg, pm, pv, t, cfg.lr, pc, px, py, order, steps, 1, work, simd);
        });
      const simd = timeIt(epoch(true)) / steps;
      const scalar = timeIt(epoch(false)) / steps;
      let epochs = 0;
      const fitTime = timeIt(() => {
        epochs = trainEncoder(core, d, cfg, 1).epochs[0] as number;
      });
      lines.push(
        `${name.padEnd(16)} ${String(n).padEnd(7)} ${fmtTime(simd).padEnd(11)} ${fmtTime(scalar).padEnd(12)} ${(scalar / simd).toFixed(2).padStart(11)}  ${fmtTime(fitTime).padEnd(20)}  ${epochs}`,
      );
    }
  }
  return lines.join("\n");
}
