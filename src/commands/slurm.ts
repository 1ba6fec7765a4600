import { existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { errors } from "../errors.js";
import { writeJson, writeText } from "../io/write-table.js";
import { arrayList, type SubmittedJob, sbatch } from "../slurm/queue.js";
import { sbatchScript } from "../slurm/script.js";
import { type SlurmRecord, shardStates, slurmOf } from "../slurm/states.js";
import { configJson, taskCount } from "../sweep/config.js";
import { openRun, type RunManifest } from "../sweep/manifest.js";
import { joinShardedRun, MAX_SHARDS, shardsOf, updateRunJson } from "../sweep/shard.js";
import { helpText, type Parsed, parseCommand } from "./args.js";
import { sweepTarget } from "./sweep.js";

const SCRIPT = "slurm.sbatch";
const CONFIG = "sweep.json";
/** The folder of the array tasks' logs (the script's --output). */
const LOGS = "slurm";

const SUBMIT_USAGE = helpText(
  "mrsweep slurm submit [--preset NAME | --config FILE] [sweep options] --shards N [--partition P] [--time T] [--mem M] [--cpus-per-task C] [--account A] [--sbatch-arg ARG ...] [--dry-run]",
  `Runs a sweep as a SLURM array job of N shards: writes the resolved configuration (${CONFIG}) and an\neditable array script (${SCRIPT}) into the run folder, and submits it with sbatch (job id and script\nrecorded in run.json). Array task I runs mrsweep sweep --shard I/N (I from 1: --array=1-N) with the\nthreads SLURM gives it (SLURM_CPUS_PER_TASK). An existing ${SCRIPT} (edited) is kept. Then:\nmrsweep status <out>, mrsweep slurm resubmit <out> for shards that failed, mrsweep merge <out>.`,
  [
    ["--shards N", `number of shards (array tasks), at most ${MAX_SHARDS} and never more than tasks`],
    ["--preset, --config, --replicates, --seed, --rng, --out", "as for mrsweep sweep"],
    ["--units, --max-failures N, --retry-failed", "passed to every shard's sweep"],
    ["--partition P, --time T, --mem M, --account A", "written as #SBATCH lines"],
    ["--cpus-per-task C", "threads per shard (default 1)"],
    ["--sbatch-arg ARG", "any other sbatch option, written as its own #SBATCH line (repeatable)"],
    ["--dry-run", "write the script and configuration, do not submit"],
    ["-h, --help", "show this help"],
  ],
);

const RESUBMIT_USAGE = helpText(
  "mrsweep slurm resubmit results/<run> [--dry-run]",
  `Submits the run's ${SCRIPT} again for the shards that are missing, incomplete or failed (see mrsweep\nstatus), as one array job; shards that are done, queued or running are left alone.`,
  [
    ["--dry-run", "print the shards that would be submitted"],
    ["-h, --help", "show this help"],
  ],
);

/** `mrsweep slurm submit|resubmit`. */
export async function slurmCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === "submit") return submit(rest);
  if (sub === "resubmit") return resubmit(rest);
  if (sub === undefined || sub === "--help" || sub === "-h") {
    process.stdout.write(`${SUBMIT_USAGE}\n${RESUBMIT_USAGE}`);
    return;
  }
  throw errors.unknownId("slurm", "the subcommand", sub, ["submit", "resubmit"]);
}

function positiveInt(flag: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw errors.invalid("slurm submit", flag, "an integer >= 1", v);
  return n;
}

/** The #SBATCH options the flags name, in a fixed order, then every --sbatch-arg. */
function sbatchOptions(values: Parsed["values"], extra: readonly string[]): string[] {
  const named = ["partition", "time", "mem", "account"].filter((k) => values[k] !== undefined);
  return [...named.map((k) => `--${k}=${String(values[k])}`), ...extra];
}

async function submit(argv: readonly string[]): Promise<void> {
  const options = {
    preset: { type: "string" },
    config: { type: "string" },
    replicates: { type: "string" },
    seed: { type: "string" },
    rng: { type: "string" },
    out: { type: "string" },
    units: { type: "boolean", default: false },
    "max-failures": { type: "string" },
    "retry-failed": { type: "boolean", default: false },
    shards: { type: "string" },
    partition: { type: "string" },
    time: { type: "string" },
    mem: { type: "string" },
    account: { type: "string" },
    "cpus-per-task": { type: "string" },
    "sbatch-arg": { type: "string", multiple: true },
    "dry-run": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  } as const;
  const { values, positionals } = parseCommand("slurm submit", argv, options);
  if (values.help) {
    process.stdout.write(SUBMIT_USAGE);
    return;
  }
  if (positionals.length > 0) throw errors.invalid("slurm submit", "arguments", "flags only", positionals.join(" "));
  if (values.shards === undefined) throw errors.missing("slurm submit", "--shards", "the number of array tasks");
  const shards = positiveInt("--shards", values.shards);
  const cpus = values["cpus-per-task"] === undefined ? 1 : positiveInt("--cpus-per-task", values["cpus-per-task"]);
  const target = await sweepTarget(values);
  const tasks = taskCount(target.config);
  if (shards > Math.min(MAX_SHARDS, tasks)) {
    throw errors.invalid(
      "slurm submit",
      "--shards",
      `at most ${Math.min(MAX_SHARDS, tasks)} (the plan's tasks)`,
      shards,
    );
  }
  const dir = resolve(target.dir);
  let run = joinShardedRun("slurm submit", dir, target.config, shards);
  const configFile = join(dir, CONFIG);
  writeJson(configFile, configJson(target.config));
  const script = join(dir, SCRIPT);
  // sbatch does not create the folder of --output: a job whose log cannot be opened fails.
  mkdirSync(join(dir, LOGS), { recursive: true });
  const kept = existsSync(script);
  if (!kept) {
    const sweepFlags = [
      ...(values.units ? ["--units"] : []),
      ...(values["retry-failed"] ? ["--retry-failed"] : []),
      ...(values["max-failures"] === undefined ? [] : ["--max-failures", String(values["max-failures"])]),
    ];
    writeText(
      script,
      sbatchScript({
        name: `mrsweep-${basename(dir)}`,
        dir,
        logs: LOGS,
        configFile,
        shards,
        cpusPerTask: cpus,
        options: sbatchOptions(values, (values["sbatch-arg"] as unknown as string[] | undefined) ?? []),
        sweepFlags,
        node: process.execPath,
        cli: fileURLToPath(new URL("../cli.js", import.meta.url)),
      }),
    );
  }
  const note = kept ? ` (kept the existing ${SCRIPT}: delete it to write it afresh)` : "";
  if (values["dry-run"]) {
    run = record(dir, run, null);
    process.stderr.write(`slurm: wrote ${script}${note}; submit it with: sbatch ${script}\n`);
    return;
  }
  const job = submitJob(script, `1-${shards}`);
  record(dir, run, job);
  process.stderr.write(
    `slurm: submitted job ${job.id} (${shards} shards) from ${script}${note}\nthen: mrsweep status ${dir}; mrsweep merge ${dir}\n`,
  );
}

function submitJob(script: string, array: string): SubmittedJob {
  return { id: sbatch(script, array), array, submitted: new Date().toISOString() };
}

/** Records the script (and a job submitted) in the run's run.json. */
function record(dir: string, run: RunManifest, job: SubmittedJob | null): RunManifest {
  const previous = slurmOf(run);
  const slurm: SlurmRecord = { script: SCRIPT, jobs: [...(previous?.jobs ?? []), ...(job ? [job] : [])] };
  return updateRunJson(dir, run, { slurm });
}

async function resubmit(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("slurm resubmit", argv, {
    "dry-run": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(RESUBMIT_USAGE);
    return;
  }
  if (positionals.length !== 1)
    throw errors.invalid("slurm resubmit", "arguments", "one run folder", positionals.join(" ") || "none");
  const dir = resolve(positionals[0] as string);
  const { run, config } = openRun("slurm resubmit", dir);
  const shards = shardsOf(run);
  const slurm = slurmOf(run);
  if (!shards || !slurm) {
    throw errors.invalid(
      "slurm resubmit",
      `the run ${dir}`,
      "a run made by mrsweep slurm submit",
      "a run.json without its SLURM record",
    );
  }
  const script = join(dir, slurm.script);
  if (!existsSync(script))
    throw errors.noFile("slurm resubmit", script, "no such file (run mrsweep slurm submit again)");
  const s = shardStates(dir, run, config, shards);
  const left = s.states.filter((x) => x.state === "missing" || x.state === "incomplete" || x.state === "failed");
  if (left.length === 0) {
    const busy = s.states.filter((x) => x.state !== "done").length;
    process.stderr.write(`slurm: nothing to resubmit (${shards.count - busy} done, ${busy} queued or running)\n`);
    return;
  }
  const array = arrayList(left.map((x) => x.report.index));
  const which = left.map((x) => `${x.report.index} (${x.state})`).join(", ");
  if (values["dry-run"]) {
    process.stderr.write(`slurm: would resubmit shards ${which}: sbatch --array=${array} ${script}\n`);
    return;
  }
  const job = submitJob(script, array);
  record(dir, run, job);
  process.stderr.write(`slurm: submitted job ${job.id} for shards ${which}\n`);
}
