import { described, errors, type MrsweepError } from "../errors.js";

/**
 * The shape rules every row of a table meets, checked as rows come by both readers (fast-csv's
 * rows of strings and the numeric byte reader): the header names each column once, every data row
 * has as many fields as the header, and no row is empty, except empty lines at the very end:
 * skipping an empty row would silently drop data and shift the row numbers of messages.
 */
export class RowShapeCheck {
  /** The header's field count (-1: no header yet). */
  width = -1;
  /** Rows seen, the header included: row numbers count the header as row 1, as a spreadsheet does. */
  seen = 0;
  /** The first empty line not yet followed by data (0: none). */
  private emptyLine = 0;

  constructor(private readonly file: string) {}

  /**
   * Takes the header's names; returns the error that stops the reading, or null. `names` is the
   * row as parsed: [] for an empty line.
   */
  header(names: readonly string[]): MrsweepError | null {
    this.seen++;
    if (names.every((c) => c === ""))
      return errors.invalid(this.file, "row 1", "a header of column names", emptiness(names.length));
    this.width = names.length;
    return duplicateName(this.file, names);
  }

  /** Whether an empty line is held back: any row of data after it is an error, so only `row` may take rows. */
  get holdsEmptyLine(): boolean {
    return this.emptyLine > 0;
  }

  /** Counts `count` rows of data already known to have the header's width (while no empty line is held). */
  dataRows(count: number): void {
    this.seen += count;
  }

  /**
   * Takes the shape of the next data row: its field count (0 for an empty line) and whether every
   * field is empty after trimming. Returns the error that stops the reading, or null (a row of
   * data, or an empty line held back until data follows it).
   */
  row(fields: number, empty: boolean): MrsweepError | null {
    this.seen++;
    if (empty && fields === 0) {
      if (this.emptyLine === 0) this.emptyLine = this.seen;
      return null;
    }
    if (empty || this.emptyLine > 0) {
      const [at, what] = empty ? [this.seen, emptiness(fields)] : [this.emptyLine, emptiness(0)];
      return errors.invalid(this.file, `row ${at}`, "a row of data (empty rows are not skipped)", what);
    }
    if (fields !== this.width)
      return errors.invalid(
        this.file,
        `row ${this.seen}`,
        `${this.width} fields like the header`,
        described(`${fields} fields`),
      );
    return null;
  }
}

function emptiness(fields: number) {
  return described(fields === 0 ? "an empty line" : `${fields} empty fields`);
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
