import { createWriteStream, renameSync, rmSync, writeFileSync } from "node:fs";
import { format } from "fast-csv";
import type { Frame } from "../data/frame.js";

/** Text of a number as written to files: shortest round-trip form, `NA` for missing. */
export function numberText(v: number): string {
  return Number.isFinite(v) ? String(v) : "NA";
}

/** A temporary name beside `path`; renamed over it only when writing succeeded. */
function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/**
 * Writes a frame as CSV (or TSV with `delimiter: "\t"`) atomically: to a temporary file first,
 * renamed into place when complete, so a failed or interrupted write leaves nothing behind.
 */
export async function writeFrame(path: string, data: Frame, delimiter = ","): Promise<void> {
  const tmp = tempPath(path);
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp);
      const csv = format<string[], string[]>({ delimiter, includeEndRowDelimiter: true });
      csv.pipe(out).on("finish", resolve).on("error", reject);
      csv.on("error", reject);
      csv.write([...data.names]);
      for (let i = 0; i < data.n; i++) csv.write(data.columns.map((c) => numberText(c[i] as number)));
      csv.end();
    });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes a text file atomically (temporary file, then rename). */
export function writeText(path: string, text: string): void {
  const tmp = tempPath(path);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes a JSON file atomically. */
export function writeJson(path: string, value: unknown): void {
  writeText(path, `${JSON.stringify(value, null, 2)}\n`);
}
