import { described, errors } from "../errors.js";
import { loadedPlugins, type PluginRef } from "./load.js";

/** Plug-in refs in a parsed sweep configuration and in run.json (see src/plugins/config.ts). */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The `plugins` of a configuration being parsed: undefined (none), or refs of plug-ins loaded in
 * this thread (by `loadConfigPlugins`).
 */
export function pluginRefsOf(where: string, raw: unknown): PluginRef[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw errors.invalid(where, "plugins", "a list of loaded plug-ins", raw);
  const loaded = loadedPlugins();
  const refs = raw.map((r, i): PluginRef => {
    const keys = isRecord(r) ? Object.keys(r).sort().join(",") : "";
    if (!isRecord(r) || keys !== "path,sha256" || typeof r.path !== "string" || typeof r.sha256 !== "string")
      throw errors.invalid(where, `plugins[${i}]`, '{"path", "sha256"} of a loaded plug-in', r);
    if (!loaded.some((p) => p.path === r.path))
      throw errors.invalid(
        where,
        `plugins[${i}]`,
        "a plug-in loaded first (mrsweep sweep and runSweep load a configuration's plug-ins)",
        r.path,
      );
    return { path: r.path, sha256: r.sha256 };
  });
  return refs.length > 0 ? refs : undefined;
}

/**
 * The refusal to resume a run whose plug-in changed since it started (its sha256 differs), or null
 * when every plug-in of the earlier run that this one also loads is the same file.
 */
export function changedPlugin(dir: string, before: Record<string, unknown>, after: Record<string, unknown>) {
  const list = (c: Record<string, unknown>) => (Array.isArray(c.plugins) ? (c.plugins as PluginRef[]) : []);
  for (const old of list(before)) {
    const now = list(after).find((p) => p.path === old.path);
    if (now && now.sha256 !== old.sha256) {
      return errors.invalid(
        "sweep",
        `plug-in ${old.path}`,
        `unchanged to resume the run in ${dir} (sha256 ${old.sha256.slice(0, 12)}… when the run started; restore it, or use --force to start afresh, or another --out)`,
        described(`a changed file (sha256 ${now.sha256.slice(0, 12)}…)`),
      );
    }
  }
  return null;
}
