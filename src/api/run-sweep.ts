import { availableParallelism } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { errors } from "../errors.js";
import { anchorExternal } from "../external/config.js";
import { loadConfigPlugins } from "../plugins/config.js";
import type { DgpParamsInput } from "../sim/param-types.js";
import { parseSweepConfig, taskCount } from "../sweep/config.js";
import type { SweepOutcome } from "../sweep/engine.js";
import type { SweepEvent } from "../sweep/events.js";
import { checkAtMost, effectiveThreads, MAX_THREADS } from "../sweep/limits.js";

/** One estimator of a sweep configuration: an id, or an id with a name for the CSVs and parameters. */
export type EstimatorEntry =
  | string
  | { readonly id: string; readonly name?: string; readonly params?: Readonly<Record<string, unknown>> };

/**
 * A sweep configuration as written in a JSON file (see `mrsweep sweep --help`): for a built-in
 * DGP its fixed parameters and grid values are typed by the DGP's parameters.
 */
export interface SweepConfigInput<K extends string = string> {
  readonly dgp?: K;
  /** A preset whose keys this configuration's replace (`mrsweep list` names them). */
  readonly extends?: string;
  readonly rng?: "seedrandom" | "numpy";
  readonly params?: DgpParamsInput<K>;
  readonly grid?: { readonly [P in keyof DgpParamsInput<K>]?: ReadonlyArray<Exclude<DgpParamsInput<K>[P], undefined>> };
  readonly replicates?: number;
  readonly estimators?: readonly EstimatorEntry[];
  readonly seed?: number;
  readonly seeds?: "derived" | "dgp";
  /** Plug-in modules (paths relative to `baseDir`, or to the file when the configuration is one). */
  readonly plugins?: readonly string[];
}

/** Options of `runSweep`. */
export interface RunSweepOptions {
  /** Output folder (default `results/<file name>` for a file, `results/sweep` for an object). */
  out?: string;
  /** Worker threads (default all cores, at most 64, never more than tasks). */
  threads?: number;
  /** Where a configuration object's relative plug-in paths start (default the working folder). */
  baseDir?: string;
  /** More plug-ins, as `--plugin` gives them (relative to the working folder). */
  plugins?: readonly string[];
  /** Start afresh in a folder that holds a run of another configuration. */
  force?: boolean;
  /** Run again the finished tasks that have a failed estimator. */
  retryFailed?: boolean;
  /** Also write units.csv. */
  units?: boolean;
  /** Stop cleanly after this many failed tasks. */
  maxFailures?: number;
  /** Write the figures and report.html at the end, as the CLI does (default true). */
  plots?: boolean;
  /** Every progress event, as the CLI's reporters get them (src/sweep/events.ts). */
  onEvent?: (e: SweepEvent) => void;
  /** Aborting stops sending tasks; tasks in flight are written, and the run resumes later. */
  signal?: AbortSignal;
}

/** How `runSweep` ended, where its results are, and the figures it wrote. */
export interface RunSweepResult extends SweepOutcome {
  readonly dir: string;
  readonly figures: readonly string[];
}

/**
 * Runs a sweep as `mrsweep sweep --config` does, with the same files in the output folder
 * (replicates.csv, summary.csv, timings.csv, run.json, figures and report.html): resumes or extends
 * a run already there, and refuses one of another configuration (or whose plug-ins changed).
 * `config` is an object or the path of a JSON file. Bad input rejects with a `MrsweepError`.
 *
 * ```ts
 * const r = await runSweep({ dgp: "study", grid: { n: [500, 1000] }, replicates: 50, estimators: ["ols", "tsls"] },
 *   { out: "results/mine", onEvent: (e) => e.type === "end" && console.log(e.status) });
 * ```
 */
export async function runSweep<K extends string>(
  config: SweepConfigInput<K> | string,
  o: RunSweepOptions = {},
): Promise<RunSweepResult> {
  const file = typeof config === "string" ? config : undefined;
  const where = file ?? "runSweep";
  // A file is read by the CLI's reader (same messages), loaded only then: the library stays light.
  const given =
    file === undefined
      ? { ...(config as Record<string, unknown>) }
      : (await import("../commands/sweep.js")).readConfigFile(file);
  const baseDir = file === undefined ? (o.baseDir ?? process.cwd()) : dirname(resolve(file));
  const raw = await loadConfigPlugins(where, anchorExternal(given, baseDir), {
    baseDir,
    extra: o.plugins ?? [],
    extraWhere: "runSweep: plugins",
  });
  const parsed = parseSweepConfig(raw, where);
  const requested = o.threads ?? Math.min(availableParallelism(), MAX_THREADS);
  if (!Number.isInteger(requested) || requested < 1)
    throw errors.invalid(where, "threads", "an integer >= 1", requested);
  checkAtMost(where, "threads", requested, MAX_THREADS, "one worker each");
  const dir = o.out ?? join("results", file === undefined ? "sweep" : basename(file).replace(/\.json$/i, ""));
  const { runSweep: run } = await import("../sweep/engine.js");
  const outcome = await run({
    config: parsed,
    dir,
    threads: effectiveThreads(requested, taskCount(parsed)),
    force: o.force ?? false,
    retryFailed: o.retryFailed ?? false,
    units: o.units ?? false,
    ...(o.maxFailures === undefined ? {} : { maxFailures: o.maxFailures }),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  });
  let figures: readonly string[] = [];
  if (o.plots !== false && !outcome.nothingToDo && outcome.status === "complete" && !o.signal?.aborted) {
    o.onEvent?.({ type: "phase", text: "writing figures and report.html..." });
    figures = await (await import("../report/plot.js")).plotRun(dir);
  }
  return { ...outcome, dir, figures };
}
