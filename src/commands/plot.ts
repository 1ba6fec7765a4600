import { errors } from "../errors.js";
import { loadRunPlugins } from "../plugins/config.js";
import { CONTEXT_NAMES } from "../sim/context-names.js";
import { helpText, parseCommand } from "./args.js";

const USAGE = helpText(
  "mrsweep plot results/<run>  |  mrsweep plot --per-person people.csv --data data.csv [--context COLS] [--out DIR]",
  "Writes a sweep's figures as SVG into results/<run>/figures/ and results/<run>/report.html; or, from\n`mrsweep fit --per-person`, per-person effects against each context variable with a smoother.",
  [
    ["--per-person FILE", "the per-person CSV written by mrsweep fit --per-person"],
    ["--data FILE", "the data file that fit was run on (for the context columns)"],
    ["--context COLS", "context columns to plot against (default: the study's ten)"],
    ["--out DIR", "folder for the per-person figures (default: beside the per-person file)"],
    ["-h, --help", "show this help"],
  ],
);

/** `mrsweep plot`: a sweep's figures and report, or per-person figures of a contextualized fit. */
export async function plotCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("plot", argv, {
    "per-person": { type: "string" },
    data: { type: "string" },
    context: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values["per-person"]) {
    if (!values.data) throw errors.missing("plot", "--data", "the data file the per-person effects were fitted on");
    const context = values.context
      ? String(values.context)
          .split(",")
          .map((s) => s.trim())
      : [...CONTEXT_NAMES];
    const people = String(values["per-person"]);
    const out = (values.out as string | undefined) ?? people.replace(/[^/\\]*$/, "") ?? ".";
    // The figure modules are loaded only here and below, once the arguments are known to be usable.
    const { plotPerPerson } = await import("../report/per-person.js");
    const files = await plotPerPerson(people, String(values.data), context, out || ".");
    process.stdout.write(`plot: wrote ${files.join(", ")}\n`);
    return;
  }
  if (positionals.length !== 1)
    throw errors.invalid("plot", "arguments", "one run folder (or --per-person)", positionals.join(" ") || "none");
  await loadRunPlugins("plot", positionals[0] as string);
  const { plotRun } = await import("../report/plot.js");
  const files = await plotRun(positionals[0] as string);
  process.stdout.write(`plot: wrote ${files.length} figures and report.html in ${positionals[0]}\n`);
}
