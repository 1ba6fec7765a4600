import { writeToString } from "fast-csv";
import { describe, expect, it } from "vitest";
import { CsvRowFormatter, parseCsvText } from "../../src/io/csv-text.js";

const batches: string[][][] = [
  [
    ["a", "b,c", 'say "hi"'],
    ["1", "two\nlines", ""],
  ],
  [[" lead", "trail ", "x\r\ny"]],
  [],
  [
    ["plain", "0.1", "NA"],
    ["#", "'", ";"],
  ],
];

describe("CsvRowFormatter", () => {
  it("gives, call after call, the text fast-csv's writeToString gives for each batch", async () => {
    const f = new CsvRowFormatter();
    for (const rows of batches) {
      const expected = rows.length === 0 ? "" : await writeToString(rows, { includeEndRowDelimiter: true });
      expect(f.text(rows)).toBe(expected);
    }
  });

  it("round-trips through the parser", async () => {
    const f = new CsvRowFormatter();
    const text = batches.map((rows) => f.text(rows)).join("");
    expect(await parseCsvText(text)).toEqual(batches.flat());
  });
});
