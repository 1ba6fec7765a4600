import { getCore } from "../src/core/load.js";
import type { Core } from "../src/core/memory.js";
import { type EncoderConfig, trainEncoder } from "../src/estimators/encoder.js";
import { precisionOf } from "../src/estimators/encoder-precision.js";
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

type Data = ReturnType<typeof data>;

/** Seconds per batch-size-1 training step: one epoch over 80% of n, in the given precision. */
function stepTime(core: Core, d: Data, cfg: EncoderConfig, precision: "f64" | "f32", simd: boolean): number {
  const w = core.wasm;
  const num = precisionOf(core, precision);
  const steps = Math.floor(0.8 * d.n);
  const mark = w.mark();
  try {
    const args = [d.p, cfg.width, cfg.layers, 2, 0] as const;
    const nParams = w.mlp_param_count(...args);
    const init = Float64Array.from({ length: nParams }, (_, k) => Math.sin(k) * 0.3);
    const zeros = new Float64Array(nParams);
    const [pp, pg, pm, pv] = [init, zeros, zeros, zeros].map((a) => num.put(core, a)) as [
      number,
      number,
      number,
      number,
    ];
    const t = core.put([0]);
    const order = core.alloc(Math.ceil(steps / 2));
    new Int32Array(w.memory.buffer, order, steps).set(Int32Array.from({ length: steps }, (_, i) => i));
    const work = num.alloc(core, w.mlp_work_size(cfg.width, cfg.layers, 2));
    const [pc, px, py] = [d.c, d.x, d.y].map((a) => num.put(core, a)) as [number, number, number];
    return timeIt(() => num.train(...args, pp, pg, pm, pv, t, cfg.lr, pc, px, py, order, steps, 1, work, simd)) / steps;
  } finally {
    w.reset(mark);
  }
}

/** Step time per precision (SIMD and scalar), whole fits, and how far f32's per-person betas are from f64's. */
export function benchMlp(sizes: readonly number[]): string {
  const core = getCore();
  const lines = [
    "encoder          n       step f64 SIMD  f64 scalar  f32 SIMD   f64/f32  fit f64 / f32 (epochs)      max|b32-b64|  person MSE f64 / f32",
  ];
  for (const name of ["study-small", "package-default"]) {
    for (const n of sizes) {
      const d = data(n);
      const base = PRESETS[name] as EncoderConfig;
      const f64 = stepTime(core, d, base, "f64", true);
      const f64s = stepTime(core, d, base, "f64", false);
      const f32 = stepTime(core, d, base, "f32", true);
      const fits = (["f64", "f32"] as const).map((precision) => {
        let fit = trainEncoder(core, d, { ...base, precision }, 1);
        const seconds = timeIt(() => {
          fit = trainEncoder(core, d, { ...base, precision }, 1);
        });
        let mse = 0;
        for (let i = 0; i < n; i++) mse += ((fit.beta[i] as number) - (0.3 + 0.2 * (d.c[i * d.p] as number))) ** 2 / n;
        return { seconds, fit, mse };
      });
      const [a, b] = fits as [(typeof fits)[0], (typeof fits)[0]];
      let maxDiff = 0;
      for (let i = 0; i < n; i++)
        maxDiff = Math.max(maxDiff, Math.abs((a.fit.beta[i] as number) - (b.fit.beta[i] as number)));
      lines.push(
        [
          name.padEnd(16),
          String(n).padEnd(7),
          fmtTime(f64).padEnd(14),
          fmtTime(f64s).padEnd(11),
          fmtTime(f32).padEnd(10),
          (f64 / f32).toFixed(2).padStart(7),
          `  ${fmtTime(a.seconds)} / ${fmtTime(b.seconds)} (${a.fit.epochs[0]} / ${b.fit.epochs[0]})`.padEnd(29),
          maxDiff.toExponential(1).padStart(12),
          `  ${a.mse.toExponential(2)} / ${b.mse.toExponential(2)}`,
        ].join(" "),
      );
    }
  }
  return lines.join("\n");
}
