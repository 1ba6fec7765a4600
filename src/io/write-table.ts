import { once } from "node:events";
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { byteRowText, type Frame } from "../data/frame.js";
import { errors, MrsweepError } from "../errors.js";
import { CsvRowFormatter } from "./csv-text.js";
import { isGzipped, isTabSeparatedName } from "./file-names.js";

/** Text of a number as written to files: shortest round-trip form, `NA` for missing. */
export function numberText(v: number): string {
  return Number.isFinite(v) ? String(v) : "NA";
}

/** The delimiter a file's name asks for: tab for .tsv and .tab (also before .gz), otherwise comma. */
export function delimiterOf(path: string): "," | "\t" {
  return isTabSeparatedName(path) ? "\t" : ",";
}

/** A temporary name beside `path`; renamed over it only when writing succeeded. */
function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/** Rows per chunk of CSV text: large enough to amortise a write, small enough to stay in cache. */
const CHUNK_ROWS = 1024;

/**
 * The CSV text of a frame (header, then rows, each ending in a newline), in chunks. Byte matrices
 * (sequences) follow the numeric columns, each as one text column ("ACGT...").
 */
function* frameText(data: Frame, delimiter: string): Generator<string> {
  const formatter = new CsvRowFormatter(delimiter);
  const bytes = data.bytes ?? [];
  yield formatter.text([[...data.names, ...bytes.map((m) => m.name)]]);
  const rows: string[][] = [];
  for (let i = 0; i < data.n; i++) {
    const row = data.columns.map((c) => numberText(c[i] as number));
    for (const m of bytes) row.push(byteRowText(m, i));
    rows.push(row);
    if (rows.length === CHUNK_ROWS || i === data.n - 1) {
      yield formatter.text(rows);
      rows.length = 0;
    }
  }
}

/**
 * What a failed write throws, after removing the temporary file: with `where`, a file-system
 * error becomes `errors.fileSystem(where, path, e)` (one line, exit code 1); without, it is
 * rethrown naming `path` rather than the temporary file (a failed write call names no path at all).
 */
function writeFailure(e: unknown, tmp: string, path: string, where: string | undefined): unknown {
  rmSync(tmp, { force: true });
  const x = e as NodeJS.ErrnoException;
  if (e instanceof MrsweepError || typeof x?.code !== "string") return e;
  if (where !== undefined) return errors.fileSystem(where, path, e);
  x.path = path;
  x.syscall ??= "write";
  return x;
}

/**
 * Writes a frame as CSV (TSV for .tsv/.tab names; gzip-compressed for .gz names) atomically: to a temporary file first, renamed
 * into place when complete, so a failed or interrupted write leaves nothing behind. Missing parent
 * folders are created. `where` (a command name) turns file-system failures into one-line messages.
 */
export async function writeFrame(path: string, data: Frame, where?: string): Promise<void> {
  const tmp = tempPath(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const text = Readable.from(frameText(data, delimiterOf(path)));
    await (isGzipped(path)
      ? pipeline(text, createGzip(), createWriteStream(tmp))
      : pipeline(text, createWriteStream(tmp)));
    renameSync(tmp, path);
  } catch (e) {
    throw writeFailure(e, tmp, path, where);
  }
}

/** Writes a frame as CSV to a stream (standard output), waiting whenever the stream is full. */
export async function writeFrameTo(out: NodeJS.WritableStream, data: Frame, delimiter = ","): Promise<void> {
  for (const chunk of frameText(data, delimiter)) if (!out.write(chunk)) await once(out, "drain");
}

/** Writes a text file atomically (temporary file, then rename), as `writeFrame` does. */
export function writeText(path: string, text: string, where?: string): void {
  const tmp = tempPath(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    throw writeFailure(e, tmp, path, where);
  }
}

/** Writes a JSON file atomically, ending in a newline. */
export function writeJson(path: string, value: unknown, where?: string): void {
  writeText(path, `${JSON.stringify(value, null, 2)}\n`, where);
}
