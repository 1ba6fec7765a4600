// One measurement of `npm run bench`, in a fresh Node process with no loader hooks: what a user's
// `mrsweep sweep` runs. Prints one JSON line.
//   node bench/sweep-child.mjs sweep THREADS REPLICATES   the sweep engine on a baseline-only grid
//   node bench/sweep-child.mjs loop SECONDS                 the same tasks in a plain loop, no pool
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCore } from "../dist/core/load.js";
import { parseSweepConfig } from "../dist/sweep/config.js";
import { runSweep } from "../dist/sweep/engine.js";
import { cells, seedOf, sweepSetup, tasks } from "../dist/sweep/plan.js";
import { extraColumns, formatResult, replicateColumns } from "../dist/sweep/replicates.js";
import { runTask } from "../dist/sweep/run-task.js";
import { TaskInputs } from "../dist/sweep/task-inputs.js";

const [mode, a, b] = process.argv.slice(2);

/** ols, tsls and tsls_lasso at n = 5000, L = 15, context on and off: the baseline grid. */
function baseline(replicates) {
  return parseSweepConfig({
    dgp: "study",
    params: { n: 5000, L: 15 },
    grid: { context: [false, true] },
    replicates: Math.ceil(replicates / 2),
    estimators: ["ols", "tsls", "tsls_lasso"],
    seed: 1,
  });
}

/** Sweep rate, whole run and between 10% and 90% of tasks done (no start-up or final sort). */
async function sweep(threads, replicates) {
  const config = baseline(replicates);
  const total = 2 * config.replicates;
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-bench-"));
  const marks = [];
  const t0 = performance.now();
  await runSweep({
    config,
    dir,
    threads,
    onEvent: (e) => {
      if (e.type === "task") marks.push(performance.now());
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const lo = marks[Math.floor(0.1 * total)];
  const hi = marks[Math.floor(0.9 * total) - 1];
  return {
    total: total / seconds,
    steady: (Math.floor(0.9 * total) - 1 - Math.floor(0.1 * total)) / ((hi - lo) / 1000),
  };
}

/** Tasks per second of the same work (run and format, as a worker does) back to back on this thread, after a warm-up. */
function loop(seconds) {
  const core = getCore("release");
  const config = baseline(2000);
  const grid = cells(config);
  const setup = sweepSetup(config, grid, extraColumns(replicateColumns(config)));
  const inputs = new TaskInputs(setup);
  const plan = tasks(config, grid).map((t) => ({ ...t, seed: seedOf(config, grid[t.cell], t.replicate) }));
  let i = 0;
  const runFor = (s) => {
    const t0 = performance.now();
    let done = 0;
    while (performance.now() - t0 < s * 1000) {
      const m = plan[i++ % plan.length];
      formatResult(inputs.lead(m.cell), inputs.extras, runTask(core, inputs.of(m)));
      done++;
    }
    return done / ((performance.now() - t0) / 1000);
  };
  runFor(1);
  return { rate: runFor(seconds) };
}

const out = mode === "sweep" ? await sweep(Number(a), Number(b)) : loop(Number(a));
console.log(JSON.stringify(out));
