import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "fast-csv";
import { described, errors, MrsweepError } from "../errors.js";

/** A delimited text file as read: its header and its data rows as strings. */
export interface RawTable {
  readonly file: string;
  readonly names: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * The delimiter of a file: tab for .tsv/.tab, otherwise tab when the first line has tabs and no
 * commas, otherwise comma.
 */
export function sniffDelimiter(file: string): "," | "\t" {
  const ext = extname(file).toLowerCase();
  if (ext === ".tsv" || ext === ".tab") return "\t";
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const len = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, len).toString("utf8").split(/\r?\n/, 1)[0] ?? "";
    return first.includes("\t") && !first.includes(",") ? "\t" : ",";
  } finally {
    closeSync(fd);
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
 * Reads a CSV or TSV file with a header row. Blank lines are skipped. Row numbers in messages
 * count the header as row 1, so they match a spreadsheet's. Every row must have as many fields
 * as the header.
 */
export async function readTable(file: string, where = "fit"): Promise<RawTable> {
  try {
    if (!statSync(file).isFile()) throw new Error("not a regular file");
  } catch (e) {
    throw errors.noFile(where, file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  const delimiter = sniffDelimiter(file);
  const rows: string[][] = [];
  let names: string[] | null = null;
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file).pipe(parse({ delimiter, ignoreEmpty: true, trim: true }));
    stream.on("data", (row: string[]) => {
      if (names === null) {
        names = row;
        const dup = duplicateName(file, row);
        if (dup) {
          stream.destroy();
          reject(dup);
        }
        return;
      }
      if (row.length !== names.length) {
        stream.destroy();
        reject(
          errors.invalid(
            file,
            `row ${rows.length + 2}`,
            `${names.length} fields like the header`,
            described(`${row.length} fields`),
          ),
        );
        return;
      }
      rows.push(row);
    });
    stream.on("error", (e) =>
      reject(e instanceof MrsweepError ? e : errors.invalid(file, "its text", "valid CSV", e.message)),
    );
    stream.on("end", () => resolve());
  });
  if (names === null) throw errors.invalid(file, "the file", "a header row followed by data rows", "an empty file");
  return { file, names, rows };
}
