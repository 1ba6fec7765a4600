import { errors } from "../errors.js";
import { readManifest } from "../sweep/manifest.js";
import { loadPlugin, type PluginRef } from "./load.js";

/**
 * Plug-ins in sweep configurations. A configuration as written names modules by path (relative to
 * its file); loading them (async: `import`) turns each into a `PluginRef`, the path made absolute
 * and the content's sha256, which is what the parsed configuration holds and run.json records.
 * `parseSweepConfig` stays synchronous: it only checks that the refs it gets are loaded.
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const ENTRY = 'a module path (relative to the configuration file) or {"path", "sha256"} as run.json records it';

/**
 * Loads the plug-ins `raw.plugins` names (paths relative to `baseDir`, or refs of a run.json) and
 * those given apart (`extra`: --plugin flags, relative to the working folder); returns the
 * configuration with `plugins` as refs, or without the key when there are none.
 */
export async function loadConfigPlugins(
  where: string,
  raw: Record<string, unknown>,
  o: { baseDir: string; extra?: readonly string[]; extraWhere?: string },
): Promise<Record<string, unknown>> {
  const { plugins, ...rest } = raw;
  const listed = plugins ?? [];
  if (!Array.isArray(listed)) throw errors.invalid(where, "plugins", `a list, each ${ENTRY}`, listed);
  const refs: PluginRef[] = [];
  const add = (r: PluginRef) => {
    if (!refs.some((x) => x.path === r.path)) refs.push({ path: r.path, sha256: r.sha256 });
  };
  for (const [i, entry] of listed.entries()) {
    const at = `${where}: plugins[${i}]`;
    if (typeof entry === "string") add(await loadPlugin(at, entry, { baseDir: o.baseDir }));
    else if (isRecord(entry) && typeof entry.path === "string") add(await loadPlugin(at, entry.path));
    else throw errors.invalid(where, `plugins[${i}]`, ENTRY, entry);
  }
  for (const f of o.extra ?? []) add(await loadPlugin(o.extraWhere ?? "--plugin", f));
  return refs.length > 0 ? { ...rest, plugins: refs } : rest;
}

/** Loads the plug-ins a run folder's run.json records, so that its configuration parses (plot, summarize, status). */
export async function loadRunPlugins(command: string, dir: string): Promise<void> {
  const run = readManifest(command, dir);
  const plugins = run?.config.plugins;
  if (Array.isArray(plugins)) await loadConfigPlugins(`${command}: ${dir}/run.json`, { plugins }, { baseDir: dir });
}
