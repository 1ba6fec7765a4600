import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { described, errors } from "../errors.js";
import { parseSweepConfig, type SweepConfig } from "./config.js";

/** run.json: what made a run folder (configuration, seed bits, versions) and how far it got. */
export interface RunManifest {
  config: Record<string, unknown>;
  config_hash?: string;
  /** Bits of the task seeds; absent in runs made before 53-bit seeds (then 32). */
  seed_bits?: number;
  status?: string;
  started?: string;
  ended?: string;
  [key: string]: unknown;
}

/** The path of a run folder's manifest. */
export function manifestPath(dir: string): string {
  return join(dir, "run.json");
}

/**
 * Reads a run folder's run.json: null when there is none; an input error naming the file and what
 * is wrong with it when it is not a manifest (empty, not JSON, not an object, a folder).
 */
export function readManifest(command: string, dir: string): RunManifest | null {
  const path = manifestPath(dir);
  if (!existsSync(path)) return null;
  const refuse = (got: string) =>
    errors.invalid(
      command,
      `the run manifest ${path}`,
      "a JSON object with the run's configuration (delete it to resume from the verified rows of replicates.csv, or use another --out)",
      described(got),
    );
  if (statSync(path).isDirectory()) throw refuse("a folder");
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") throw refuse("an empty file");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw refuse(`text that is not JSON (${(e as Error).message})`);
  }
  const config = (value as { config?: unknown } | null)?.config;
  if (typeof value !== "object" || value === null || Array.isArray(value) || typeof config !== "object" || !config) {
    throw refuse(Array.isArray(value) ? "a JSON array" : "JSON without a configuration object");
  }
  return value as RunManifest;
}

/** Reads a run folder's run.json (which must exist) and its validated configuration. */
export function openRun(command: string, dir: string): { run: RunManifest; config: SweepConfig } {
  const run = readManifest(command, dir);
  if (!run) throw errors.noFile(command, manifestPath(dir), "no run.json (is this a sweep's output folder?)");
  return { run, config: parseSweepConfig(run.config, manifestPath(dir)) };
}
