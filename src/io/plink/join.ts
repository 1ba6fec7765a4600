import { described, errors } from "../../errors.js";
import type { RawTable } from "../read-table.js";
import type { FamPerson } from "./fileset.js";

/** How people are named in messages: "FID IID", or the IID alone when the table has no FID. */
function label(fid: string | undefined, iid: string): string {
  return fid === undefined ? iid : `${fid} ${iid}`;
}

/**
 * For each person of the .fam file, in its order, the index of their row in the phenotype table,
 * matched by FID and IID (by IID alone when the table has no FID column). The table must have an
 * IID column; a person named twice in either file, a .fam person without a row, and a row for a
 * person not in the .fam are input errors naming the person.
 */
export function joinPeople(fam: readonly FamPerson[], famFile: string, pheno: RawTable): number[] {
  const iidAt = pheno.names.indexOf("IID");
  if (iidAt < 0) throw errors.missingColumn(pheno.file, "IID", pheno.names);
  const fidAt = pheno.names.indexOf("FID");
  const keyOf = (fid: string | undefined, iid: string) => (fidAt < 0 ? iid : `${fid}\u0000${iid}`);
  const rowOf = new Map<string, number>();
  pheno.rows.forEach((row, r) => {
    const fid = fidAt < 0 ? undefined : (row[fidAt] as string);
    const key = keyOf(fid, row[iidAt] as string);
    const first = rowOf.get(key);
    if (first !== undefined)
      throw errors.invalid(
        pheno.file,
        `individual ${JSON.stringify(label(fid, row[iidAt] as string))}`,
        "on one row",
        described(`rows ${first + 2} and ${r + 2}`),
      );
    rowOf.set(key, r);
  });
  const famAt = new Map<string, number>();
  const rows = fam.map((p, i) => {
    const key = keyOf(p.fid, p.iid);
    const fid = fidAt < 0 ? undefined : p.fid;
    const first = famAt.get(key);
    if (first !== undefined)
      throw errors.invalid(
        famFile,
        `individual ${JSON.stringify(label(fid, p.iid))}`,
        "on one line",
        described(`lines ${first + 1} and ${i + 1}`),
      );
    famAt.set(key, i);
    return rowOf.get(key) ?? -1;
  });
  const missing = rows.flatMap((r, i) => (r < 0 ? [i] : []));
  if (missing.length > 0) {
    const p = fam[missing[0] as number] as FamPerson;
    throw errors.invalid(
      pheno.file,
      `individual ${JSON.stringify(label(fidAt < 0 ? undefined : p.fid, p.iid))} (line ${(missing[0] as number) + 1} of ${famFile})`,
      "on a row (every genotyped person needs phenotypes)",
      described(`no row; ${missing.length} of ${fam.length} people have none`),
    );
  }
  if (famAt.size < pheno.rows.length) {
    const used = new Set(rows);
    const r = pheno.rows.findIndex((_, k) => !used.has(k));
    const row = pheno.rows[r] as readonly string[];
    throw errors.invalid(
      pheno.file,
      `individual ${JSON.stringify(label(fidAt < 0 ? undefined : (row[fidAt] as string), row[iidAt] as string))} (row ${r + 2})`,
      `a person of ${famFile}`,
      described(`a row for someone not genotyped; ${pheno.rows.length - fam.length} such rows`),
    );
  }
  return rows;
}
