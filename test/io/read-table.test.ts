import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-read-"));

/** Writes `text` to `name` in the test folder and returns its path. */
function put(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("readTable", () => {
  it("reads with or without a final newline, CRLF or LF, and ignores empty lines at the very end", async () => {
    for (const text of ["a,b\n1,2\n3,4\n", "a,b\n1,2\n3,4", "a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n3,4\n\n\n  \n"]) {
      const t = await readTable(put("ok.csv", text));
      expect(t.names).toEqual(["a", "b"]);
      expect(t.rows).toEqual([
        ["1", "2"],
        ["3", "4"],
      ]);
    }
  });

  const refused: Array<[string, string, RegExp]> = [
    ["an empty file", "", /the file must be a header row followed by data rows; got an empty file$/],
    ["a header only", "a,b\n", /the file must be a header row followed by data rows; got a header row only$/],
    ["a header then empty lines", "a,b\n\n\n", /got a header row only$/],
    ["an empty first line", "\na,b\n1,2\n", /: row 1 must be a header of column names; got an empty line$/],
    [
      "an empty line mid-file",
      "a,b\n1,2\n\n3,4\n",
      /: row 3 must be a row of data \(empty rows are not skipped\); got an empty line$/,
    ],
    ["empty fields at the end", "a,b\n1,2\n,\n", /: row 3 must be a row of data .*; got 2 empty fields$/],
    ["a repeated name", "a,b,a\n1,2,3\n", /: column "a" must be named once in the header; got it at columns 1 and 3$/],
  ];
  for (const [what, text, re] of refused) {
    it(`refuses ${what}`, async () => {
      await expect(readTable(put("bad.csv", text))).rejects.toThrow(re);
    });
  }

  it("keeps empty column names apart from the duplicate check (trailing delimiters)", async () => {
    const t = await readTable(put("trailing.csv", "a,b,,\n1,2,,\n"));
    expect(t.names).toEqual(["a", "b", "", ""]);
  });
});
