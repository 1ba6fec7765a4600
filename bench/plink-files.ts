import { writeFileSync } from "node:fs";
import { getColumn } from "../src/data/frame.js";
import { openNumericTable } from "../src/io/numeric-reader.js";

/** The .bed code of each dosage (copies of A1): 2 -> 00, 1 -> 10, 0 -> 11 (01 is missing). */
const CODE = [0b11, 0b10, 0b00];

/**
 * Writes the instruments of a simulated CSV as a PLINK 1 fileset `prefix.bed/.bim/.fam` (person
 * i is F<i> I<i>, A1 the counted allele) and its exposure and outcome as `prefix.pheno.csv`
 * (FID, IID, X, Y; values as JavaScript prints them, which read back exactly), so that
 * `fit --bfile prefix --pheno prefix.pheno.csv` fits the same numbers as the CSV.
 */
export async function writePlinkTwin(csv: string, prefix: string, L: number): Promise<void> {
  const table = await openNumericTable(csv);
  const variants = Array.from({ length: L }, (_, j) => `G${j}`);
  const data = await table.read([...variants, "X", "Y"]);
  const n = data.n;
  const per = Math.ceil(n / 4);
  const bed = Buffer.alloc(3 + per * L);
  bed.set([0x6c, 0x1b, 0x01]);
  variants.forEach((id, j) => {
    const g = getColumn(data, id) as Float64Array;
    for (let i = 0; i < n; i++) bed[3 + j * per + (i >> 2)] |= (CODE[g[i] as number] as number) << (2 * (i & 3));
  });
  writeFileSync(`${prefix}.bed`, bed);
  writeFileSync(`${prefix}.bim`, variants.map((id, j) => `1\t${id}\t0\t${j + 1}\tA\tG\n`).join(""));
  const people = Array.from({ length: n }, (_, i) => `F${i} I${i}`);
  writeFileSync(`${prefix}.fam`, people.map((p) => `${p} 0 0 1 -9\n`).join(""));
  const [x, y] = [getColumn(data, "X") as Float64Array, getColumn(data, "Y") as Float64Array];
  const rows = people.map((p, i) => `${p.replace(" ", ",")},${x[i]},${y[i]}\n`);
  writeFileSync(`${prefix}.pheno.csv`, `FID,IID,X,Y\n${rows.join("")}`);
}
