import { fit } from "../src/estimators/fit.js";
import { simulate } from "../src/sim/simulate.js";
import { fmtTime, timeIt } from "./timing.js";

/** Time of simulate and of each estimator's fit at (n, L), study DGP with context. */
export function benchFits(n: number, L: number): string {
  const sim = simulate("study", { n, L, context: true, seed: 3 });
  const tSim = timeIt(() => simulate("study", { n, L, context: true, seed: 3 }));
  const tOls = timeIt(() => fit(sim.data, sim.roles, { estimators: ["ols"] }));
  const tTsls = timeIt(() => fit(sim.data, sim.roles, { estimators: ["tsls"] }));
  const draws = n * L + 13 * n + L;
  return [
    `study DGP n=${n} L=${L}: simulate ${fmtTime(tSim)} (${(draws / tSim / 1e6).toFixed(1)} M draws/s incl. assembly)`,
    `fit ols ${fmtTime(tOls)}, tsls ${fmtTime(tTsls)} (with SEs, HC1, first-stage F, Sargan); ols+tsls ${fmtTime(tOls + tTsls)}`,
  ].join("\n");
}
