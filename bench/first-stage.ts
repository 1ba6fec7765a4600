import { getCore } from "../src/core/load.js";
import { toIndividualData } from "../src/estimators/fit.js";
import { getEstimator } from "../src/estimators/registry.js";
import type { IndividualData, IndividualEstimator } from "../src/estimators/types.js";
import { resolveParams } from "../src/params.js";
import { CoreArrays } from "../src/sim/arrays.js";
import { simulate } from "../src/sim/simulate.js";

/**
 * Per-fit time of the estimators on the shared first stage (tsls, tsls_lasso, tsls_post_lasso,
 * ctx_tsls and ctx_tsls_lasso with the fast preset), study DGP with context, the data in the
 * core's arena as in a sweep task (memory reserved first, so no view is detached): the median and
 * minimum of `reps` fits of one dataset, after 5 warm-up fits. Run: tsx bench/first-stage.ts [reps] [n] [L].
 */
const reps = Number(process.argv[2] ?? 300);
const n = Number(process.argv[3] ?? 1000);
const L = Number(process.argv[4] ?? 15);
const core = getCore();
core.reserve(256 * 2 ** 20);
const sim = simulate("study", { n, L, context: true, seed: 3 }, { core, alloc: new CoreArrays(core).take });
const data: IndividualData = toIndividualData(sim.data, sim.roles);
const cases: Array<[string, Record<string, unknown>]> = [
  ["tsls", {}],
  ["tsls_lasso", {}],
  ["tsls_post_lasso", {}],
  ["ctx_tsls", { preset: "fast" }],
  ["ctx_tsls_lasso", { preset: "fast" }],
];
for (const [id, given] of cases) {
  const est = getEstimator(id) as IndividualEstimator<object>;
  const params = resolveParams(id, est.params, est.defaults, given) as object;
  const times: number[] = [];
  for (let r = -5; r < reps; r++) {
    const t0 = performance.now();
    est.fit(data, params, { core, seed: 7 });
    if (r >= 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(reps / 2)] as number;
  console.log(
    `${id} n=${n} L=${L}: median ${median.toFixed(3)} ms, min ${(times[0] as number).toFixed(3)} ms (${reps} fits)`,
  );
}
