import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import type { Core } from "../../core/memory.js";
import { described, errors } from "../../errors.js";

/**
 * PLINK 1 binary filesets (PREFIX.bed + .bim + .fam), as documented at
 * https://www.cog-genomics.org/plink/1.9/formats#bed: the .fam has one line per person (FID IID
 * father mother sex phenotype), the .bim one per variant (chromosome id cM position A1 A2), and
 * the .bed three magic bytes 0x6c 0x1b 0x01 (variant-major) then, per variant, ceil(n / 4) bytes
 * holding 2 bits per person, the first person in the lowest bits: 00 homozygous A1, 01 missing,
 * 10 heterozygous, 11 homozygous A2.
 */

/** A person of the .fam file. */
export interface FamPerson {
  readonly fid: string;
  readonly iid: string;
}

/** A variant of the .bim file. */
export interface BimVariant {
  readonly id: string;
  readonly chromosome: string;
  readonly position: string;
  /** The allele whose copies a dosage counts (PLINK's A1, usually the minor allele). */
  readonly a1: string;
  readonly a2: string;
}

/**
 * Calls `each` for every line of a .fam or .bim file with a way to read its fields, checking that
 * it has six whitespace-separated fields (as String.prototype.split(/\s+/) splits a trimmed line;
 * trailing blank lines are ignored). No array per line: a biobank's .fam has 10^5 to 10^6 lines,
 * and a split of each would cost more memory than the genotypes of a few variants.
 */
function eachLine(file: string, each: (field: (k: number) => string) => void): void {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw errors.noFile("fit", file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  const field = (k: number) => text.slice(starts[k], ends[k]);
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  let line = 0;
  for (let at = 0; at < end; ) {
    let stop = text.indexOf("\n", at);
    if (stop < 0 || stop > end) stop = end;
    line++;
    let count = 0;
    for (let i = at; i < stop; ) {
      while (i < stop && isSpace(text.charCodeAt(i))) i++;
      if (i >= stop) break;
      const from = i;
      while (i < stop && !isSpace(text.charCodeAt(i))) i++;
      if (count < 6) {
        starts[count] = from;
        ends[count] = i;
      }
      count++;
    }
    if (count !== 6)
      throw errors.invalid(file, `line ${line}`, "6 whitespace-separated fields", described(`${Math.max(1, count)}`));
    each(field);
    at = stop + 1;
  }
}

/** What /\s/ matches: ASCII and Unicode white space and line terminators, and the BOM. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The people of a .fam file, in file order (the order of the .bed's genotypes). */
export function readFam(file: string): FamPerson[] {
  const people: FamPerson[] = [];
  eachLine(file, (field) => {
    people.push({ fid: field(0), iid: field(1) });
  });
  if (people.length === 0) throw errors.invalid(file, "the file", "one line per person", described("an empty file"));
  return people;
}

/** The variants of a .bim file, in file order. */
export function readBim(file: string): BimVariant[] {
  const variants: BimVariant[] = [];
  eachLine(file, (field) => {
    variants.push({ id: field(1), chromosome: field(0), position: field(3), a1: field(4), a2: field(5) });
  });
  if (variants.length === 0) throw errors.invalid(file, "the file", "one line per variant", described("an empty file"));
  return variants;
}

/**
 * Reads the genotypes of the chosen variants (indices into the .bim) as dosages (copies of A1)
 * into the core, variant k's n doubles at `out + k * n * 8`, decoded there by the core's
 * plink_decode; NaN marks a missing genotype. Reads only those variants' bytes, each into a
 * scratch buffer at the arena's top (freed before returning). The file must start with the
 * variant-major magic and hold exactly n x m genotypes. Returns each variant's missing count.
 */
export function readBed(
  file: string,
  n: number,
  m: number,
  chosen: readonly number[],
  core: Core,
  out: number,
): number[] {
  const bytesPer = Math.ceil(n / 4);
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const magic = Buffer.alloc(3);
    readSync(fd, magic, 0, 3, 0);
    if (magic[0] !== 0x6c || magic[1] !== 0x1b || magic[2] !== 0x01)
      throw errors.invalid(
        file,
        "its first 3 bytes",
        "PLINK 1's variant-major magic 6c 1b 01",
        described([...magic].map((b) => b.toString(16).padStart(2, "0")).join(" ")),
      );
    if (size !== 3 + bytesPer * m)
      throw errors.invalid(
        file,
        "its size",
        `3 + ${m} variants x ${bytesPer} bytes = ${3 + bytesPer * m} bytes (from the .bim and .fam)`,
        described(`${size} bytes`),
      );
    return core.scoped(decodeChosen, core, fd, { file, n, bytesPer, chosen, out });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).syscall !== undefined)
      throw errors.noFile("fit", file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Each chosen variant's bytes read into the core and decoded to its column at `out`. */
function decodeChosen(
  core: Core,
  fd: number,
  at: { file: string; n: number; bytesPer: number; chosen: readonly number[]; out: number },
): number[] {
  const { file, n, bytesPer, chosen, out } = at;
  const scratch = core.alloc(Math.ceil(bytesPer / 8));
  const bytes = new Uint8Array(core.wasm.memory.buffer, scratch, bytesPer);
  return chosen.map((j, k) => {
    if (readSync(fd, bytes, 0, bytesPer, 3 + j * bytesPer) !== bytesPer)
      throw errors.invalid(
        file,
        "the file",
        "unchanged while it is read",
        described("shorter than when it was opened"),
      );
    return core.wasm.plink_decode(scratch, n, out + k * n * 8);
  });
}
