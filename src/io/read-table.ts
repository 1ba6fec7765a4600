import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { pipeline } from "node:stream";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import { parse } from "fast-csv";
import { described, errors, type MrsweepError } from "../errors.js";
import { isGzipped, isTabSeparatedName } from "./file-names.js";
import { RowShapeCheck } from "./row-check.js";

/** A delimited text file as read: its header and its data rows as strings. */
export interface RawTable {
  readonly file: string;
  readonly names: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The file's first 64 KiB (compressed) as text, decompressed as far as they go for `.gz` files. */
function headText(file: string, where: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const buf = Buffer.alloc(64 * 1024);
    const bytes = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    // Z_SYNC_FLUSH: decompress a truncated stream as far as it goes instead of failing at its end.
    const text = isGzipped(file) ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }) : bytes;
    return text.toString("utf8");
  } catch (e) {
    throw readError(file, where, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The delimiter of a file: tab for .tsv/.tab (also .tsv.gz), otherwise tab when the first line
 * has tabs and no commas, otherwise comma.
 */
export function sniffDelimiter(file: string, where = "fit"): "," | "\t" {
  if (isTabSeparatedName(file)) return "\t";
  const first = headText(file, where).split(/\r?\n/, 1)[0] ?? "";
  return first.includes("\t") && !first.includes(",") ? "\t" : ",";
}

/** The message for a failure while reading: the file system's, gzip's, or the CSV parser's. */
export function readError(file: string, where: string, e: unknown): MrsweepError {
  const x = e as NodeJS.ErrnoException;
  if (x.syscall !== undefined) return errors.noFile(where, file, x.code ?? x.message);
  if (x.code?.startsWith("Z_"))
    return errors.invalid(file, "its contents", "gzip-compressed (the name ends in .gz)", x.message);
  return errors.invalid(file, "its text", "valid CSV", x.message);
}

/** Collects parsed rows, checking each as it comes (see RowShapeCheck). */
class RowCollector {
  names: string[] | null = null;
  readonly rows: string[][] = [];
  private readonly check: RowShapeCheck;

  constructor(file: string) {
    this.check = new RowShapeCheck(file);
  }

  /** Takes the next parsed row; returns the error that stops the reading, or null. */
  take(row: string[]): MrsweepError | null {
    if (this.names === null) {
      this.names = row;
      return this.check.header(row);
    }
    const error = this.check.row(
      row.length,
      row.every((c) => c === ""),
    );
    if (error === null && row.length > 0) this.rows.push(row);
    return error;
  }
}

/** A regular file, or the input error naming it: checked before reading starts. */
export function checkFile(file: string, where: string): void {
  try {
    if (!statSync(file).isFile()) throw new Error("not a regular file");
  } catch (e) {
    throw errors.noFile(where, file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

/**
 * Reads a CSV or TSV file with a header row and at least one data row; `.gz` files are
 * decompressed as they are read. Cells are trimmed. Row numbers in messages count the header as
 * row 1, so they match a spreadsheet's. Async (the file streams through the parser): await it
 * before `numericFrame`, which refuses the Promise.
 *
 * ```ts
 * const table = await readTable("data.csv");
 * const data = numericFrame(table, ["Y", "X", "G1", "G2"]);
 * ```
 */
export async function readTable(file: string, where = "fit"): Promise<RawTable> {
  checkFile(file, where);
  const delimiter = sniffDelimiter(file, where);
  const collector = new RowCollector(file);
  await new Promise<void>((resolve, reject) => {
    const parser = parse({ delimiter, ignoreEmpty: false, trim: true });
    let stop: MrsweepError | null = null;
    parser.on("data", (row: string[]) => {
      stop ??= collector.take(row);
      if (stop) parser.destroy();
    });
    const source = createReadStream(file);
    const streams = isGzipped(file) ? [source, createGunzip(), parser] : [source, parser];
    pipeline(streams, (e) => {
      if (stop) reject(stop);
      else if (e) reject(readError(file, where, e));
      else resolve();
    });
  });
  const { names, rows } = collector;
  if (names === null)
    throw errors.invalid(file, "the file", "a header row followed by data rows", described("an empty file"));
  if (rows.length === 0)
    throw errors.invalid(file, "the file", "a header row followed by data rows", described("a header row only"));
  return { file, names, rows };
}
