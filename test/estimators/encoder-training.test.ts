import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { type EncoderConfig, initParams, trainSplit } from "../../src/estimators/encoder.js";
import { PRESETS } from "../../src/estimators/encoder-presets.js";
import { uniforms } from "../helpers/random.js";

const core = getCore();

describe("training semantics", () => {
  const n = 60;
  const p = 2;
  const c = uniforms("es-c", n * p);
  const x = uniforms("es-x", n).map((v) => v + 2);
  // Training rows (0..39) follow y = x, validation rows (40..59) y = -3x. From an initialisation that
  // predicts about 0, every epoch moves predictions towards +x, so validation loss rises each epoch.
  const y = Float64Array.from(x, (v, i) => (i < 40 ? v : -3 * v));
  const data = { n, p, c, x, y };
  const train = Int32Array.from({ length: 40 }, (_, i) => i);
  const val = Int32Array.from({ length: 20 }, (_, i) => 40 + i);
  const cfg: EncoderConfig = { ...(PRESETS["study-small"] as EncoderConfig), lr: 0.01 };
  const init = initParams(
    p,
    cfg,
    (() => {
      let k = 0;
      return () => (k++ * 0.7548776662) % 1;
    })(),
  ).map((v) => v * 0.01);

  it("stops at the first epoch that does not improve and restores the best epoch's weights", () => {
    const full = trainSplit(core, data, cfg, { train, val, init, rand: Math.random });
    const one = trainSplit(core, data, { ...cfg, max_epochs: 1 }, { train, val, init, rand: Math.random });
    expect(full.epochs).toBe(2);
    expect(full.stopped).toBe(true);
    expect(one.stopped).toBe(false);
    expect(Array.from(full.beta)).toEqual(Array.from(one.beta));
    expect(full.valMse).toBe(one.valMse);
  });

  it("patience 3 runs three epochs past the best", () => {
    const r = trainSplit(core, data, { ...cfg, patience: 3 }, { train, val, init, rand: Math.random });
    expect(r.epochs).toBe(4);
  });
});
