import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { frame } from "../../src/data/frame.js";
import { readTable } from "../../src/io/read-table.js";
import { writeFrame } from "../../src/io/write-table.js";

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

describe("gzip-compressed files", () => {
  it("writeFrame to .csv.gz and .tsv.gz: gzip bytes that gunzip to the plain file's, read back by readTable", async () => {
    const data = frame([
      ["a", Float64Array.from([1, 2, 3]), true],
      ["b", Float64Array.from([0.5, -1e-7, 2.25])],
    ]);
    for (const ext of ["csv", "tsv"]) {
      const plain = join(dir, `w.${ext}`);
      await writeFrame(plain, data);
      await writeFrame(`${plain}.gz`, data);
      const bytes = readFileSync(`${plain}.gz`);
      expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      expect(gunzipSync(bytes).toString("utf8")).toBe(readFileSync(plain, "utf8"));
      expect(readFileSync(plain, "utf8").split("\n")[0]).toBe(ext === "csv" ? "a,b" : "a\tb");
      expect(await readTable(`${plain}.gz`)).toEqual({ ...(await readTable(plain)), file: `${plain}.gz` });
    }
  });

  it("sniffs tabs inside a compressed .csv.gz too", async () => {
    const t = await readTable(put("tabs.csv.gz", gzipSync("a\tb\n1\t2\n")));
    expect(t.names).toEqual(["a", "b"]);
  });

  it("refuses a .gz file that is not gzip, or is cut short, as input errors", async () => {
    await expect(readTable(put("plain.csv.gz", "a,b\n1,2\n"))).rejects.toThrow(
      /plain\.csv\.gz: its contents must be gzip-compressed \(the name ends in \.gz\); got "incorrect header check"$/,
    );
    const whole = gzipSync(`a,b\n${"1,2\n".repeat(1000)}`);
    await expect(readTable(put("cut.csv.gz", whole.subarray(0, whole.length - 12)))).rejects.toThrow(
      /cut\.csv\.gz: its contents must be gzip-compressed .*; got "unexpected end of file"$/,
    );
  });
});
