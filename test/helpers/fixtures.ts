import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Frame } from "../../src/data/frame.js";
import { numericFrame } from "../../src/io/columns.js";
import { readTable } from "../../src/io/read-table.js";

/** The project root (fixtures live under test/fixtures). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Path of a file under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return join(ROOT, "test", "fixtures", ...parts);
}

/** Reads a CSV/TSV into a frame of all its columns. */
export async function readFrame(file: string): Promise<Frame> {
  const table = await readTable(file);
  return numericFrame(table, table.names);
}
