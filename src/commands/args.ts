import { type ParseArgsConfig, parseArgs } from "node:util";
import { described, errors } from "../errors.js";

/** Options of one command, in node:util parseArgs form. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses argv strictly; unknown or malformed flags become input errors naming the command. */
export function parseCommand(command: string, argv: readonly string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as Parsed["values"], positionals };
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(msg)?.[1] ?? msg;
    const known = Object.keys(options).map((k) => `--${k}`);
    if ((e as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw errors.unknownId(command, "an option", flag, known);
    }
    if (msg.includes("ambiguous")) {
      throw errors.invalid(
        command,
        `${flag}`,
        `written as ${flag}=VALUE when the value starts with "-"`,
        described(`${flag} followed by a dash`),
      );
    }
    throw errors.invalid(command, "the options", `well-formed (${known.join(", ")}; see --help)`, msg);
  }
}

/** Formats a help text: usage line, description, then aligned option rows. */
export function helpText(usage: string, description: string, rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([f]) => f.length), 0) + 2;
  const body = rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`).join("\n");
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${body}\n`;
}
