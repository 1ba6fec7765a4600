import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errors } from "../errors.js";
import { parseSweepConfig } from "../sweep/config.js";
import { writeSummary } from "../sweep/outputs.js";
import { cells, tasks } from "../sweep/plan.js";
import { recover, replicateColumns } from "../sweep/replicates.js";
import { helpText, parseCommand } from "./args.js";

/** Reads a run folder's run.json and its configuration. */
function openRun(command: string, dir: string) {
  const runFile = join(dir, "run.json");
  if (!existsSync(runFile)) throw errors.noFile(command, runFile, "no run.json (is this a sweep's output folder?)");
  const run = JSON.parse(readFileSync(runFile, "utf8")) as {
    config: Record<string, unknown>;
    status: string;
    started: string;
    ended?: string;
  };
  return { run, config: parseSweepConfig(run.config, runFile) };
}

/** `mrsweep summarize DIR`: rebuilds summary.csv from replicates.csv. */
export async function summarizeCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("summarize", argv, { help: { type: "boolean", short: "h" } });
  if (values.help || positionals.length !== 1) {
    if (!values.help) throw errors.invalid("summarize", "arguments", "one run folder", positionals.join(" ") || "none");
    process.stdout.write(
      helpText("mrsweep summarize results/<run>", "Rebuilds summary.csv from replicates.csv.", [
        ["-h, --help", "show this help"],
      ]),
    );
    return;
  }
  const dir = positionals[0] as string;
  const { config } = openRun("summarize", dir);
  await writeSummary(dir, join(dir, "replicates.csv"), config);
  process.stdout.write(`summarize: wrote ${join(dir, "summary.csv")}\n`);
}

/** `mrsweep status DIR`: how far a run got. */
export async function statusCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("status", argv, { help: { type: "boolean", short: "h" } });
  if (values.help || positionals.length !== 1) {
    if (!values.help) throw errors.invalid("status", "arguments", "one run folder", positionals.join(" ") || "none");
    process.stdout.write(
      helpText("mrsweep status results/<run>", "Shows how far a sweep got.", [["-h, --help", "show this help"]]),
    );
    return;
  }
  const dir = positionals[0] as string;
  const { run, config } = openRun("status", dir);
  const grid = cells(config);
  const plan = tasks(config, grid);
  const rec = await recover(join(dir, "replicates.csv"), replicateColumns(config), config, grid);
  const lines = [
    `${dir}: ${run.status}, started ${run.started}${run.ended ? `, ended ${run.ended}` : ""}`,
    `tasks: ${rec.table.size}/${plan.length} done (${((100 * rec.table.size) / plan.length).toFixed(1)}%) in ${grid.length} cells`,
    ...grid.map((c) => {
      const done = rec.table.doneIn(c.index);
      return `  ${c.id} ${c.label.padEnd(36)} ${done}/${config.replicates}`;
    }),
  ];
  if (rec.tornLine || rec.droppedRows > 0)
    lines.push(`incomplete rows to redo on resume: ${rec.droppedRows}${rec.tornLine ? " (and a torn last line)" : ""}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
