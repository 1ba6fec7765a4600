import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import seedrandom from "seedrandom";
import { describe, expect, it, vi } from "vitest";
import { getCore } from "../../src/core/load.js";
import { ByteRows } from "../../src/io/byte-rows.js";
import { ColumnSink, type RowLimit } from "../../src/io/column-sink.js";
import { cellValue } from "../../src/io/columns.js";
import { openNumericTable } from "../../src/io/numeric-reader.js";
import { RowShapeCheck } from "../../src/io/row-check.js";
import { decimalText } from "../helpers/line-corpus.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-kernel-"));
let files = 0;

function put(name: string, text: string | Buffer): string {
  const path = join(dir, `${files++}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** ByteRows over a two-column CSV whose header is read, into a sink in the shared core. */
function twoColumnRows() {
  const sink = new ColumnSink(["a", "b"], undefined, undefined, 0, undefined, getCore());
  const check = new RowShapeCheck("f");
  check.header(["a", "b"]);
  return { sink, check, rows: new ByteRows(0x2c, [0, 1], sink, check) };
}

/** The frame (as plain data: toEqual then tells -0 from 0) or the message, read with or without the core. */
async function outcome(file: string, wanted: readonly string[], inCore: boolean, limit?: RowLimit) {
  try {
    const t = await openNumericTable(file, "fit");
    const f = await t.read(wanted, { limit, core: inCore ? getCore() : undefined });
    return { names: f.names, n: f.n, integer: f.integer, columns: f.columns.map((c) => [...c]) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Cells TypeScript takes and the kernel leaves to it: NBSP, 20+ digits, subnormals, underflow to 0. */
const TS_ONLY = ["\u00a05", "12345678901234567890123", "5e-324", "1e-400", "0.1000000000000000055511151231257827"];

/** A file of `rows` lines, `width` columns of numbers of every shape, some lines only TypeScript takes. */
function randomFile(rng: () => number, rows: number, width: number, tab: boolean): string {
  const d = tab ? "\t" : ",";
  const end = ["\n", "\r\n", "\r"][Math.floor(rng() * 3)] as string;
  const lines = [Array.from({ length: width }, (_, j) => `c${j}`).join(d)];
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: width }, () => {
      if (rng() < 0.002) return TS_ONLY[Math.floor(rng() * TS_ONLY.length)] as string;
      const text = decimalText(rng);
      return Number.isNaN(cellValue(text)) ? "7" : rng() < 0.05 ? ` ${text} ` : text;
    });
    lines.push(cells.join(d));
  }
  return `${lines.join(end)}${end}`;
}

describe("ByteRows with the core's line kernel: the rows, values and messages of the TypeScript path", () => {
  it("on 24 random files of 1,000-15,000 lines: every shape of number, TypeScript-only cells, CR/CRLF, TSV, gzip", async () => {
    const rng = seedrandom("byte-rows kernel");
    for (let k = 0; k < 24; k++) {
      const width = 1 + Math.floor(rng() * 8);
      const tab = k % 3 === 2;
      const text = randomFile(rng, 1000 + Math.floor(rng() * 14_000), width, tab);
      const name = tab ? "r.tsv" : "r.csv";
      const file = k % 4 === 0 ? put(`${name}.gz`, gzipSync(text)) : put(name, text);
      const names = Array.from({ length: width }, (_, j) => `c${j}`);
      const wanted = names.filter(() => rng() < 0.7).reverse();
      if (wanted.length === 0) wanted.push("c0");
      const got = await outcome(file, wanted, true);
      expect(got).toEqual(await outcome(file, wanted, false));
      expect(got).toHaveProperty("n");
    }
  });

  const body = Array.from({ length: 30_000 }, (_, i) => `${i},${i / 8},x${i}`);
  const cases: Array<[string, string[]]> = [
    ["a bad cell deep in the file", body.map((l, i) => (i === 20_000 || i === 25_000 ? `${i},NA,x` : l))],
    ["an empty line and then data", body.map((l, i) => (i === 20_000 ? "" : l))],
    ["an empty line of blanks", body.map((l, i) => (i === 20_000 ? " \t " : l))],
    ["a ragged row", body.map((l, i) => (i === 20_000 ? "1,2" : l))],
    ["a quoted field from the middle on", body.map((l, i) => (i === 20_000 ? `"${i}",1,x` : l))],
    ["trailing empty lines", [...body, "", ""]],
  ];
  it.each(cases)("%s: the same frame or message", async (_, lines) => {
    const file = put("c.csv", `a,b,c\n${lines.join("\n")}\n`);
    expect(await outcome(file, ["b", "a"], true)).toEqual(await outcome(file, ["b", "a"], false));
  });

  it("grows the columns when the first estimate is short, and refuses past the row limit at the same row", async () => {
    // Long lines first: the estimate from them is far too small for the short lines after.
    const long = Array.from({ length: 2000 }, (_, i) => `${i},${"9".repeat(200)}`);
    const short = Array.from({ length: 60_000 }, (_, i) => `${i},1`);
    const file = put("grow.csv", `a,b\n${[...long, ...short].join("\n")}\n`);
    const all = await outcome(file, ["a", "b"], true);
    expect(all).toEqual(await outcome(file, ["a", "b"], false));
    expect(all).toHaveProperty("n", 62_000);
    const limit = { rows: 50_000, refuse: (at: number) => new Error(`refused at row ${at}`) };
    expect(await outcome(file, ["a"], true, limit)).toEqual({ error: "refused at row 50001" });
    expect(await outcome(file, ["a"], false, limit)).toEqual({ error: "refused at row 50001" });
  });

  it("backs off from the kernel while it takes nothing, and takes runs of plain lines again after", () => {
    const core = getCore();
    const read = vi.spyOn(core.wasm, "read_lines");
    try {
      const { sink, rows } = twoColumnRows();
      // 5,000 lines only TypeScript takes (NBSP), then 5,000 plain lines.
      const text = Array.from({ length: 10_000 }, (_, i) => (i < 5000 ? `${i},\u00a0${i}\n` : `${i},${i}\n`)).join("");
      const b = Buffer.from(text);
      expect(rows.rows(b, 0, b.length)).toBe(b.length);
      expect(sink.n).toBe(10_000);
      expect(sink.columns[1]?.slice(0, 10_000)).toEqual(Float64Array.from({ length: 10_000 }, (_, i) => i));
      // Without the back-off, one call per line of the first half.
      expect(read.mock.calls.length).toBeLessThan(100);
      expect(read.mock.results.some((r) => r.value === 0)).toBe(true);
    } finally {
      read.mockRestore();
    }
  });

  it("hands plain lines to read_lines in few calls (a kernel never called would pass the tests above)", () => {
    const core = getCore();
    const read = vi.spyOn(core.wasm, "read_lines");
    try {
      const { sink, check, rows } = twoColumnRows();
      const b = Buffer.from(Array.from({ length: 10_000 }, (_, i) => `${i},${i === 0 ? "-0" : -i / 4}\n`).join(""));
      expect(rows.rows(b, 0, b.length)).toBe(b.length);
      expect(sink.n).toBe(10_000);
      expect(check.seen).toBe(10_001);
      // No sample sizes the columns: the kernel stops at 4,096 rows, a TypeScript line grows them, and so on.
      expect(read.mock.calls.length).toBeLessThan(5);
      expect(Object.is(sink.columns[1]?.[0], -0)).toBe(true);
      expect(sink.columns[1]?.[9999]).toBe(-9999 / 4);
    } finally {
      read.mockRestore();
    }
  });
});
