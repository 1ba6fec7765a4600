import { errors } from "../errors.js";
import { estimators } from "../estimators/registry.js";
import type { ParamSpec } from "../params.js";
import { isPluginId, loadedPlugins, loadPlugins } from "../plugins/load.js";
import { dgps } from "../sim/registry.js";
import { SWEEP_PRESETS } from "../sweep/presets.js";
import { helpText, parseCommand } from "./args.js";

/** What `mrsweep list` can show, in its order. */
const SECTIONS = ["dgps", "estimators", "presets", "plugins"] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = helpText(
  `mrsweep list [${SECTIONS.join("|")}] [--plugin FILE ...] [--json]`,
  "Lists the data-generating processes and estimators (with their parameters), the sweep presets and the\nplug-ins loaded; --plugin loads a plug-in module first, so its DGPs and estimators are listed too.",
  [
    ["--plugin FILE", "a JavaScript module of estimators and/or DGPs to load first (repeatable)"],
    ["--json", "print one JSON object, a key per section"],
    ["-h, --help", "show this help"],
  ],
);

/** A parameter as `list` describes it: its type and constraints in words, its default and help. */
export interface ParamInfo {
  name: string;
  type: string;
  default: unknown;
  help: string;
}

function typeText(s: ParamSpec): string {
  const bounds = [
    s.above === undefined ? "" : `> ${s.above}`,
    s.min === undefined ? "" : `>= ${s.min}`,
    s.max === undefined ? "" : `<= ${s.max}`,
  ].filter(Boolean);
  const base = s.type === "choice" ? (s.choices ?? []).join("|") + (s.orNumber ? "|number" : "") : s.type;
  const length = s.length === undefined ? "" : ` of ${s.length}`;
  return `${base}${length}${bounds.length ? ` ${bounds.join(" ")}` : ""}${s.nullable ? " or none" : ""}`;
}

function paramInfo(specs: readonly ParamSpec[], defaults: object): ParamInfo[] {
  return specs.map((s) => ({
    name: s.name,
    type: typeText(s),
    default: (defaults as Record<string, unknown>)[s.name] ?? null,
    help: s.help,
  }));
}

/** Everything `list` shows, as data (the --json output). */
export function listing(): Record<Section, unknown[]> {
  return {
    dgps: [...dgps.values()].map((d) => ({
      id: d.id,
      label: d.label,
      description: d.description,
      plugin: isPluginId("dgp", d.id),
      params: paramInfo(d.params, d.defaults),
    })),
    estimators: [...estimators.values()].map((e) => ({
      id: e.id,
      label: e.label,
      input: e.input,
      description: e.description,
      plugin: isPluginId("estimator", e.id),
      extras: e.extras,
      params: paramInfo(e.params, e.defaults),
    })),
    presets: Object.entries(SWEEP_PRESETS).map(([name, p]) => ({
      name,
      dgp: p.dgp,
      replicates: p.replicates,
      grid: p.grid ?? {},
      estimators: (p.estimators as unknown[] | undefined)?.length ?? 0,
    })),
    plugins: loadedPlugins().map((p) => ({ ...p })),
  };
}

function defaultText(v: unknown): string {
  if (v === null) return "none";
  return Array.isArray(v) ? v.join(",") || "(empty)" : String(v);
}

function paramLines(params: readonly ParamInfo[]): string[] {
  return params.map((p) => `    ${p.name} (${p.type}; default ${defaultText(p.default)}): ${p.help}`);
}

type Item = Record<string, unknown> & { params: ParamInfo[] };

/** The plain-text lines of one section. */
function sectionLines(section: Section, data: Record<Section, unknown[]>): string[] {
  const rows = data[section] as Item[];
  const plug = (r: Item) => (r.plugin ? " [plug-in]" : "");
  switch (section) {
    case "dgps":
      return rows.flatMap((d) => [`  ${d.id}${plug(d)}: ${d.label}. ${d.description}`, ...paramLines(d.params)]);
    case "estimators":
      return rows.flatMap((e) => [
        `  ${e.id} (${e.input})${plug(e)}: ${e.label}. ${e.description}`,
        ...paramLines(e.params),
        ...((e.extras as string[]).length ? [`    extras: ${(e.extras as string[]).join(", ")}`] : []),
      ]);
    case "presets":
      return rows.map((p) => {
        const axes = Object.entries(p.grid as Record<string, unknown[]>).map(([k, v]) => `${k} x${v.length}`);
        return `  ${p.name}: dgp ${p.dgp}, grid ${axes.join(", ") || "one cell"}, ${p.replicates ?? 100} replicates, ${p.estimators} estimators`;
      });
    case "plugins":
      return rows.length === 0
        ? ['  none (a sweep config\'s "plugins" or --plugin loads them)']
        : rows.map((p) => {
            const what = [...(p.dgps as string[]), ...(p.estimators as string[])].join(", ");
            return `  ${p.path} (sha256 ${String(p.sha256).slice(0, 12)}…): ${what}`;
          });
  }
}

const TITLES: Record<Section, string> = {
  dgps: 'DGPs (mrsweep simulate --dgp ID; a sweep\'s "dgp")',
  estimators: 'Estimators (mrsweep fit --estimators IDS; a sweep\'s "estimators")',
  presets: "Sweep presets (mrsweep sweep --preset NAME; mrsweep init --preset NAME)",
  plugins: "Plug-ins loaded",
};

/** `mrsweep list`. */
export async function listCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("list", argv, {
    plugin: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length > 1) throw errors.invalid("list", "arguments", "at most one section", positionals.join(" "));
  const only = positionals[0];
  if (only !== undefined && !(SECTIONS as readonly string[]).includes(only))
    throw errors.unknownId("list", "the section", only, SECTIONS);
  await loadPlugins((values.plugin as unknown as string[] | undefined) ?? [], { where: "list" });
  const data = listing();
  const sections = only === undefined ? SECTIONS : [only as Section];
  if (values.json) {
    process.stdout.write(`${JSON.stringify(Object.fromEntries(sections.map((s) => [s, data[s]])), null, 2)}\n`);
    return;
  }
  const text = sections.map((s) => [`${TITLES[s]}:`, ...sectionLines(s, data)].join("\n")).join("\n\n");
  process.stdout.write(`${text}\n`);
}
