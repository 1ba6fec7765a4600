import { errors } from "../errors.js";
import { loadRunPlugins } from "../plugins/config.js";
import { shardStates, slurmOf } from "../slurm/states.js";
import { openRun } from "../sweep/manifest.js";
import { shardsOf } from "../sweep/shard.js";
import { helpText, parseCommand } from "./args.js";
import { statusCommand as runStatus } from "./run-folder.js";

/** `mrsweep status DIR`: how far a run got; for a sharded run, each shard's state. */
export async function statusCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("status", argv, { help: { type: "boolean", short: "h" } });
  if (values.help || positionals.length !== 1) {
    if (!values.help) throw errors.invalid("status", "arguments", "one run folder", positionals.join(" ") || "none");
    process.stdout.write(
      helpText(
        "mrsweep status results/<run>",
        "Shows how far a sweep got. For a sharded run (sweep --shard, slurm submit): each shard's state,\nfrom its folder and, when SLURM answers, from squeue and sacct: pending, running, done, failed\n(its job ended without finishing it), incomplete (resuming it finishes it) or missing.",
        [["-h, --help", "show this help"]],
      ),
    );
    return;
  }
  const dir = positionals[0] as string;
  await loadRunPlugins("status", dir);
  const { run, config } = openRun("status", dir);
  const shards = shardsOf(run);
  if (!shards) return runStatus(argv);
  const s = shardStates(dir, run, config, shards);
  const done = s.states.reduce((n, x) => n + x.report.done, 0);
  const total = s.states.reduce((n, x) => n + x.report.total, 0);
  const count = (state: string) => s.states.filter((x) => x.state === state).length;
  const jobs = slurmOf(run)?.jobs ?? [];
  const lines = [
    `${dir}: ${shards.count} shards, ${run.status === "complete" || run.status === "partial" ? `merged (${run.status})` : "not merged"}${jobs.length > 0 ? `, SLURM jobs ${jobs.map((j) => j.id).join(", ")}${s.queue ? "" : " (squeue not available: states from the folders)"}` : ""}`,
    `tasks: ${done}/${total} done in the shards; shards: ${[
      "done",
      "running",
      "pending",
      "failed",
      "incomplete",
      "missing",
    ]
      .map((st) => `${count(st)} ${st}`)
      .join(", ")}`,
    ...s.states.map(
      ({ report, state }) =>
        `  shard ${String(report.index).padStart(String(shards.count).length)} ${state.padEnd(10)} ${report.done}/${report.total}${report.failures > 0 ? `, ${report.failures} with failed estimators` : ""}${report.why && state !== "done" ? ` (${report.why})` : ""}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
