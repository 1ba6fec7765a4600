import { errors } from "../errors.js";
import { checkWritable } from "../io/writable.js";
import { writeFrame, writeFrameTo, writeJson } from "../io/write-table.js";
import { flagName, type ParamSpec, parseParamText, resolveParams } from "../params.js";
import { loadPlugins } from "../plugins/load.js";
import { dgps, getDgp } from "../sim/registry.js";
import { BACKENDS, simulateResolved } from "../sim/simulate.js";
import { helpText, type OptionSpec, type Parsed, parseCommand } from "./args.js";

/** The values of a flag, found before the full parse because --dgp and --plugin decide the other flags. */
function flagValues(argv: readonly string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === flag) out.push(argv[i + 1] ?? "");
    if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
  }
  return out;
}

function paramOptions(specs: readonly ParamSpec[]): OptionSpec {
  const out: OptionSpec = {};
  for (const s of specs) {
    if (s.type === "boolean") {
      out[flagName(s.name)] = { type: "boolean" };
      out[`no-${flagName(s.name)}`] = { type: "boolean" };
    } else out[flagName(s.name)] = { type: "string" };
  }
  return out;
}

function defaultText(v: unknown): string {
  if (v === null) return "none";
  return Array.isArray(v) ? v.join(",") : String(v);
}

function usage(dgpId: string): string {
  const dgp = dgps.get(dgpId) ?? getDgp("study");
  const rows: [string, string][] = [
    ["--dgp ID", `data-generating process: ${[...dgps.keys()].join(", ")} (default study)`],
    [
      "--out FILE",
      "CSV file to write (required; TSV for .tsv names, gzip-compressed for .gz); - writes the CSV to standard output",
    ],
    ["--meta FILE", "where the metadata (JSON) goes (default: FILE with .meta.json; with --out -, nowhere)"],
    ["--plugin FILE", "a JavaScript module of DGPs to load first (repeatable; --dgp may then name its DGPs)"],
    ["--rng ID", "random backend: seedrandom (default) or numpy (bit-identical to np.random.default_rng(seed))"],
    ...dgp.params.map((s): [string, string] => [
      s.type === "boolean"
        ? `--[no-]${flagName(s.name)}`
        : `--${flagName(s.name)} ${s.type === "numbers" ? "A,B,.." : "V"}`,
      `${s.help} (default ${defaultText((dgp.defaults as Record<string, unknown>)[s.name])})`,
    ]),
    ["-h, --help", "show this help"],
  ];
  return helpText(
    `mrsweep simulate [--dgp ${[...dgps.keys()].join("|")}] [parameters of the DGP ...] --out data.csv`,
    `Simulates one dataset from ${dgp.label} (${dgp.id}): ${dgp.description}. The options below are ${dgp.id}'s; \`mrsweep simulate --dgp ID --help\` lists another DGP's.`,
    rows,
  );
}

/** The metadata file written beside a simulated CSV. */
export function metaPath(out: string): string {
  return `${out.replace(/\.(csv|tsv)(\.gz)?$/i, "")}.meta.json`;
}

/** The DGP parameters given as flags, parsed by their specs. */
function givenParams(specs: readonly ParamSpec[], values: Parsed["values"]): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const s of specs) {
    const f = flagName(s.name);
    if (s.type === "boolean") {
      if (values[f] && values[`no-${f}`])
        throw errors.invalid("simulate", `--${f}`, "given once", `--${f} and --no-${f}`);
      if (values[f]) given[s.name] = true;
      if (values[`no-${f}`]) given[s.name] = false;
    } else if (typeof values[f] === "string") given[s.name] = parseParamText("simulate", s, values[f] as string);
  }
  return given;
}

/** The metadata file: --meta if given, else beside --out, else (--out -) none. */
function metaOption(given: unknown, out: string): string | undefined {
  if (given === "") throw errors.invalid("simulate", "--meta", "a file path", given);
  if (typeof given === "string") return given;
  return out === "-" ? undefined : metaPath(out);
}

/** `mrsweep simulate`: writes one simulated dataset and its metadata. */
export async function simulateCommand(argv: readonly string[]): Promise<void> {
  await loadPlugins(flagValues(argv, "--plugin"), { where: "simulate" });
  const dgpId = flagValues(argv, "--dgp")[0] ?? "study";
  const dgp = getDgp(dgpId);
  const options: OptionSpec = {
    dgp: { type: "string" },
    plugin: { type: "string", multiple: true },
    out: { type: "string" },
    meta: { type: "string" },
    rng: { type: "string" },
    help: { type: "boolean", short: "h" },
    ...paramOptions(dgp.params),
  };
  const { values, positionals } = parseCommand("simulate", argv, options);
  if (values.help) {
    process.stdout.write(usage(dgpId));
    return;
  }
  if (positionals.length > 0) throw errors.invalid("simulate", "arguments", "flags only", positionals.join(" "));
  const out = values.out;
  if (typeof out !== "string" || out === "") throw errors.missing("simulate", "--out", "a file path");
  const params = resolveParams(dgp.id, dgp.params, dgp.defaults, givenParams(dgp.params, values));
  const rng = typeof values.rng === "string" ? values.rng : "seedrandom";
  if (!(rng in BACKENDS)) throw errors.unknownId("simulate", "--rng", rng, Object.keys(BACKENDS));
  const toStdout = out === "-";
  const meta = metaOption(values.meta, out);
  for (const path of [toStdout ? undefined : out, meta]) if (path !== undefined) checkWritable("simulate", path);
  const sim = simulateResolved(dgp, params, { rng });
  if (toStdout) await writeFrameTo(process.stdout, sim.data);
  else await writeFrame(out, sim.data, "simulate");
  if (meta !== undefined) writeJson(meta, { ...sim.meta, roles: sim.roles, rows: sim.data.n, file: out }, "simulate");
  process.stderr.write(
    `simulate: wrote ${sim.data.n} rows x ${sim.data.names.length + (sim.data.bytes?.length ?? 0)} columns to ${toStdout ? "standard output" : out}${meta === undefined ? "" : ` (+ ${meta})`}\n`,
  );
}
