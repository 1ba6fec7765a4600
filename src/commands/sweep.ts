import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { errors } from "../errors.js";
import { parseSweepConfig } from "../sweep/config.js";
import type { Reporter } from "../sweep/events.js";
import { SWEEP_PRESETS } from "../sweep/presets.js";
import { LineReporter } from "../ui/line-reporter.js";
import { helpText, parseCommand } from "./args.js";
import { plotRun, runSweep } from "./deferred.js";

const USAGE = helpText(
  "mrsweep sweep [--preset quick|study|study-exact] [--config sweep.json] [--replicates N] [--threads N] [--out DIR]",
  "Runs every replicate of every grid cell with every estimator across all cores, writing\nreplicates.csv (incrementally), summary.csv, timings.csv and run.json. Re-running the same command\nresumes an interrupted run.",
  [
    ["--preset NAME", `starting configuration: ${Object.keys(SWEEP_PRESETS).join(", ")} (default quick)`],
    [
      "--config FILE",
      "JSON configuration; its keys replace the preset's (dgp, rng, params, grid, replicates, estimators, seed, seeds)",
    ],
    ["--replicates N", "replicates per cell"],
    ["--seed N", "run seed (every task's seed derives from it)"],
    ["--rng ID", "random backend: seedrandom or numpy"],
    ["--threads N", `worker threads (default: all cores, here ${availableParallelism()})`],
    ["--out DIR", "output folder (default results/<preset or config name>)"],
    ["--force", "start afresh in a folder that holds a run of another configuration"],
    ["--max-failures N", "stop cleanly after N failed tasks"],
    ["--quiet", "no progress output"],
    ["--no-plots", "skip the figures and report.html written at the end (see mrsweep plot)"],
    ["-h, --help", "show this help"],
  ],
);

function positiveInt(flag: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw errors.invalid("sweep", flag, "an integer >= 1", v);
  return n;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw errors.noFile("sweep", path, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw errors.invalid(path, "its text", "valid JSON", (e as Error).message);
  }
}

async function makeReporter(quiet: boolean): Promise<Reporter | null> {
  if (quiet) return null;
  if (process.stderr.isTTY && process.stdout.isTTY && !process.env.CI) {
    const { InkReporter } = await import("../ui/ink-reporter.js");
    return new InkReporter();
  }
  return new LineReporter();
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
    "max-failures": { type: "string" },
    quiet: { type: "boolean", default: false },
    "no-plots": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length > 0) throw errors.invalid("sweep", "arguments", "flags only", positionals.join(" "));
  const presetName = (values.preset as string | undefined) ?? "quick";
  const preset = SWEEP_PRESETS[presetName];
  if (!preset) throw errors.unknownId("sweep", "--preset", presetName, Object.keys(SWEEP_PRESETS));
  const raw: Record<string, unknown> = { ...preset, ...(values.config ? readConfigFile(values.config as string) : {}) };
  if (values.replicates !== undefined) raw.replicates = positiveInt("--replicates", values.replicates);
  if (values.seed !== undefined) raw.seed = Number(values.seed);
  if (values.rng !== undefined) raw.rng = values.rng;
  const config = parseSweepConfig(raw, values.config ? String(values.config) : `preset ${presetName}`);
  const threads = values.threads === undefined ? availableParallelism() : positiveInt("--threads", values.threads);
  const name = values.config ? basename(String(values.config)).replace(/\.json$/i, "") : presetName;
  const dir = (values.out as string | undefined) ?? join("results", name);
  const maxFailures =
    values["max-failures"] === undefined ? undefined : positiveInt("--max-failures", values["max-failures"]);

  const reporter = await makeReporter(values.quiet as boolean);
  const abort = new AbortController();
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
      ...(maxFailures === undefined ? {} : { maxFailures }),
      signal: abort.signal,
      onEvent: (e) => reporter?.onEvent(e),
    });
    if (abort.signal.aborted) process.exitCode = 130;
    else if (result.status === "stopped") process.exitCode = 1;
    else if (!values["no-plots"]) {
      const files = await plotRun(dir);
      if (!values.quiet) process.stderr.write(`plot: ${files.length} figures and report.html in ${dir}\n`);
    }
  } finally {
    await reporter?.close();
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}
