import { existsSync, writeFileSync } from "node:fs";
import { errors } from "../errors.js";
import { SWEEP_PRESETS } from "../sweep/presets.js";
import { helpText, parseCommand } from "./args.js";

const USAGE = helpText(
  "mrsweep init [--preset NAME] [--out sweep.json] [--force]",
  'Writes a starting sweep configuration: a preset\'s settings written out in full (quick by default), each key\npreceded by a "_KEY" comment saying what it does (JSON has no comments: sweep configurations ignore keys\nthat start with "_"). Edit it, then run `mrsweep sweep --config sweep.json`.',
  [
    ["--preset NAME", `the preset to start from: ${Object.keys(SWEEP_PRESETS).join(", ")} (default quick)`],
    ["--out FILE", "where to write it (default sweep.json)"],
    ["--force", "replace an existing file"],
    ["-h, --help", "show this help"],
  ],
);

/** What each key of a configuration does, written before it as `_KEY`. */
const COMMENTS: Record<string, string> = {
  plugins:
    "JavaScript modules of your own estimators and DGPs, paths relative to this file (see examples/js-plugin; mrsweep list --plugin FILE shows what one adds)",
  dgp: "the data-generating process (mrsweep list dgps shows each one's parameters)",
  rng: "random backend: seedrandom, or numpy (bit-identical to np.random.default_rng(seed))",
  params: "DGP parameters fixed in every cell; the others take the DGP's defaults",
  grid: "grid axes: a DGP parameter and its values; the cells are every combination, the last axis varying fastest",
  replicates: "datasets simulated per cell; more replicates later extend a finished run",
  estimators:
    'estimator ids, or {"id", "name", "params"} for one with other parameters under its own name (mrsweep list estimators)',
  seed: "the run seed: every task's seed derives from it and the task, so results do not depend on threads or resumes",
  seeds: '"derived" (a seed per task) or "dgp" (the DGP\'s own seed parameter, one replicate)',
};

/** The keys in the order written; a preset's others (none today) follow. */
const ORDER = ["plugins", "dgp", "rng", "params", "grid", "replicates", "estimators", "seed", "seeds"];

/** The commented starting configuration of a preset, as a JSON object (keys in writing order). */
export function initConfig(preset: string): Record<string, unknown> {
  const source = SWEEP_PRESETS[preset];
  if (!source) throw errors.unknownId("init", "--preset", preset, Object.keys(SWEEP_PRESETS));
  const values: Record<string, unknown> = { plugins: [], ...source };
  const out: Record<string, unknown> = {
    _comment: `A sweep configuration for mrsweep, from the ${preset} preset. Run it with: mrsweep sweep --config FILE. Keys starting with _ are comments.`,
  };
  const keys = [...ORDER.filter((k) => k in values), ...Object.keys(values).filter((k) => !ORDER.includes(k))];
  for (const k of keys) {
    if (COMMENTS[k]) out[`_${k}`] = COMMENTS[k];
    out[k] = values[k];
  }
  return out;
}

/** JSON indented by two, with lists of numbers or strings on one line (a grid axis reads as a row). */
export function configText(config: Record<string, unknown>): string {
  return JSON.stringify(config, null, 2).replace(
    /\[\n\s+([^[\]{}]*?)\n\s*\]/g,
    (_, inner: string) => `[${inner.split(/,\n\s*/).join(", ")}]`,
  );
}

/** `mrsweep init`: writes a commented starting sweep configuration. */
export async function initCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommand("init", argv, {
    preset: { type: "string", default: "quick" },
    out: { type: "string", default: "sweep.json" },
    force: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length > 0) throw errors.invalid("init", "arguments", "flags only", positionals.join(" "));
  const file = values.out as string;
  if (file === "") throw errors.invalid("init", "--out", "a file path", file);
  const config = initConfig(values.preset as string);
  if (existsSync(file) && !values.force)
    throw errors.invalid("init", "--out", "a file that does not exist yet (or --force to replace it)", file);
  try {
    writeFileSync(file, `${configText(config)}\n`);
  } catch (e) {
    throw errors.fileSystem("init", file, e);
  }
  process.stderr.write(`init: wrote ${file}; edit it, then run: mrsweep sweep --config ${file}\n`);
}
