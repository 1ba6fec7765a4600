import { type CsvFormatterStream, format, parseString } from "fast-csv";

/** Parses CSV text into rows of fields (header included) with fast-csv. */
export function parseCsvText(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString(text, { headers: false })
      .on("data", (r: string[]) => rows.push(r))
      .on("error", reject)
      .on("end", () => resolve(rows));
  });
}

/**
 * Formats rows as CSV text synchronously, through one long-lived fast-csv stream: a stream per
 * call (writeToString) costs far more than the rows themselves when called once per sweep task.
 * fast-csv emits each row as it is written, with the row delimiter before every row but the first.
 */
export class CsvRowFormatter {
  private readonly stream: CsvFormatterStream<string[], string[]> = format<string[], string[]>();
  private pieces: string[] = [];
  private first = true;

  constructor() {
    this.stream.setEncoding("utf8");
    this.stream.on("data", (piece: string) => this.pieces.push(piece));
  }

  /** The CSV text of `rows`, each ending in a newline. */
  text(rows: readonly (readonly string[])[]): string {
    if (rows.length === 0) return "";
    for (const r of rows) this.stream.write(r as string[]);
    let out = this.pieces.join("");
    this.pieces = [];
    if (out === "") throw new Error("CsvRowFormatter: fast-csv did not format the rows synchronously");
    if (!this.first) out = out.slice(1);
    this.first = false;
    return `${out}\n`;
  }
}
