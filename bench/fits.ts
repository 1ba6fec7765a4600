import { getCore } from "../src/core/load.js";
import { fit } from "../src/estimators/fit.js";
import { simulate } from "../src/sim/simulate.js";
import { fmtTime, timeIt } from "./timing.js";

/**
 * The core's arena one `fit` of `id` uses above the placed dataset, as a multiple of the dataset's
 * bytes (the workspace test's measure: what its workspace rule must cover).
 */
function arenaOverData(sim: ReturnType<typeof simulate>, id: string): number {
  const core = getCore();
  const base = core.wasm.mark();
  core.peak = base;
  fit(sim.data, sim.roles, { estimators: [id], core });
  const dataBytes = sim.data.n * sim.data.names.length * 8;
  return (core.peak - base - dataBytes) / dataBytes;
}

/** Time of simulate and of each estimator's fit at (n, L), study DGP with context; tsls_lasso's arena use. */
export function benchFits(n: number, L: number): string {
  const sim = simulate("study", { n, L, context: true, seed: 3 });
  const tSim = timeIt(() => simulate("study", { n, L, context: true, seed: 3 }));
  const tOls = timeIt(() => fit(sim.data, sim.roles, { estimators: ["ols"] }));
  const tTsls = timeIt(() => fit(sim.data, sim.roles, { estimators: ["tsls"] }));
  const tLasso = timeIt(() => fit(sim.data, sim.roles, { estimators: ["tsls_lasso"] }));
  const draws = n * L + 13 * n + L;
  return [
    `study DGP n=${n} L=${L}: simulate ${fmtTime(tSim)} (${(draws / tSim / 1e6).toFixed(1)} M draws/s incl. assembly)`,
    `fit ols ${fmtTime(tOls)}, tsls ${fmtTime(tTsls)} (with SEs, HC1, first-stage F, Sargan); ols+tsls ${fmtTime(tOls + tTsls)}`,
    `fit tsls_lasso ${fmtTime(tLasso)}, arena beyond the data ${arenaOverData(sim, "tsls_lasso").toFixed(2)}x the data (LassoCV reads G in place)`,
  ].join("\n");
}
