import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { column } from "../../src/core/matrix.js";
import { fittedExposure, olsFirstStage } from "../../src/estimators/first-stage.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";

const core = getCore();
const sim = simulate("study", { n: 500, L: 4, pi_scale: 0.5, seed: 8 });
const data = toIndividualData(sim.data, sim.roles);
const g = Array.from({ length: 4 }, (_, j) => column(data.instruments, j));
const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;

describe("the shared OLS first stage (tsls, ctx_tsls)", () => {
  it("leaves residuals orthogonal to every instrument, and X_hat in the core with or without the intercept", () => {
    core.scoped(() => {
      const first = olsFirstStage(core, g, data.exposure, data.n);
      if (!first.ok) throw new Error(first.reason);
      const r = core.read(first.resid, data.n);
      for (const gj of g) {
        const gc = mean(gj);
        const dot = Array.from(r).reduce((s, v, i) => s + v * ((gj[i] as number) - gc), 0);
        expect(Math.abs(dot)).toBeLessThan(1e-9);
      }
      const centred = core.read(fittedExposure(core, first, first.x), data.n);
      const raw = core.read(fittedExposure(core, first, core.put(data.exposure)), data.n);
      assertClose(mean(raw), mean(data.exposure), { rtol: 1e-12 }, "X_hat keeps the mean of X");
      assertClose(
        Array.from(raw, (v, i) => v - (centred[i] as number)),
        new Array(data.n).fill(mean(data.exposure)),
        { rtol: 1e-12 },
        "raw - centred",
      );
    });
  });

  it("gives 2SLS its estimate: cov(X_hat, Y) / cov(X_hat, X)", () => {
    const [row] = fit(sim.data, sim.roles, { estimators: ["tsls"] });
    core.scoped(() => {
      const first = olsFirstStage(core, g, data.exposure, data.n);
      if (!first.ok) throw new Error(first.reason);
      const xhat = core.read(fittedExposure(core, first, first.x), data.n);
      const my = mean(data.outcome);
      const mx = mean(data.exposure);
      let sy = 0;
      let sx = 0;
      for (let i = 0; i < data.n; i++) {
        sy += (xhat[i] as number) * ((data.outcome[i] as number) - my);
        sx += (xhat[i] as number) * ((data.exposure[i] as number) - mx);
      }
      assertClose(row?.estimate as number, sy / sx, { rtol: 1e-10 }, "2SLS");
    });
  });

  it("reports a collinear instrument with its column instead of fitting", () => {
    const first = core.scoped(() => olsFirstStage(core, [...g, g[1] as Float64Array], data.exposure, data.n));
    expect(first).toMatchObject({ ok: false, reason: "collinear", column: 4 });
  });
});
