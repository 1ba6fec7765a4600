import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import { readBed, readBim, readFam } from "../../src/io/plink/fileset.js";
import { joinPeople } from "../../src/io/plink/join.js";

const FIXTURE = join("test", "fixtures", "plink");
const dir = mkdtempSync(join(tmpdir(), "mrsweep-plink-"));

/** The dosage each 2-bit code stands for (copies of A1): 00 -> 2, 01 -> missing, 10 -> 1, 11 -> 0. */
const CODE_DOSAGE = [2, Number.NaN, 1, 0];

/** Packs codes four to a byte, the first person in the lowest two bits, as the .bed format says. */
function pack(codes: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(codes.length / 4));
  codes.forEach((c, i) => {
    out[i >> 2] = (out[i >> 2] as number) | (c << (2 * (i % 4)));
  });
  return out;
}

const core = createCore();

/** The core's plink_decode (or its scalar twin) on `bytes`: the dosages and the missing count. */
function decode(bytes: Uint8Array, n: number, scalar = false): { dosages: number[]; missing: number } {
  const src = core.alloc(Math.ceil(bytes.length / 8) + 1);
  new Uint8Array(core.wasm.memory.buffer, src, bytes.length).set(bytes);
  const out = core.alloc(n + 1);
  const missing = (scalar ? core.wasm.plink_decode_scalar : core.wasm.plink_decode)(src, n, out);
  return { dosages: [...core.view(out, n)], missing };
}

/** readBed into a fresh block of the core: one array per chosen variant. */
function readInCore(file: string, n: number, m: number, chosen: readonly number[]): Float64Array[] {
  const out = core.alloc(n * chosen.length);
  readBed(file, n, m, chosen, core, out);
  return chosen.map((_, k) => core.read(out + k * n * 8, n));
}

describe("plink_decode: 2-bit codes to copies of A1, in the core", () => {
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 33]) {
    it(`n = ${n} (padding bits ignored)`, () => {
      const codes = Array.from({ length: n }, (_, i) => (i * 7 + 3) % 4);
      const bytes = pack(codes);
      // Fill the padding with ones: a decoder that reads past n would show it.
      if (n % 4 !== 0) bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) | (0xff << (2 * (n % 4)));
      const want = codes.map((c) => CODE_DOSAGE[c]);
      for (const scalar of [false, true]) {
        const got = decode(bytes, n, scalar);
        expect(got.dosages).toEqual(want);
        expect(got.missing).toBe(codes.filter((c) => c === 1).length);
      }
    });
  }

  it("the SIMD kernel equals its scalar twin on random bytes", () => {
    for (const n of [1000, 1001, 1002, 1003]) {
      const bytes = Uint8Array.from({ length: Math.ceil(n / 4) }, (_, k) => (k * 97 + 13) % 256);
      expect(decode(bytes, n)).toEqual(decode(bytes, n, true));
    }
  });
});

/** The numeric columns of a small CSV written by the fixture script. */
function csvColumns(file: string): Map<string, number[]> {
  const [head, ...rows] = readFileSync(file, "utf8").trimEnd().split("\n");
  const names = (head as string).split(",");
  return new Map(names.map((name, j) => [name, rows.map((r) => Number(r.split(",")[j]))]));
}

describe("the committed fixture (written by plink1.9 from a .ped, see make.py)", () => {
  const fam = readFam(join(FIXTURE, "fixture.fam"));
  const bim = readBim(join(FIXTURE, "fixture.bim"));

  it("reads 240 people and 13 variants with their alleles", () => {
    expect(fam).toHaveLength(240);
    expect(fam[0]).toEqual({ fid: "F1", iid: "I1" });
    expect(bim.map((v) => v.id)).toEqual(Array.from({ length: 13 }, (_, j) => `rs${j + 1}`));
    expect(bim[0]).toMatchObject({ chromosome: "1", position: "1000", a1: "G", a2: "A" });
  });

  it("decodes every genotype as plink's --recode A counts A1 (data.csv), missing ones as NaN", () => {
    const want = csvColumns(join(FIXTURE, "data.csv"));
    const got = readInCore(join(FIXTURE, "fixture.bed"), fam.length, bim.length, [...bim.keys()]);
    got.slice(0, 12).forEach((g, j) => {
      expect([...g], `rs${j + 1}`).toEqual(want.get(`rs${j + 1}`));
    });
    const last = got[12] as Float64Array;
    expect([17, 101, 202].map((i) => last[i])).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(last.filter((v) => Number.isNaN(v))).toHaveLength(3);
  });

  it("reads only the chosen variants, in the order asked", () => {
    const [a, b] = readInCore(join(FIXTURE, "fixture.bed"), fam.length, bim.length, [4, 0]);
    const all = readInCore(join(FIXTURE, "fixture.bed"), fam.length, bim.length, [0, 4]);
    expect(a).toEqual(all[1]);
    expect(b).toEqual(all[0]);
  });

  it("refuses a .bed without the variant-major magic, or of the wrong size", () => {
    const bed = readFileSync(join(FIXTURE, "fixture.bed"));
    const wrongMagic = join(dir, "m.bed");
    writeFileSync(wrongMagic, Buffer.concat([Buffer.from([0x6c, 0x1b, 0x00]), bed.subarray(3)]));
    expect(() => readInCore(wrongMagic, 240, 13, [0])).toThrow(
      /m\.bed: its first 3 bytes must be PLINK 1's variant-major magic 6c 1b 01; got 6c 1b 00$/,
    );
    const short = join(dir, "s.bed");
    writeFileSync(short, bed.subarray(0, bed.length - 1));
    expect(() => readInCore(short, 240, 13, [0])).toThrow(
      /s\.bed: its size must be 3 \+ 13 variants x 60 bytes = 783 bytes .*; got 782 bytes$/,
    );
  });

  it("refuses a .fam line without six fields", () => {
    const bad = join(dir, "bad.fam");
    writeFileSync(bad, "F1 I1 0 0 1 -9\nF2 I2 0 0\n");
    expect(() => readFam(bad)).toThrow(/bad\.fam: line 2 must be 6 whitespace-separated fields; got 4$/);
    const blank = join(dir, "blank.fam");
    writeFileSync(blank, "F1 I1 0 0 1 -9\n \t\nF2 I2 0 0 1 -9\n");
    expect(() => readFam(blank)).toThrow(/blank\.fam: line 2 must be 6 whitespace-separated fields; got 1$/);
  });

  it("splits .fam and .bim lines at any white space, as split(/\\s+/) does; CRLF and trailing blank lines", () => {
    const odd = join(dir, "odd.fam");
    writeFileSync(odd, "\ufeff F1\tI1  0 0 1 -9\r\nF2\u00a0I2 0 0 2 1\u2003\r\n\n \n");
    expect(readFam(odd)).toEqual([
      { fid: "F1", iid: "I1" },
      { fid: "F2", iid: "I2" },
    ]);
  });
});

describe("joinPeople: phenotype rows in .fam order, by FID and IID", () => {
  const fam = [
    { fid: "F1", iid: "A" },
    { fid: "F1", iid: "B" },
    { fid: "F2", iid: "A" },
  ];
  /** The IDs of a table with these rows (FID, IID) or, with `names` ["IID"], IIDs only. */
  const table = (rows: string[][], names = ["FID", "IID"]) => ({
    file: "p.csv",
    fid: names.length === 2 ? rows.map((r) => r[0] as string) : undefined,
    iid: rows.map((r) => r[names.length - 1] as string),
  });

  it("matches by FID and IID, whatever the table's order", () => {
    const rows = [
      ["F2", "A", "3"],
      ["F1", "A", "1"],
      ["F1", "B", "2"],
    ];
    expect(joinPeople(fam, "x.fam", table(rows))).toEqual([1, 2, 0]);
  });

  it("refuses a person twice in the .fam also when the table has no row for them", () => {
    const twice = [...fam, { fid: "F9", iid: "Z" }, { fid: "F9", iid: "Z" }];
    const rows = fam.map((p) => [p.fid, p.iid]);
    expect(() => joinPeople(twice, "x.fam", table(rows))).toThrow(
      /x\.fam: individual "F9 Z" must be on one line; got lines 4 and 5$/,
    );
  });

  it("matches by IID alone when the table has no FID, refusing an IID the .fam repeats", () => {
    const people = [fam[0], fam[1]] as typeof fam;
    expect(joinPeople(people, "x.fam", table([["B"], ["A"]], ["IID"]))).toEqual([1, 0]);
    expect(() => joinPeople(fam, "x.fam", table([["B"], ["A"]], ["IID"]))).toThrow(
      /x\.fam: individual "A" must be on one line; got lines 1 and 3$/,
    );
  });

  const refused: Array<[string, string[][], RegExp]> = [
    [
      "a person twice in the table",
      [
        ["F1", "A"],
        ["F1", "B"],
        ["F2", "A"],
        ["F1", "B"],
      ],
      /p\.csv: individual "F1 B" must be on one row; got rows 3 and 5$/,
    ],
    [
      "a genotyped person without a row",
      [
        ["F1", "A"],
        ["F2", "A"],
      ],
      /p\.csv: individual "F1 B" \(line 2 of x\.fam\) must be on a row .*; got no row; 1 of 3 people have none$/,
    ],
    [
      "a row for someone not genotyped",
      [
        ["F1", "A"],
        ["F1", "B"],
        ["F2", "A"],
        ["F3", "C"],
      ],
      /p\.csv: individual "F3 C" \(row 5\) must be a person of x\.fam; got a row for someone not genotyped; 1 such rows$/,
    ],
  ];
  for (const [what, rows, re] of refused) {
    it(`refuses ${what}, naming the person`, () => {
      expect(() => joinPeople(fam, "x.fam", table(rows, ["FID", "IID"]))).toThrow(re);
    });
  }
});
