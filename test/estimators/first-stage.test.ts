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

  it("reads instruments in the core where they lie, centred on the fly as accurately as centring first (a column 2000 + small noise)", () => {
    const wide = simulate("study", { n: 5000, L: 20, seed: 9 });
    const big = toIndividualData(wide.data, wide.roles);
    const n = big.n;
    const cols = Array.from({ length: 20 }, (_, j) => column(big.instruments, j));
    const c0 = cols[0] as Float64Array;
    core.scoped(() => {
      // Noise of spread 1e-3 around 2000: G^T G - n m m^T would keep about 3 of its digits.
      const small = Float64Array.from(c0, (v, i) => 1e-3 * (v - mean(c0) + ((i % 7) - 3) / 7));
      const shifted = Float64Array.from(small, (v) => 2000 + v);
      const fits = [small, shifted].map((col) => {
        // One block, views taken after it (growing memory detaches views taken before).
        const at = core.alloc(n * 20);
        [col, ...cols.slice(1)].forEach((c, k) => {
          core.heap.set(c, (at >>> 3) + k * n);
        });
        const inCore = Array.from({ length: 20 }, (_, k) => core.view(at + k * n * 8, n));
        const before = core.wasm.mark();
        const first = olsFirstStage(core, inCore, big.exposure, n);
        if (!first.ok) throw new Error(first.reason);
        // Columns already in the core are not copied: X, its residuals and a block of rows, far below G's n x L.
        expect(core.wasm.mark() - before).toBeLessThan((n * 20 * 8) / 3);
        return { rss: first.rss, resid: core.read(first.resid, n) };
      });
      const [a, b] = fits as [{ rss: number; resid: Float64Array }, { rss: number; resid: Float64Array }];
      assertClose(b.rss, a.rss, { rtol: 1e-9 }, "rss with the shifted column");
      assertClose(b.resid, a.resid, { rtol: 1e-8, atol: 1e-9 }, "residuals with the shifted column");
    });
  });
});
