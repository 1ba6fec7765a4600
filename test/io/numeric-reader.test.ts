import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { createCore, getCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import type { Frame } from "../../src/data/frame.js";
import { booleansAsNumbers } from "../../src/io/booleans.js";
import { numericFrame } from "../../src/io/columns.js";
import { completeCases, type Dropped } from "../../src/io/complete-cases.js";
import { openNumericTable } from "../../src/io/numeric-reader.js";
import { readTable } from "../../src/io/read-table.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-numeric-"));
let files = 0;

/** Writes `text` to a new file called `name` (its extension decides TSV and gzip) and returns its path. */
function put(name: string, text: string | Buffer): string {
  const path = join(dir, `${files++}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** The outcome of reading `wanted` from `file`: a frame, or the message of the error. */
type Outcome = { frame: Frame } | { error: string };

/** Today's path: fast-csv rows of strings, then numericFrame. */
async function viaStrings(file: string, wanted?: readonly string[]): Promise<Outcome> {
  try {
    const t = await readTable(file);
    return { frame: numericFrame(t, wanted ?? t.names.filter(Boolean)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The byte reader, into JavaScript arrays or into `core`'s arena (filled by its line kernel where it can). */
async function viaBytes(file: string, wanted?: readonly string[], core?: Core): Promise<Outcome> {
  try {
    const t = await openNumericTable(file);
    return { frame: await t.read(wanted ?? t.names.filter(Boolean), { core }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** A frame as plain data, so that toEqual compares values with Object.is (-0 and 0 differ) and views as arrays. */
function plain(o: Outcome) {
  if ("error" in o) return o;
  return { names: o.frame.names, n: o.frame.n, integer: o.frame.integer, columns: o.frame.columns.map((c) => [...c]) };
}

const CELLS = ["1", "-0.5", " 2 ", "", "NA", "1e5", '"3"', "x", "\u00a04", "0x1F", ".5", "5.", "-0", "7\t", "1e400"];
const ENDS = ["\n", "\n", "\n", "\r\n", "\r"];

/** A small random delimited text with the oddities files have: blanks, quotes, ragged rows, CR, NBSP. */
function randomText(rng: () => number, delimiter: string): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const width = 1 + Math.floor(rng() * 3);
  const names = ["a", "b", "c"].slice(0, width);
  if (rng() < 0.05) names.push("a");
  if (rng() < 0.05) names[0] = '"a"';
  let text = names.join(delimiter) + pick(ENDS);
  const rows = Math.floor(rng() * 6);
  for (let i = 0; i < rows; i++) {
    const r = rng();
    if (r < 0.05) text += pick(["", "  ", "\t"]);
    else {
      const k = r < 0.1 ? width + 1 : width;
      const cells = Array.from({ length: k }, () => (rng() < 0.6 ? String(Math.round(rng() * 100) / 10) : pick(CELLS)));
      text += cells.join(delimiter);
    }
    if (i < rows - 1 || rng() < 0.8) text += pick(ENDS);
  }
  return text;
}

describe.each([
  ["TypeScript lines", undefined],
  ["the core's line kernel", getCore()],
])("openNumericTable (%s): the same frames and messages as readTable + numericFrame", (_, core) => {
  it("on 600 random small files (CSV, TSV, gzip; blanks, quotes, ragged rows, CR line ends)", async () => {
    const rng = seedrandom("numeric-reader");
    let errorsSeen = 0;
    for (let k = 0; k < 600; k++) {
      const tab = k % 3 === 1;
      const text = randomText(rng, tab ? "\t" : ",");
      const name = tab ? "r.tsv" : "r.csv";
      const file = k % 5 === 0 ? put(`${name}.gz`, gzipSync(text)) : put(name, text);
      const want = await viaStrings(file);
      if ("error" in want) errorsSeen++;
      expect(plain(await viaBytes(file, undefined, core)), JSON.stringify(text)).toEqual(plain(want));
    }
    // Both outcomes are exercised: a generator that only made bad (or only good) files would prove little.
    expect(errorsSeen).toBeGreaterThan(100);
    expect(errorsSeen).toBeLessThan(500);
  });

  const cases: Array<[string, string]> = [
    ["an empty file", ""],
    ["only whitespace", "   "],
    ["a header only, no newline", "a,b"],
    ["a header ending in CR", "a,b\r1,2\r"],
    ["a BOM before the header", "\ufeffa,b\n1,2\n"],
    ["a whitespace line at the end without newline", "a,b\n1,2\n  "],
    ["trailing empty lines", "a,b\n1,2\n\n\n"],
    ["a whitespace line mid-file", "a,b\n1,2\n \t \n3,4\n"],
    ["a quoted field late in the file", 'a,b\n1,2\n3,4\n"5",6\n7, 8\n'],
    ["a quoted field spanning lines", 'a,b\n1,2\n"3\n",4\n'],
    ["a quote inside a field", 'a,b\n1,2"\n'],
    ["an unclosed quote", 'a,b\n1,2\n"3,4\n'],
    ["trailing delimiters", "a,b,,\n1,2,,\n"],
    ["subnormal and 17-digit values", "a,b\n5e-324,0.30000000000000004\n-2.2250738585072014e-308,123456789012345678\n"],
  ];
  for (const [what, text] of cases) {
    it(what, async () => {
      const file = put("c.csv", text);
      expect(plain(await viaBytes(file, undefined, core))).toEqual(plain(await viaStrings(file)));
    });
  }

  it("across buffer boundaries: a 3 MB file, CRLF, with a quoted field in its last line", async () => {
    const rng = seedrandom("big");
    const lines = ["x,y,z"];
    for (let i = 0; i < 60_000; i++) lines.push(`${rng() * 1e3},${Math.round(rng() * 2)},${(rng() - 0.5) * 1e-5}`);
    lines.push('"1",2,3');
    const text = `${lines.join("\r\n")}\r\n`;
    for (const file of [put("big.csv", text), put("big.csv.gz", gzipSync(text))]) {
      const got = plain(await viaBytes(file, ["z", "x"], core));
      expect(got).toEqual(plain(await viaStrings(file, ["z", "x"])));
      expect((got as { n: number }).n).toBe(60_001);
    }
  });

  it("refuses a .gz file that is not gzip, or is cut short, with readTable's messages", async () => {
    const whole = gzipSync(`a,b\n${"1,2\n".repeat(1000)}`);
    for (const file of [put("plain.csv.gz", "a,b\n1,2\n"), put("cut.csv.gz", whole.subarray(0, whole.length - 12))]) {
      const want = await viaStrings(file);
      expect(want).toHaveProperty("error", expect.stringMatching(/must be gzip-compressed/));
      expect(await viaBytes(file, undefined, core)).toEqual(want);
    }
  });

  it("reads only the wanted columns, in the order asked", async () => {
    const t = await openNumericTable(put("w.csv", "a,b,c\n1,x,3\n4,y,6.5\n"));
    expect(t.names).toEqual(["a", "b", "c"]);
    const f = await t.read(["c", "a"], { core });
    expect(f.names).toEqual(["c", "a"]);
    expect([...(f.columns[0] as Float64Array)]).toEqual([3, 6.5]);
    expect(f.integer).toEqual([false, true]);
  });

  it("keeps text columns (IDs) as trimmed strings beside the numbers, also where fast-csv takes over", async () => {
    const t = await openNumericTable(put("ids.csv", 'FID,IID,x\nF1, I1 ,1\nF1,I2,2\n"F2",I3,3\n'));
    const { frame, text } = await t.readWithText(["x"], ["IID", "FID"], { core });
    expect([...(frame.columns[0] as Float64Array)]).toEqual([1, 2, 3]);
    expect(text).toEqual([
      ["I1", "I2", "I3"],
      ["F1", "F1", "F2"],
    ]);
  });

  it("into the core: the same frames, the columns end to end in its arena, also when they grow while read", async () => {
    const rng = seedrandom("in-core");
    // Long first rows, then short ones: the capacity estimated from the first bytes is far too low.
    const lines = ["x,y,z"];
    for (let i = 0; i < 20_000; i++) lines.push(`${rng()},${rng()},${rng()}`);
    for (let i = 0; i < 200_000; i++) lines.push(`${i % 3},${i % 7},${i % 5}`);
    const text = `${lines.join("\n")}\n`;
    // Two gzip members, the last tiny: the size it states is useless, so the columns grow by doubling.
    const members = Buffer.concat([gzipSync(text), gzipSync("1,2,3\n")]);
    const files = [put("grow.csv", text), put("grow.csv.gz", members)];
    const core = createCore();
    for (const file of files) {
      const before = core.wasm.mark();
      const got = await viaBytes(file, ["z", "x", "y"], core);
      expect(plain(got)).toEqual(plain(await viaStrings(file, ["z", "x", "y"])));
      const f = (got as { frame: Frame }).frame;
      expect(f.n).toBe(file.endsWith(".gz") ? 220_001 : 220_000);
      const at = (f.columns[0] as Float64Array).byteOffset;
      f.columns.forEach((c, j) => {
        expect(core.holds(c)).toBe(true);
        expect(c.byteOffset).toBe(at + j * f.n * 8);
      });
      // The slack is returned: the arena's top is the end of the last column.
      expect(core.wasm.mark()).toBe(at + 3 * f.n * 8 + ((3 * f.n * 8) % 16));
      expect(at).toBeGreaterThanOrEqual(before);
    }
  });

  it("--complete-cases streamed: the rows, drops and file row numbers of completeCases on the text, on 600 random files", async () => {
    const rng = seedrandom("complete-cases");
    const core = createCore();
    let dropping = 0;
    for (let k = 0; k < 600; k++) {
      const tab = k % 3 === 1;
      const text = randomText(rng, tab ? "\t" : ",");
      const file = k % 5 === 0 ? put(`cc.csv.gz`, gzipSync(text)) : put(tab ? "cc.tsv" : "cc.csv", text);
      const want = await completeViaStrings(file);
      const got = await completeViaBytes(file, k % 2 === 0 ? core : undefined);
      expect(got, JSON.stringify(text)).toEqual(want);
      if ("dropped" in want && want.dropped.rows > 0) dropping++;
    }
    expect(dropping).toBeGreaterThan(100);
  });

  it("boolean columns (the split role): TRUE/FALSE and other spellings read as 1/0, as booleansAsNumbers does, also past a quote and under a quoted header", async () => {
    const body = "1.5,TRUE\n2,false\n3, T \n4,0\n5,yes\n6,maybe\n";
    const texts = [`x,s\n${body}`, `x,s\n${body}"7",F\n`, `"x",s\n${body}`];
    for (const [k, text] of texts.entries()) {
      const file = put(`b${k}.csv`, text);
      const t = await readTable(file);
      const c = completeCases(booleansAsNumbers(t, "s"), ["x", "s"]);
      const wantComplete = plain({ frame: numericFrame(c.table, ["x", "s"]) });
      const read = (completeCases: boolean) =>
        openNumericTable(file).then((b) => b.readWithText(["x", "s"], [], { booleans: ["s"], completeCases }));
      // "maybe" is no boolean: refused as a bad cell, or dropped with --complete-cases.
      expect(() => numericFrame(booleansAsNumbers(t, "s"), ["x", "s"])).toThrow(/column "s" .*"maybe"/);
      await expect(read(false)).rejects.toThrow(/column "s" .*first at row 7: "maybe"/);
      expect(plain({ frame: (await read(true)).frame })).toEqual(wantComplete);
      expect((wantComplete as { columns: number[][] }).columns[1]?.slice(0, 5)).toEqual([1, 0, 1, 0, 1]);
    }
  });
});

/** A complete-cases read as plain data: the frame, what was dropped, each kept row's file row. */
function completePlain(frame: Frame, dropped: Dropped, rowOf: (i: number) => number) {
  const rows = Array.from({ length: frame.n }, (_, i) => rowOf(i));
  return { ...plain({ frame }), dropped: { rows: dropped.rows, byColumn: [...dropped.byColumn] }, rows };
}

async function completeViaStrings(file: string) {
  try {
    const t = await readTable(file);
    const wanted = t.names.filter(Boolean);
    const c = completeCases(t, wanted);
    return completePlain(numericFrame(c.table, wanted), c.dropped, (i) => c.rowNumbers[i] as number);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function completeViaBytes(file: string, core?: Core) {
  try {
    const t = await openNumericTable(file);
    const r = await t.readWithText(t.names.filter(Boolean), [], { completeCases: true, ...(core ? { core } : {}) });
    const c = r.complete as NonNullable<typeof r.complete>;
    return completePlain(r.frame, c.dropped, c.rowOf);
  } catch (e) {
    return { error: (e as Error).message };
  }
}
