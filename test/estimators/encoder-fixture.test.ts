import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { trainEncoder } from "../../src/estimators/encoder.js";
import { encoderCases, encoderData } from "../fixtures/encoder/cases.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";

interface Recorded {
  beta: number[];
  mu: number[];
  epochs: number[];
  valMse: number[];
}

/**
 * The context encoder against fits recorded from the implementation it replaced (assembly/mlp.ts, deleted in issue 20)
 * (test/fixtures/encoder/record.ts): the same epochs, and per-person beta and mu within 1e-9
 * relative in f64 (issue 20's floor; bit-identical is the target) and 1e-4 in f32.
 */
describe("context encoder against recorded fits", () => {
  const recorded = JSON.parse(readFileSync(fixturePath("encoder", "fits.json"), "utf8")) as Record<string, Recorded>;
  const core = getCore();
  const data = encoderData();
  for (const c of encoderCases()) {
    it(c.name, () => {
      const want = recorded[c.name] as Recorded;
      const fit = trainEncoder(core, data, c.config, c.seed);
      expect(fit.epochs).toEqual(want.epochs);
      const rtol = c.config.precision === "f64" ? 1e-9 : 1e-4;
      assertClose(fit.beta, want.beta, { rtol, atol: rtol }, `${c.name} beta`);
      assertClose(fit.mu, want.mu, { rtol, atol: rtol }, `${c.name} mu`);
      assertClose(fit.valMse, want.valMse, { rtol, atol: 0 }, `${c.name} valMse`);
    });
  }
});
