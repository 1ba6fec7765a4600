#!/usr/bin/env node
import { demoCommand } from "./commands/demo.js";
import { fitCommand } from "./commands/fit.js";
import { mrCommand } from "./commands/mr.js";
import { plotCommand } from "./commands/plot.js";
import { reproduceCommand } from "./commands/reproduce.js";
import { statusCommand, summarizeCommand } from "./commands/run-folder.js";
import { simulateCommand } from "./commands/simulate.js";
import { sweepCommand } from "./commands/sweep.js";
import { errors, isFileSystemError, MrsweepError } from "./errors.js";

const COMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<void>; help: string }> = {
  sweep: { run: sweepCommand, help: "grid x replicates x estimators on all cores (npm start runs the quick preset)" },
  plot: { run: plotCommand, help: "figures (SVG) and report.html for a sweep (also run at the end of every sweep)" },
  summarize: { run: summarizeCommand, help: "rebuild a run's summary.csv from its replicates.csv" },
  status: { run: statusCommand, help: "show how far a sweep got" },
  simulate: { run: simulateCommand, help: "simulate one dataset from a DGP into a CSV (+ metadata)" },
  fit: { run: fitCommand, help: "fit estimators to your own CSV/TSV file" },
  mr: { run: mrCommand, help: "summary-level MR (IVW, MR-Egger, medians, mode) on a harmonised file" },
  demo: { run: demoCommand, help: "simulate the study's data and fit OLS and 2SLS" },
  reproduce: {
    run: reproduceCommand,
    help: "regenerate the study's published baseline table bit for bit (study-baseline)",
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

async function main(argv: readonly string[]): Promise<number> {
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
  const command = COMMANDS[name];
  if (!command) throw errors.unknownId("mrsweep", "the command", name, Object.keys(COMMANDS));
  await command.run(rest);
  // A command may set its own exit code (a stopped sweep: 1, an interrupted one: 130).
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

// A closed pipe (`mrsweep fit ... | head`) is the reader's choice, not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

/** The command being run, for messages that arise outside it. */
function argv0(): string {
  const name = process.argv[2];
  return name && name in COMMANDS ? name : "mrsweep";
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // A file-system error no command anticipated is still the environment's, not a bug.
    if (isFileSystemError(e)) e = errors.fileSystem(argv0(), e.path, e);
    if (e instanceof MrsweepError) {
      process.stderr.write(`mrsweep ${e.message}\n`);
      process.exitCode = e.kind === "input" ? 2 : 1;
    } else {
      process.stderr.write(`mrsweep: internal error (a bug; please report it): ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
