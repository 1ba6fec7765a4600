/**
 * The sweep engine (piscina, the task plan and writers) and the figures (vega, vega-lite, resvg),
 * loaded when a sweep starts or draws, not when `mrsweep sweep` starts: `--help` and a refused
 * configuration should cost what Node's own start-up costs, not several times that.
 */

import type { plotRun as PlotRun } from "../report/plot.js";
import type { runSweep as RunSweep } from "../sweep/engine.js";

/** `runSweep` of src/sweep/engine.ts, loaded on the first call. */
export async function runSweep(...args: Parameters<typeof RunSweep>): ReturnType<typeof RunSweep> {
  return (await import("../sweep/engine.js")).runSweep(...args);
}

/** `plotRun` of src/report/plot.ts, loaded on the first call. */
export async function plotRun(...args: Parameters<typeof PlotRun>): ReturnType<typeof PlotRun> {
  return (await import("../report/plot.js")).plotRun(...args);
}
