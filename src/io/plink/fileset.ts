import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
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

/** The whitespace-separated lines of a .fam or .bim file, each checked to have six fields. */
function fields(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw errors.noFile("fit", file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines.at(-1) as string).trim() === "") lines.pop();
  return lines.map((line, i) => {
    const f = line.trim().split(/\s+/);
    if (f.length !== 6)
      throw errors.invalid(file, `line ${i + 1}`, "6 whitespace-separated fields", described(`${f.length}`));
    return f;
  });
}

/** The people of a .fam file, in file order (the order of the .bed's genotypes). */
export function readFam(file: string): FamPerson[] {
  const people = fields(file).map(([fid, iid]) => ({ fid: fid as string, iid: iid as string }));
  if (people.length === 0) throw errors.invalid(file, "the file", "one line per person", described("an empty file"));
  return people;
}

/** The variants of a .bim file, in file order. */
export function readBim(file: string): BimVariant[] {
  const variants = fields(file).map(([chromosome, id, , position, a1, a2]) => ({
    id: id as string,
    chromosome: chromosome as string,
    position: position as string,
    a1: a1 as string,
    a2: a2 as string,
  }));
  if (variants.length === 0) throw errors.invalid(file, "the file", "one line per variant", described("an empty file"));
  return variants;
}

/**
 * Dosage (copies of A1) of each 2-bit code; NaN marks a missing genotype. Code 01 is missing,
 * 10 heterozygous: the codes are not the counts in binary.
 */
const DOSAGE = Float64Array.of(2, Number.NaN, 1, 0);

/** Each byte's four dosages, the first person's first: a 1 KiB table instead of shifts per person. */
const BYTE_DOSAGES = Float64Array.from({ length: 1024 }, (_, k) => DOSAGE[((k >> 2) >> (2 * (k & 3))) & 3] as number);

/**
 * Reads the genotypes of the chosen variants (indices into the .bim) as dosages, one Float64Array
 * of n per variant; NaN marks a missing genotype. Reads only those variants' bytes. The file must
 * start with the variant-major magic and hold exactly n x m genotypes.
 */
export function readBed(file: string, n: number, m: number, chosen: readonly number[]): Float64Array[] {
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
    const bytes = Buffer.alloc(bytesPer);
    return chosen.map((j) => {
      readSync(fd as number, bytes, 0, bytesPer, 3 + j * bytesPer);
      return decodeVariant(bytes, n);
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).syscall !== undefined)
      throw errors.noFile("fit", file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The n dosages of one variant's bytes; the bits after the last person are padding. */
export function decodeVariant(bytes: Uint8Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const whole = n >> 2;
  for (let k = 0; k < whole; k++) {
    const t = (bytes[k] as number) << 2;
    const i = k << 2;
    out[i] = BYTE_DOSAGES[t] as number;
    out[i + 1] = BYTE_DOSAGES[t + 1] as number;
    out[i + 2] = BYTE_DOSAGES[t + 2] as number;
    out[i + 3] = BYTE_DOSAGES[t + 3] as number;
  }
  for (let i = whole << 2; i < n; i++) out[i] = DOSAGE[((bytes[i >> 2] as number) >> (2 * (i & 3))) & 3] as number;
  return out;
}
