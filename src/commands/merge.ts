import { errors } from "../errors.js";
import { loadRunPlugins } from "../plugins/config.js";
import { mergeRun } from "../sweep/merge.js";
import { helpText, parseCommand } from "./args.js";
import { plotRun } from "./deferred.js";
import { EXIT_FAILED_TASKS } from "./sweep.js";

const USAGE = helpText(
  "mrsweep merge results/<run> [--partial] [--no-plots]",
  "Joins a sharded run (sweep --shard, slurm submit) into its folder: every shard's rows are verified\nlike a resume, every task of the plan must be present exactly once, and replicates.csv (canonical\norder: the bytes a local run writes), summary.csv (from the rows), run.json, the figures and\nreport.html are written. Shards that are missing or incomplete refuse the merge, named.\nExit codes: 0 merged, 1 an environment error, 2 bad input or shards left, 3 merged with failed tasks.",
  [
    ["--partial", "merge the shards that are done, leaving out the others (summary.csv then covers fewer replicates)"],
    ["--no-plots", "skip the figures and report.html (see mrsweep plot)"],
    ["-h, --help", "show this help"],
  ],
);

/** `mrsweep merge DIR`. */
export async function mergeCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("merge", argv, {
    partial: { type: "boolean", default: false },
    "no-plots": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length !== 1)
    throw errors.invalid("merge", "arguments", "one run folder", positionals.join(" ") || "none");
  const dir = positionals[0] as string;
  await loadRunPlugins("merge", dir);
  const out = await mergeRun(dir, values.partial as boolean);
  const figures = values["no-plots"] ? 0 : (await plotRun(dir)).length;
  const from = out.left.length > 0 ? ` (left out: shard ${out.left.map((s) => s.index).join(", ")})` : "";
  const plots = figures > 0 ? `, ${figures} figures and report.html` : "";
  process.stderr.write(`merge: ${out.done}/${out.total} tasks, ${out.failures} failed${from} → ${dir}${plots}\n`);
  if (out.failures > 0) process.exitCode = EXIT_FAILED_TASKS;
}
