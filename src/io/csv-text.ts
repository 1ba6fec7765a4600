import { FieldFormatter } from "@fast-csv/format/build/src/formatter/FieldFormatter.js";
import { FormatterOptions, parseString } from "fast-csv";

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
 * Formats rows as CSV text synchronously with fast-csv's own field formatter (the quoting and
 * escaping its format streams apply, with their default options), but without a stream: a Node
 * stream write per row cost more than the row itself on a sweep worker's per-task path.
 */
export class CsvRowFormatter {
  private readonly options: FormatterOptions<string[], string[]>;
  private readonly fields: FieldFormatter<string[], string[]>;

  /** `delimiter`: "," (default) or "\t" for TSV; fields holding it are quoted. */
  constructor(delimiter = ",") {
    this.options = new FormatterOptions<string[], string[]>({ delimiter });
    this.fields = new FieldFormatter(this.options);
  }

  /** The CSV text of `rows`, each ending in a newline. */
  text(rows: readonly (readonly string[])[]): string {
    const { delimiter, rowDelimiter } = this.options;
    let out = "";
    for (const r of rows) {
      for (let i = 0; i < r.length; i++) {
        if (i > 0) out += delimiter;
        out += this.fields.format(r[i] as string, i, false);
      }
      out += rowDelimiter;
    }
    return out;
  }
}
