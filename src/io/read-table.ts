import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { pipeline } from "node:stream";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import { parse } from "fast-csv";
import { described, errors, type MrsweepError } from "../errors.js";
import { isGzipped, isTabSeparatedName } from "./file-names.js";

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
function readError(file: string, where: string, e: unknown): MrsweepError {
  const x = e as NodeJS.ErrnoException;
  if (x.syscall !== undefined) return errors.noFile(where, file, x.code ?? x.message);
  if (x.code?.startsWith("Z_"))
    return errors.invalid(file, "its contents", "gzip-compressed (the name ends in .gz)", x.message);
  return errors.invalid(file, "its text", "valid CSV", x.message);
}

/**
 * Collects parsed rows, checking each as it comes: the header names each column once, every data
 * row has as many fields as the header, and no row is empty, except empty lines at the very end:
 * skipping an empty row would silently drop data and shift the row numbers of messages.
 */
class RowCollector {
  names: string[] | null = null;
  readonly rows: string[][] = [];
  /** Rows seen, the header included: row numbers count the header as row 1, as a spreadsheet does. */
  private seen = 0;
  /** The first empty line not yet followed by data (0: none). */
  private emptyLine = 0;

  constructor(private readonly file: string) {}

  /** Takes the next parsed row; returns the error that stops the reading, or null. */
  take(row: string[]): MrsweepError | null {
    this.seen++;
    const empty = row.every((c) => c === "");
    if (this.names === null) {
      if (empty) return errors.invalid(this.file, "row 1", "a header of column names", this.emptiness(row));
      this.names = row;
      return duplicateName(this.file, row);
    }
    if (empty && row.length === 0) {
      if (this.emptyLine === 0) this.emptyLine = this.seen;
      return null;
    }
    if (empty || this.emptyLine > 0) {
      const [at, what] = empty ? [this.seen, this.emptiness(row)] : [this.emptyLine, this.emptiness([])];
      return errors.invalid(this.file, `row ${at}`, "a row of data (empty rows are not skipped)", what);
    }
    if (row.length !== this.names.length)
      return errors.invalid(
        this.file,
        `row ${this.seen}`,
        `${this.names.length} fields like the header`,
        described(`${row.length} fields`),
      );
    this.rows.push(row);
    return null;
  }

  private emptiness(row: readonly string[]) {
    return described(row.length === 0 ? "an empty line" : `${row.length} empty fields`);
  }
}

/** The error for the first column name the header repeats (empty names aside), or null. */
function duplicateName(file: string, names: readonly string[]): MrsweepError | null {
  const seen = new Map<string, number>();
  for (let j = 0; j < names.length; j++) {
    const name = names[j] as string;
    const first = seen.get(name);
    if (first !== undefined)
      return errors.invalid(
        file,
        `column ${JSON.stringify(name)}`,
        "named once in the header",
        described(`it at columns ${first + 1} and ${j + 1}`),
      );
    if (name !== "") seen.set(name, j);
  }
  return null;
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
  try {
    if (!statSync(file).isFile()) throw new Error("not a regular file");
  } catch (e) {
    throw errors.noFile(where, file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
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
