import { join } from "node:path";
import { errors } from "../errors.js";
import { loadRunPlugins } from "../plugins/config.js";
import { holderAlive, readLock } from "../sweep/lock.js";
import { openRun } from "../sweep/manifest.js";
import { writeSummary } from "../sweep/outputs.js";
import { cells, tasks } from "../sweep/plan.js";
import { recover } from "../sweep/recover.js";
import { replicateColumns } from "../sweep/replicates.js";
import { helpText, parseCommand } from "./args.js";

/** A run's state in words: run.json's status, checked against the folder's lock for a running one. */
function runState(dir: string, status: string | undefined): string {
  if (status !== "running") return status ?? "unknown";
  const lock = readLock(dir);
  const alive = lock ? holderAlive(lock) : "no";
  if (!lock || alive === "no") return "stopped (no process)";
  return alive === "yes" ? `running (process ${lock.pid})` : `running on host ${lock.host} (process ${lock.pid})`;
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
  await loadRunPlugins("summarize", dir);
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
  await loadRunPlugins("status", dir);
  const { run, config } = openRun("status", dir);
  const grid = cells(config);
  const plan = tasks(config, grid);
  const rec = recover(join(dir, "replicates.csv"), {
    config,
    grid,
    columns: replicateColumns(config),
    seedBits: run.seed_bits === 53 ? 53 : 32,
  });
  const lines = [
    `${dir}: ${runState(dir, run.status)}, started ${run.started}${run.ended ? `, ended ${run.ended}` : ""}`,
    `tasks: ${rec.table.size}/${plan.length} done (${((100 * rec.table.size) / plan.length).toFixed(1)}%) in ${grid.length} cells, ${rec.table.failures} with failed estimators`,
    ...grid.map((c) => {
      const done = rec.table.doneIn(c.index);
      return `  ${c.id} ${c.label.padEnd(36)} ${done}/${config.replicates}`;
    }),
  ];
  if (rec.tornLine || rec.droppedRows > 0)
    lines.push(
      `rows to redo on resume: ${rec.droppedRows}${rec.tornLine ? " (and a torn last line)" : ""}, first at ${rec.firstProblem ?? "the end"}`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}
