import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { type EncoderConfig, initParams, trainEncoder, trainSplit } from "../../../src/estimators/encoder.js";
import { PRESETS } from "../../../src/estimators/encoder-presets.js";
import { encoderCases, encoderData } from "../../fixtures/encoder/cases.js";
import { fixturePath } from "../../helpers/fixtures.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();

interface Recorded {
  beta: number[];
  mu: number[];
  epochs: number[];
  valMse: number[];
}

/**
 * The encoder composed from assembly/nn against the fits recorded from the fused encoder it
 * replaced (test/fixtures/encoder/fits.json, 17 significant digits): every sum runs in the old
 * order, so beta, mu, the epochs and the validation MSE are the same doubles.
 */
describe("context encoder fits", () => {
  it("equal the recorded fits of the previous implementation bit for bit, f64 and f32, every preset", () => {
    const recorded = JSON.parse(readFileSync(fixturePath("encoder", "fits.json"), "utf8")) as Record<string, Recorded>;
    const data = encoderData();
    for (const c of encoderCases()) {
      const want = recorded[c.name] as Recorded;
      const fit = trainEncoder(core, data, c.config, c.seed);
      expect([Array.from(fit.beta), Array.from(fit.mu)], c.name).toEqual([want.beta, want.mu]);
      expect([fit.epochs, fit.valMse], c.name).toEqual([want.epochs, want.valMse]);
    }
  });

  it("in f32 give the f64 fit's beta_i to f32 accuracy at a fixed number of epochs", () => {
    const p = 4;
    const m = 400;
    const cfg: EncoderConfig = { ...(PRESETS.small as EncoderConfig), width: 6, layers: 2 };
    const c = uniforms("cfit", m * p);
    const x = uniforms("xfit", m);
    const y = Float64Array.from(x, (v, i) => (0.3 + 0.2 * (c[i * p] as number)) * v + 0.1 * Math.sin(i));
    const data = { n: m, p, c, x, y };
    const train = Int32Array.from({ length: 320 }, (_, i) => i + 80);
    const val = Int32Array.from({ length: 80 }, (_, i) => i);
    const init = Float64Array.from(
      initParams(p, cfg, () => 0.61),
      Math.fround,
    );
    const fixed = { ...cfg, batch_size: 8, lr: 5e-3, max_epochs: 4, patience: 100 };
    const run = (precision: "f64" | "f32") =>
      trainSplit(core, data, { ...fixed, precision }, { train, val, init, rand: Math.random });
    const [a, b] = [run("f64"), run("f32")];
    expect([a.epochs, b.epochs]).toEqual([4, 4]);
    let maxDiff = 0;
    for (let i = 0; i < m; i++) maxDiff = Math.max(maxDiff, Math.abs((a.beta[i] as number) - (b.beta[i] as number)));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(maxDiff).toBeGreaterThan(0);
  });
});
