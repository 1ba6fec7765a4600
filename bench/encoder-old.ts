import { getCore } from "../src/core/load.js";
import type { Core } from "../src/core/memory.js";
import type { EncoderConfig } from "../src/estimators/encoder.js";
import { precisionOf } from "../src/estimators/encoder-precision.js";
import { PRESETS } from "../src/estimators/encoder-presets.js";
import { type BenchData, encoderBenchData, encoderStepTime, restoreState, saveState } from "./encoder.js";
import { fmtTime, minTime } from "./timing.js";

/** Seconds per batch-1 step of the old fused encoder (assembly/mlp.ts) on the same data and initialisation. */
function oldStepTime(core: Core, d: BenchData, cfg: EncoderConfig, simd: boolean): number {
  const w = core.wasm;
  const num = precisionOf(cfg.precision);
  const steps = Math.floor(0.8 * d.n);
  const mark = w.mark();
  try {
    const args = [d.p, cfg.width, cfg.layers, 2, 0] as const;
    const nParams = w.mlp_param_count(...args);
    const init = Float64Array.from({ length: nParams }, (_, k) => Math.sin(k) * 0.3);
    const zeros = new Float64Array(nParams);
    const [pp, pg, pm, pv] = [init, zeros, zeros, zeros].map((a) => num.put(core, a)) as number[];
    const t = core.put([0]);
    const order = core.alloc(Math.ceil(steps / 2));
    new Int32Array(w.memory.buffer, order, steps).set(Int32Array.from({ length: steps }, (_, i) => i));
    const work = num.alloc(core, w.mlp_work_size(cfg.width, cfg.layers, 2));
    const [pc, px, py] = [d.c, d.x, d.y].map((a) => num.put(core, a)) as number[];
    const train = cfg.precision === "f32" ? w.mlp_train_epoch_f32 : w.mlp_train_epoch;
    const state = [pp, pm, pv, t] as number[];
    const fresh = saveState(core, num, state.slice(0, 3), nParams);
    const epoch = () => {
      restoreState(core, num, state.slice(0, 3), fresh, nParams);
      core.view(t, 1)[0] = 0;
      train(
        ...args,
        pp as number,
        pg as number,
        pm as number,
        pv as number,
        t,
        cfg.lr,
        pc as number,
        px as number,
        py as number,
        order,
        steps,
        1,
        work,
        simd,
      );
    };
    return minTime(epoch) / steps;
  } finally {
    w.reset(mark);
  }
}

/** Old (assembly/mlp.ts) against new (assembly/models/encoder.ts) per batch-1 step, interleaved in one run. */
export function benchEncoderOldNew(n: number): string {
  const core = getCore();
  const d = encoderBenchData(n);
  const lines = ["encoder step (batch 1)   old f64   new f64   old f32   new f32   old f64 scalar  new f64 scalar"];
  for (const name of ["study-small", "package-default"]) {
    const base = PRESETS[name] as EncoderConfig;
    const f32 = { ...base, precision: "f32" as const };
    const cells = [
      oldStepTime(core, d, base, true),
      encoderStepTime(core, d, base, true),
      oldStepTime(core, d, f32, true),
      encoderStepTime(core, d, f32, true),
      oldStepTime(core, d, base, false),
      encoderStepTime(core, d, base, false),
    ];
    lines.push([name.padEnd(24), ...cells.map((s) => fmtTime(s).padEnd(9))].join(" "));
  }
  return lines.join("\n");
}
