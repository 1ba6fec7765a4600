import { once } from "node:events";
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from "node:fs";
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "fast-csv";
import type { Core } from "../core/memory.js";
import type { Frame } from "../data/frame.js";
import { described, errors, MrsweepError } from "../errors.js";
import { booleansAsNumbers } from "./booleans.js";
import { ByteRows } from "./byte-rows.js";
import { ColumnSink, type RowLimit } from "./column-sink.js";
import { numericFrame } from "./columns.js";
import { completeCases, type Dropped } from "./complete-cases.js";
import { isGzipped } from "./file-names.js";
import { checkFile, readError, readTable, sniffDelimiter } from "./read-table.js";
import { RowShapeCheck } from "./row-check.js";

/** How `NumericTable.read` reads. */
export interface ReadOptions {
  /** Past `limit.rows` data rows reading stops with `limit.refuse` (a dataset too large for the core). */
  limit?: RowLimit;
  /**
   * Read the columns into one block of this core's arena, in the wanted order (see CoreColumns),
   * where a fit finds them without copying.
   */
  core?: Core;
  /**
   * Columns of `wanted` stored first, in this order (a fit's instruments, end to end as it places
   * them); the frame's columns follow the storage order, messages the order of `wanted`.
   */
  first?: readonly string[];
  /**
   * Columns of `wanted` whose cells may also be booleans as R and others write them (TRUE/FALSE,
   * T/F, true/false, yes/no: see booleans.ts), read as 1 and 0 (the split role).
   */
  booleans?: readonly string[];
  /**
   * Drop rows with an empty, NA or non-numeric cell in a wanted column (R's complete.cases) instead
   * of refusing them; the result says what went (`completeCases` of complete-cases.ts, streamed).
   */
  completeCases?: boolean;
}

/** The wanted columns, the text columns, and with `completeCases` what was dropped. */
export interface ReadResult {
  frame: Frame;
  text: string[][];
  complete?: { dropped: Dropped; rowOf: (i: number) => number };
}

/** A table whose header has been read: its names, and a way to read the wanted columns as numbers. */
export interface NumericTable {
  readonly file: string;
  readonly names: readonly string[];
  /**
   * Reads the rest of the file into the named columns (in that order), with the checks and
   * messages of `readTable` + `numericFrame`. Call at most once. A file with a quoted header is
   * read whole first, by readTable (a too-large one is refused after that).
   */
  read(wanted: readonly string[], opts?: ReadOptions): Promise<Frame>;
  /** `read`, also keeping the `text` columns (e.g. IDs) as trimmed strings, one array per name. */
  readWithText(wanted: readonly string[], text: readonly string[], opts?: ReadOptions): Promise<ReadResult>;
  /** Stops reading without reading the data (after an error in the caller's checks). */
  close(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const EMPTY: Buffer = Buffer.alloc(0);

/** The byte stream of a file, decompressed for `.gz` names; errors surface when it is iterated. */
function byteStream(file: string): Readable {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  if (!isGzipped(file)) return source;
  return pipeline(source, createGunzip({ chunkSize: 1 << 18 }), () => {});
}

/**
 * Opens a CSV or TSV file (`.gz` decompressed as it streams) for numeric reading: the header is
 * read now, the data by `read`. Numbers are parsed from the bytes straight into Float64Arrays
 * (see ByteRows, decimal.ts); the rows are those readTable would return and the values those
 * numericFrame would give, with the same messages. Read into a core (`ReadOptions.core`), the
 * columns are filled in its memory, by its line kernel where lines are plain (see ByteRows). Files
 * whose header has a double quote are read by readTable itself; from the first data line with one
 * on, fast-csv parses the rest.
 */
export async function openNumericTable(file: string, where = "fit"): Promise<NumericTable> {
  checkFile(file, where);
  const delimiter = sniffDelimiter(file, where);
  const stream = byteStream(file);
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const pull = async (): Promise<Buffer | null> => {
    try {
      const r = await chunks.next();
      return r.done ? null : r.value;
    } catch (e) {
      throw e instanceof MrsweepError ? e : readError(file, where, e);
    }
  };
  let head: Buffer = EMPTY;
  let end = -1;
  for (;;) {
    end = rowEnd(head);
    // A \r at the end of what has come may be the first half of \r\n: look at one more chunk.
    const chunk = end >= 0 && end < head.length - 1 ? null : end >= 0 && head[end] !== CR ? null : await pull();
    if (chunk === null) break;
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
  }
  const headerBytes = head.subarray(0, end < 0 ? head.length : end);
  if (headerBytes.includes(QUOTE)) {
    stream.destroy();
    const raw = await readTable(file, where);
    const readWithText = async (wanted: readonly string[], text: readonly string[], opts: ReadOptions = {}) => {
      const logical = (opts.booleans ?? []).reduce(booleansAsNumbers, raw);
      const kept = opts.completeCases ? completeCases(logical, wanted) : undefined;
      const table = kept?.table ?? logical;
      const rowNumbers = kept?.rowNumbers ?? [];
      return {
        frame: numericFrame(table, wanted),
        text: text.map((name) => table.rows.map((r) => r[table.names.indexOf(name)] as string)),
        ...(kept ? { complete: { dropped: kept.dropped, rowOf: (i: number) => rowNumbers[i] as number } } : {}),
      };
    };
    return {
      file,
      names: raw.names,
      readWithText,
      read: async (wanted, opts) => (await readWithText(wanted, [], opts)).frame,
      close() {},
    };
  }
  const names = splitLine(headerBytes.toString("utf8"), delimiter);
  if (end < 0 && names.length === 0) throw emptyFile(file, "an empty file");
  const check = new RowShapeCheck(file);
  const error = check.header(names);
  if (error) {
    stream.destroy();
    throw error;
  }
  const rest = end < 0 ? EMPTY : head.subarray(end + (head[end] === CR && head[end + 1] === LF ? 2 : 1));
  const totalBytes = isGzipped(file) ? gunzippedSize(file) : statSync(file).size;
  return {
    file,
    names,
    close: () => stream.destroy(),
    read: async (wanted, opts) => (await readWithText(wanted, [], opts)).frame,
    readWithText,
  };
  async function readWithText(wanted: readonly string[], text: readonly string[], opts: ReadOptions = {}) {
    const stored = [...new Set([...(opts.first ?? []).filter((name) => wanted.includes(name)), ...wanted])];
    const sink = new ColumnSink(stored, totalBytes, rest, text.length, opts.limit, opts.core);
    sink.dropIncomplete = opts.completeCases === true;
    const slots = names.map((name) => stored.indexOf(name));
    const textSlots = names.map((name) => text.indexOf(name));
    const booleanSlots = (opts.booleans ?? []).map((name) => stored.indexOf(name));
    const rows = new ByteRows(delimiter.charCodeAt(0), slots, sink, check, textSlots, booleanSlots);
    try {
      await readRows(rest, pull, rows, { file, where, delimiter, columns: stored.map((w) => names.indexOf(w)) });
    } finally {
      stream.destroy();
    }
    const complete = opts.completeCases ? sink.dropped(wanted) : undefined;
    if (sink.n === 0 && !complete?.dropped.rows) throw emptyFile(file, "a header row only");
    return { frame: sink.finish(file, wanted), text: sink.texts, ...(complete ? { complete } : {}) };
  }
}

/**
 * The uncompressed size a gzip file states in its last 4 bytes (ISIZE: the size mod 2^32 of its
 * last member), for sizing the columns; undefined when it cannot be right (below the compressed
 * size: a file over 4 GiB), and then the columns grow by doubling.
 */
function gunzippedSize(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(4);
    if (size < 18 || readSync(fd, tail, 0, 4, size - 4) !== 4) return undefined;
    const stated = tail.readUInt32LE(0);
    return stated >= size ? stated : undefined;
  } catch {
    return undefined; // the stream reports the error with its own message
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The index of the first row delimiter (\n or \r) in `b`, or -1. */
function rowEnd(b: Buffer): number {
  const lf = b.indexOf(LF);
  const cr = b.indexOf(CR);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

/** A line's fields as fast-csv gives them (trimmed); a line of only whitespace is no fields at all. */
function splitLine(text: string, delimiter: string): string[] {
  const fields = text.split(delimiter).map((f) => f.trim());
  return fields.length === 1 && fields[0] === "" ? [] : fields;
}

function emptyFile(file: string, what: string) {
  return errors.invalid(file, "the file", "a header row followed by data rows", described(what));
}

/** Where the data come from, for fast-csv's part and its messages. */
interface Source {
  file: string;
  where: string;
  delimiter: string;
  /** The field index of each wanted column. */
  columns: readonly number[];
}

/**
 * Feeds the data bytes to ByteRows line by line: each buffer is parsed up to its last row
 * delimiter and the unfinished line carried into the next (joined with the next buffer's first
 * line only, so that the bulk of every buffer is parsed where it lies). A line with a double quote
 * hands the rest of the stream to fast-csv.
 */
async function readRows(first: Buffer, pull: () => Promise<Buffer | null>, rows: ByteRows, src: Source) {
  let carry: Buffer = EMPTY;
  for (let chunk: Buffer | null = first; chunk !== null; chunk = await pull()) {
    let b = chunk;
    if (carry.length > 0) {
      const lf = chunk.indexOf(LF);
      b = Buffer.concat([carry, lf < 0 ? chunk : chunk.subarray(0, lf + 1)]);
      if (lf >= 0) {
        const quote = parseComplete(b, rows);
        if (quote >= 0) return fastCsvRest(Buffer.concat([b.subarray(quote), chunk.subarray(lf + 1)]), pull, rows, src);
        b = chunk.subarray(lf + 1);
      }
    }
    const quote = parseComplete(b, rows);
    if (quote >= 0) return fastCsvRest(b.subarray(quote), pull, rows, src);
    carry = b.subarray(lastRowEnd(b) + 1);
  }
  // The last line has no row delimiter: fast-csv gives no row for one of only whitespace.
  const text = carry.toString("utf8");
  if (text.includes('"')) return fastCsvRest(carry, pull, rows, src);
  if (text.trim() !== "" || text.includes(src.delimiter)) rows.rows(carry, 0, carry.length);
}

/** The index of the last row delimiter of `b` that surely ends a row (a final \r may be half of \r\n), or -1. */
function lastRowEnd(b: Buffer): number {
  const lf = b.lastIndexOf(LF);
  return lf >= 0 || b.length < 2 ? lf : b.lastIndexOf(CR, b.length - 2);
}

/**
 * Parses the complete lines of `b`; returns -1, or the start of the line with a double quote
 * where parsing stopped.
 */
function parseComplete(b: Buffer, rows: ByteRows): number {
  const cut = lastRowEnd(b);
  const stop = rows.rows(b, 0, cut + 1);
  rows.consumed += stop;
  return stop <= cut ? stop : -1;
}

/** Parses `first` and the rest of the stream with fast-csv, as readTable would, into the same rows. */
async function fastCsvRest(first: Buffer, pull: () => Promise<Buffer | null>, rows: ByteRows, src: Source) {
  const parser = parse({ delimiter: src.delimiter, ignoreEmpty: false, trim: true });
  let stop: unknown = null;
  parser.on("data", (row: string[]) => {
    if (stop !== null) return;
    try {
      rows.strings(row, src.columns);
    } catch (e) {
      stop = e;
    }
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("error", (e) => reject(readError(src.file, src.where, e)));
  });
  ended.catch(() => {});
  parser.write(first);
  for (let chunk = await pull(); chunk !== null && stop === null; chunk = await pull()) {
    if (!parser.write(chunk)) await Promise.race([once(parser, "drain"), ended]);
  }
  parser.end();
  await ended;
  if (stop !== null) throw stop;
}
