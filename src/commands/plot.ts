import { errors } from "../errors.js";
import { plotRun } from "../report/plot.js";
import { helpText, parseCommand } from "./args.js";

/** `mrsweep plot DIR`: figures (SVG) and report.html for a sweep's output folder. */
export async function plotCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("plot", argv, { help: { type: "boolean", short: "h" } });
  if (values.help) {
    process.stdout.write(
      helpText(
        "mrsweep plot results/<run>",
        "Writes the run's figures as SVG into results/<run>/figures/ and results/<run>/report.html.",
        [["-h, --help", "show this help"]],
      ),
    );
    return;
  }
  if (positionals.length !== 1)
    throw errors.invalid("plot", "arguments", "one run folder", positionals.join(" ") || "none");
  const files = await plotRun(positionals[0] as string);
  process.stdout.write(`plot: wrote ${files.length} figures and report.html in ${positionals[0]}\n`);
}
