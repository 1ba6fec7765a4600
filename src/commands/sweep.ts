import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { CORE_CAPACITY_BYTES, formatBytes } from "../core/capacity.js";
import { described, errors, show } from "../errors.js";
import { estimators, getEstimator } from "../estimators/registry.js";
import { anchorExternal } from "../external/config.js";
import { loadConfigPlugins } from "../plugins/config.js";
import { describeConfig, parseSweepConfig, type SweepConfig, taskCount } from "../sweep/config.js";
import { planText } from "../sweep/cost.js";
import type { SweepOutcome } from "../sweep/engine.js";
import type { Reporter } from "../sweep/events.js";
import {
  checkAtMost,
  effectiveThreads,
  MAX_CELLS,
  MAX_REPLICATES,
  MAX_ROWS,
  MAX_TASKS,
  MAX_THREADS,
} from "../sweep/limits.js";
import { SWEEP_PRESETS } from "../sweep/presets.js";
import { parseShard } from "../sweep/shard.js";
import { LineReporter } from "../ui/line-reporter.js";
import { clock } from "../ui/progress.js";
import { helpText, type Parsed, parseCommand } from "./args.js";
import { plotRun, runSweep } from "./deferred.js";

const USAGE = helpText(
  "mrsweep sweep [--preset NAME] [--config sweep.json] [--replicates N] [--threads N] [--out DIR]",
  `Runs every replicate of every grid cell with every estimator across all cores, writing\nreplicates.csv (incrementally), summary.csv, timings.csv and run.json. Re-running the same command\nresumes an interrupted run (every kept row is verified); more replicates or grid values extend a\nfinished run. The configuration is checked whole before anything is written: every\ngrid cell, the columns estimators name, and the limits: ${MAX_CELLS} cells, ${MAX_TASKS} tasks\n(cells x replicates), ${MAX_ROWS} rows (tasks x estimators), and a dataset (rows x columns x 8\nbytes) and its estimators' workspace of at most ${formatBytes(CORE_CAPACITY_BYTES)} together per task (one worker's WASM core).\nExit codes: 0 complete, 1 stopped or an environment error, 2 bad input, 3 complete with failed\ntasks, 130 interrupted.`,
  [
    [
      "--preset NAME",
      `a named configuration: ${Object.keys(SWEEP_PRESETS).join(", ")} (default quick without --config)`,
    ],
    [
      "--config FILE",
      'JSON configuration (dgp, rng, params, grid, replicates, estimators, seed, seeds, plugins, extends): it stands alone on the defaults (dgp and estimators required) unless "extends": "PRESET" names a preset whose keys it replaces; --preset with --config means the same as "extends"; keys starting with _ are comments (mrsweep init writes a commented one); "plugins" paths are relative to the file',
    ],
    [
      "--plugin FILE",
      'a JavaScript module of estimators and/or DGPs to load, as the configuration\'s "plugins" (repeatable)',
    ],
    ["--replicates N", `replicates per cell (at most ${MAX_REPLICATES})`],
    ["--seed N", "run seed (every task's seed derives from it)"],
    ["--rng ID", "random backend: seedrandom or numpy"],
    [
      "--threads N",
      `worker threads, at most ${MAX_THREADS} and never more than tasks (default: all cores, here ${availableParallelism()})`,
    ],
    ["--out DIR", "output folder (default results/<preset or config name>)"],
    ["--force", "start afresh in a folder that holds a run of another configuration"],
    ["--max-failures N", "stop cleanly after N failed tasks"],
    ["--retry-failed", "on resume, run again the tasks that have a failed estimator"],
    ["--plan", "print the cells, tasks and expected cost (for configurations with costed fits: inv_repr), and exit"],
    [
      "--shard I/N",
      "run only shard I of N (I from 1) of the plan, split by expected cost, into <out>/shards/shard-I; resumable; mrsweep merge <out> joins the shards (for array jobs: see mrsweep slurm)",
    ],
    ["--quiet", "no progress output"],
    ["--no-plots", "skip the figures and report.html written at the end (see mrsweep plot)"],
    [
      "--units",
      "also write units.csv: per-unit outputs (per-person beta and mu of ctx_* estimators), one line per unit; large",
    ],
    ["-h, --help", "show this help"],
  ],
);

/** The exit code of a sweep that finished with failed tasks in replicates.csv. */
export const EXIT_FAILED_TASKS = 3;

function positiveInt(flag: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw errors.invalid("sweep", flag, "an integer >= 1", v);
  return n;
}

/** A configuration file's JSON object, or an input error naming the file. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw errors.noFile("sweep", path, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw errors.invalid(path, "its text", "valid JSON", (e as Error).message);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw errors.invalid(path, "the configuration", "a JSON object", json);
  }
  return json as Record<string, unknown>;
}

/**
 * The configuration to parse: the preset alone (quick by default), or the file alone, or the file
 * extending the preset given with --preset (as its own "extends" would; the two must agree).
 */
function configInput(preset: string | undefined, file: string | undefined): Record<string, unknown> {
  if (preset !== undefined && !SWEEP_PRESETS[preset]) {
    throw errors.unknownId("sweep", "--preset", preset, Object.keys(SWEEP_PRESETS));
  }
  if (file === undefined) return { ...SWEEP_PRESETS[preset ?? "quick"] };
  const own = anchorExternal(readConfigFile(file), dirname(file));
  if (preset === undefined) return own;
  if (own.extends !== undefined && own.extends !== preset) {
    throw errors.invalid("sweep", "--preset", `left out or the file's "extends" (${show(own.extends)})`, preset);
  }
  return { ...own, extends: preset };
}

/** A flag's number, or its text when it is not one (so that the message quotes what was typed). */
function numberFlag(text: string): number | string {
  return text.trim() === "" || Number.isNaN(Number(text)) ? text : Number(text);
}

/** The live screen on a terminal (`live`), plain lines otherwise, nothing with --quiet. */
async function makeReporter(quiet: boolean): Promise<{ reporter: Reporter | null; live: boolean }> {
  if (quiet) return { reporter: null, live: false };
  if (process.stderr.isTTY && process.stdout.isTTY && !process.env.CI) {
    const { InkReporter } = await import("../ui/ink-reporter.js");
    return { reporter: new InkReporter(), live: true };
  }
  return { reporter: new LineReporter(), live: false };
}

/** The last line of a finished sweep: counts, time, and where the results are. */
function finalLine(dir: string, r: SweepOutcome, figures: number, ms: number): string {
  const report = figures > 0 ? ` (${figures} figures, report.html)` : "";
  return `sweep complete: ${r.done}/${r.total} tasks, ${r.failures} failed, ${clock(ms / 1000)} → ${dir}${report}`;
}

/** What a stopped sweep saved. */
function stoppedLine(dir: string, r: SweepOutcome): string {
  return `sweep stopped: ${r.done}/${r.total} tasks saved in ${dir}`;
}

/** The command that resumes a stopped sweep (this one, without --force). */
function resumeHint(argv: readonly string[]): string {
  return `resume with: ${["mrsweep", "sweep", ...argv.filter((a) => a !== "--force")].map(shellWord).join(" ")}`;
}

/** A word as a POSIX shell reads it back (quoted only when needed). */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`;
}

/**
 * The configuration and output folder that sweep flags name (--preset, --config, --replicates,
 * --seed, --rng, --out): shared by `sweep` and `slurm submit`.
 */
export async function sweepTarget(values: Parsed["values"]): Promise<{ config: SweepConfig; dir: string }> {
  const presetName = (values.preset as string | undefined) ?? "quick";
  const file = values.config as string | undefined;
  const raw = await loadConfigPlugins(
    file ?? `preset ${presetName}`,
    configInput(values.preset as string | undefined, file),
    {
      baseDir: file === undefined ? process.cwd() : dirname(resolve(file)),
      extra: (values.plugin as unknown as string[] | undefined) ?? [],
      extraWhere: "sweep: --plugin",
    },
  );
  if (values.replicates !== undefined) raw.replicates = positiveInt("--replicates", values.replicates);
  if (values.seed !== undefined) raw.seed = numberFlag(values.seed as string);
  if (values.rng !== undefined) raw.rng = values.rng;
  const config = parseSweepConfig(raw, values.config ? String(values.config) : `preset ${presetName}`);
  const name = values.config ? basename(String(values.config)).replace(/\.json$/i, "") : presetName;
  return { config, dir: (values.out as string | undefined) ?? join("results", name) };
}

/** `mrsweep sweep`. */
export async function sweepCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("sweep", argv, {
    preset: { type: "string" },
    config: { type: "string" },
    replicates: { type: "string" },
    seed: { type: "string" },
    rng: { type: "string" },
    threads: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean", default: false },
    "retry-failed": { type: "boolean", default: false },
    "max-failures": { type: "string" },
    quiet: { type: "boolean", default: false },
    "no-plots": { type: "boolean", default: false },
    units: { type: "boolean", default: false },
    plan: { type: "boolean", default: false },
    plugin: { type: "string", multiple: true },
    shard: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length > 0) throw errors.invalid("sweep", "arguments", "flags only", positionals.join(" "));
  const requested =
    values.threads === undefined
      ? Math.min(availableParallelism(), MAX_THREADS)
      : positiveInt("--threads", values.threads);
  checkAtMost("sweep", "--threads", requested, MAX_THREADS, "one worker each");
  const maxFailures =
    values["max-failures"] === undefined ? undefined : positiveInt("--max-failures", values["max-failures"]);
  const { config, dir } = await sweepTarget(values);
  const threads = effectiveThreads(requested, taskCount(config));
  if (values.units && !config.estimators.some((spec) => getEstimator(spec.id).units)) {
    const having = [...estimators.values()].filter((e) => e.units).map((e) => e.id);
    throw errors.invalid(
      "sweep",
      "--units",
      `used with an estimator that has per-unit outputs (${having.join(", ")})`,
      described("none configured"),
    );
  }
  if (values.plan) {
    process.stdout.write(`${planText(config, threads)}\n`);
    return;
  }
  const shard = values.shard === undefined ? undefined : parseShard("sweep", values.shard as string);

  const { reporter, live } = await makeReporter(values.quiet as boolean);
  const abort = new AbortController();
  const started = Date.now();
  let announced = false;
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    const result = await runSweep({
      config,
      dir,
      threads,
      force: values.force as boolean,
      retryFailed: values["retry-failed"] as boolean,
      units: values.units as boolean,
      ...(maxFailures === undefined ? {} : { maxFailures }),
      ...(shard ? { shard } : {}),
      signal: abort.signal,
      onEvent: (e) => {
        // The resolved configuration, once the folder is claimed and the run really starts.
        if (!announced && !values.quiet) process.stderr.write(`sweep: config ${describeConfig(config)}\n`);
        announced = true;
        reporter?.onEvent(e);
      },
    });
    if (result.nothingToDo) {
      if (!values.quiet) {
        process.stderr.write(
          `sweep: ${dir} is already complete (${result.total} tasks, ${result.failures} with failed estimators); nothing to do (mrsweep plot ${dir} redraws the figures${result.failures > 0 ? "; --retry-failed runs the failed tasks again" : ""})\n`,
        );
      }
    } else if (abort.signal.aborted || result.status === "stopped") {
      process.exitCode = abort.signal.aborted ? 130 : 1;
      await reporter?.close();
      if (reporter) process.stderr.write(`${live ? `${stoppedLine(dir, result)}; ` : "sweep: "}${resumeHint(argv)}\n`);
    } else {
      let files = 0;
      // A shard has no summary of its own: the merge draws the figures.
      if (!values["no-plots"] && !shard) {
        reporter?.onEvent({ type: "phase", text: "writing figures and report.html..." });
        files = (await plotRun(dir)).length;
      }
      await reporter?.close();
      // The plain-line reporter has printed its end line already; a terminal's screen has not.
      if (live) process.stderr.write(`${finalLine(dir, result, files, Date.now() - started)}\n`);
      else if (reporter && files > 0) process.stderr.write(`plot: ${files} figures and report.html in ${dir}\n`);
    }
    if (process.exitCode === undefined && result.failures > 0) process.exitCode = EXIT_FAILED_TASKS;
  } finally {
    await reporter?.close();
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}
