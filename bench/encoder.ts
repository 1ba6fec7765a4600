import { getCore } from "../src/core/load.js";
import type { Core } from "../src/core/memory.js";
import { type EncoderConfig, encoderShape, trainEncoder } from "../src/estimators/encoder.js";
import { type Precision, precisionOf } from "../src/estimators/encoder-precision.js";
import { PRESETS } from "../src/estimators/encoder-presets.js";
import { encoderLayout, putEncoderData, putEncoderDescriptor } from "../src/models/encoder.js";
import { bestTime, fmtTime, timeIt } from "./timing.js";

/** Synthetic contextualized data: 10 context columns, beta = 0.3 + 0.2 c_0. */
export function encoderBenchData(n: number) {
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

export type BenchData = ReturnType<typeof encoderBenchData>;

/** Copies of the parameters, both moments and the hyperparameter block (lr ... t) at `ptrs`. */
export function saveState(core: Core, num: Precision, ptrs: number[], nParams: number): Float64Array[] {
  return ptrs.map((p, k) => (k < 3 ? num.read(core, p, nParams) : core.read(p, 6)));
}

/**
 * Puts the saved state back, so that every timed epoch starts from the same point: the time of a
 * step depends on the state (moments of dead units decay into subnormal numbers after ~10^4 steps).
 */
export function restoreState(core: Core, num: Precision, ptrs: number[], saved: Float64Array[], nParams: number): void {
  ptrs.forEach((p, k) => {
    if (k < 3) num.write(core, p, saved[k] as Float64Array, nParams);
    else core.view(p, 6).set(saved[k] as Float64Array);
  });
}

/** Seconds per batch-size-1 training step of assembly/models/encoder.ts: one epoch over 80% of n from a fixed state. */
export function encoderStepTime(core: Core, d: BenchData, cfg: EncoderConfig, simd: boolean): number {
  const w = core.wasm;
  const num = precisionOf(cfg.precision);
  const steps = Math.floor(0.8 * d.n);
  const mark = w.mark();
  try {
    const shape = { ...encoderShape(d.p, { ...cfg, batch_size: 1 }), simd };
    const nParams = encoderLayout(shape).count;
    const init = Float64Array.from({ length: nParams }, (_, k) => Math.sin(k) * 0.3);
    const zeros = new Float64Array(nParams);
    const [pp, pg, pm, pv] = [init, zeros, zeros, zeros].map((a) => num.put(core, a)) as number[];
    const [pc, px, py] = [d.c, d.x, d.y].map((a) => num.put(core, a)) as number[];
    const desc = putEncoderDescriptor(core, shape);
    const data = putEncoderData(core, pc as number, px as number, py as number);
    const hyper = core.put([cfg.lr, 0.9, 0.999, 1e-8, 0, 0]);
    const order = core.alloc(Math.ceil(steps / 2));
    new Int32Array(w.memory.buffer, order, steps).set(Int32Array.from({ length: steps }, (_, i) => i));
    const work = num.alloc(core, w.encoder_work_size(desc));
    const state = [pp, pm, pv, hyper] as number[];
    const fresh = saveState(core, num, state, nParams);
    const epoch = () => {
      restoreState(core, num, state, fresh, nParams);
      w.encoder_train_epoch(
        desc,
        hyper,
        pp as number,
        pg as number,
        pm as number,
        pv as number,
        data,
        order,
        steps,
        work,
      );
    };
    return bestTime(epoch) / steps;
  } finally {
    w.reset(mark);
  }
}

/** Whole fits in f64 and f32 and how far f32's per-person betas are from f64's. */
function fits(core: Core, d: BenchData, base: EncoderConfig): string {
  const runs = (["f64", "f32"] as const).map((precision) => {
    let fit = trainEncoder(core, d, { ...base, precision }, 1);
    const seconds = timeIt(() => {
      fit = trainEncoder(core, d, { ...base, precision }, 1);
    });
    let mse = 0;
    for (let i = 0; i < d.n; i++) mse += ((fit.beta[i] as number) - (0.3 + 0.2 * (d.c[i * d.p] as number))) ** 2 / d.n;
    return { seconds, fit, mse };
  });
  const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
  let maxDiff = 0;
  for (let i = 0; i < d.n; i++)
    maxDiff = Math.max(maxDiff, Math.abs((a.fit.beta[i] as number) - (b.fit.beta[i] as number)));
  return [
    `  ${fmtTime(a.seconds)} / ${fmtTime(b.seconds)} (${a.fit.epochs[0]} / ${b.fit.epochs[0]})`.padEnd(29),
    maxDiff.toExponential(1).padStart(12),
    `  ${a.mse.toExponential(2)} / ${b.mse.toExponential(2)}`,
  ].join(" ");
}

/**
 * Per batch-1 training step of the context encoder (package-default 3 x 25 and study-small 3 x 8,
 * one thread): f64 SIMD, f64 scalar twins, f32 SIMD; then whole fits in both precisions.
 */
export function benchEncoder(sizes: readonly number[]): string {
  const core = getCore();
  const lines = [
    "encoder          n       step f64 SIMD  f64 scalar  f32 SIMD   f64/f32  fit f64 / f32 (epochs)      max|b32-b64|  person MSE f64 / f32",
  ];
  for (const name of ["study-small", "package-default"]) {
    const base = PRESETS[name] as EncoderConfig;
    for (const n of sizes) {
      const d = encoderBenchData(n);
      const f64 = encoderStepTime(core, d, base, true);
      const f64s = encoderStepTime(core, d, base, false);
      const f32 = encoderStepTime(core, d, { ...base, precision: "f32" }, true);
      lines.push(
        [
          name.padEnd(16),
          String(n).padEnd(7),
          fmtTime(f64).padEnd(14),
          fmtTime(f64s).padEnd(11),
          fmtTime(f32).padEnd(10),
          (f64 / f32).toFixed(2).padStart(7),
          fits(core, d, base),
        ].join(" "),
      );
    }
  }
  return lines.join("\n");
}
