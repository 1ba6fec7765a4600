import { errors, isFileSystemError, MrsweepError } from "./errors.js";

/** One command: how to load and run it (loaded only when chosen: see `COMMANDS`), and its help line. */
interface Command {
  load: () => Promise<(argv: readonly string[]) => Promise<void>>;
  help: string;
}

/**
 * Every command, each module imported only when its command runs: the figures (vega, vega-lite,
 * resvg), the pool (piscina), the CSV reader (fast-csv) and the estimators cost several times
 * Node's own start-up, which `--help` and a small `fit` should not pay for what they do not use.
 */
const COMMANDS: Record<string, Command> = {
  sweep: {
    load: async () => (await import("./commands/sweep.js")).sweepCommand,
    help: "grid x replicates x estimators on all cores (npm start runs the quick preset)",
  },
  plot: {
    load: async () => (await import("./commands/plot.js")).plotCommand,
    help: "figures (SVG) and report.html for a sweep (also run at the end of every sweep)",
  },
  summarize: {
    load: async () => (await import("./commands/run-folder.js")).summarizeCommand,
    help: "rebuild a run's summary.csv from its replicates.csv",
  },
  status: {
    load: async () => (await import("./commands/status.js")).statusCommand,
    help: "show how far a sweep got (a sharded run: each shard's state)",
  },
  simulate: {
    load: async () => (await import("./commands/simulate.js")).simulateCommand,
    help: "simulate one dataset from a DGP into a CSV (+ metadata)",
  },
  fit: {
    load: async () => (await import("./commands/fit.js")).fitCommand,
    help: "fit estimators to your own CSV/TSV file",
  },
  mr: {
    load: async () => (await import("./commands/mr.js")).mrCommand,
    help: "summary-level MR (IVW, MR-Egger, medians, mode) on a harmonised file",
  },
  list: {
    load: async () => (await import("./commands/list.js")).listCommand,
    help: "DGPs, estimators (with their parameters), sweep presets and plug-ins loaded",
  },
  init: {
    load: async () => (await import("./commands/init.js")).initCommand,
    help: "write a commented starting sweep configuration (sweep.json)",
  },
  demo: {
    load: async () => (await import("./commands/demo.js")).demoCommand,
    help: "simulate the study's data and fit OLS and 2SLS",
  },
  reproduce: {
    load: async () => (await import("./commands/reproduce.js")).reproduceCommand,
    help: "regenerate the study's published baseline table bit for bit (study-baseline)",
  },
  merge: {
    load: async () => (await import("./commands/merge.js")).mergeCommand,
    help: "join a sharded run's shards (sweep --shard) into its folder",
  },
  slurm: {
    load: async () => (await import("./commands/slurm.js")).slurmCommand,
    help: "run a sweep as a SLURM array job: submit, resubmit",
  },
};

const USAGE = `Usage: mrsweep <command> [options]

Mendelian randomization simulation and estimation.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.help}`)
  .join("\n")}

Run \`mrsweep <command> --help\` for a command's options.
`;

/** Runs the command named by argv[0]; returns its exit code or throws what it threw. */
async function run(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw errors.unknownId("mrsweep", "the command", name, Object.keys(COMMANDS));
  const commandRun = await command.load();
  // A command may set its own exit code (a stopped sweep: 1, an interrupted one: 130); the caller's
  // is put back, so that running main in a host process (a test) leaves the host's exit code alone.
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await commandRun(rest);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } finally {
    process.exitCode = before;
  }
}

/** The exit code of a thrown error, after writing its one line to stderr. */
function report(e: unknown, command: string): number {
  // A file-system error no command anticipated is still the environment's, not a bug.
  if (isFileSystemError(e)) e = errors.fileSystem(command, e.path, e);
  if (e instanceof MrsweepError) {
    process.stderr.write(`mrsweep ${e.message}\n`);
    return e.kind === "input" ? 2 : 1;
  }
  process.stderr.write(`mrsweep: internal error (a bug; please report it): ${(e as Error).stack ?? String(e)}\n`);
  return 1;
}

/**
 * The whole CLI in-process: runs `mrsweep ...argv` (argv without node and the script), writing to
 * process.stdout and process.stderr, and resolves to the exit code: 0, 2 for bad input (one line
 * on stderr), 1 for a failed run or the environment. It never calls process.exit and never rejects.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    const name = argv[0];
    return report(e, name !== undefined && Object.hasOwn(COMMANDS, name) ? name : "mrsweep");
  }
}
