import { parseString } from "fast-csv";

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
