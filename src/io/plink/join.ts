import { described, errors } from "../../errors.js";
import type { FamPerson } from "./fileset.js";

/** The IDs of a phenotype table's rows: IID, and FID when the table has that column. */
export interface PhenoIds {
  readonly file: string;
  readonly fid?: readonly string[];
  readonly iid: readonly string[];
}

/** How people are named in messages: "FID IID", or the IID alone when the table has no FID. */
function label(fid: string | undefined, iid: string): string {
  return fid === undefined ? iid : `${fid} ${iid}`;
}

/**
 * For each person of the .fam file, in its order, the index of their row in the phenotype table,
 * matched by FID and IID (by IID alone when the table has no FID column). A person named twice in
 * either file, a .fam person without a row, and a row for a person not in the .fam are input
 * errors naming the person.
 */
export function joinPeople(fam: readonly FamPerson[], famFile: string, pheno: PhenoIds): number[] {
  const byFid = pheno.fid !== undefined;
  const keyOf = (fid: string | undefined, iid: string) => (byFid ? `${fid}\u0000${iid}` : iid);
  const rowOf = new Map<string, number>();
  pheno.iid.forEach((iid, r) => {
    const fid = pheno.fid?.[r];
    const key = keyOf(fid, iid);
    const first = rowOf.get(key);
    if (first !== undefined)
      throw errors.invalid(
        pheno.file,
        `individual ${JSON.stringify(label(fid, iid))}`,
        "on one row",
        described(`rows ${first + 2} and ${r + 2}`),
      );
    rowOf.set(key, r);
  });
  const twiceInFam = (first: number, i: number) => {
    const p = fam[i] as FamPerson;
    return errors.invalid(
      famFile,
      `individual ${JSON.stringify(label(byFid ? p.fid : undefined, p.iid))}`,
      "on one line",
      described(`lines ${first + 1} and ${i + 1}`),
    );
  };
  // Which .fam line took each table row: a second line on the same row is a person twice in the
  // .fam (no map of the .fam's keys: at biobank scale it would cost as much as a variant's genotypes).
  const takenBy = new Int32Array(pheno.iid.length).fill(-1);
  const rows = new Array<number>(fam.length);
  const missing: number[] = [];
  fam.forEach((p, i) => {
    const r = rowOf.get(keyOf(p.fid, p.iid)) ?? -1;
    rows[i] = r;
    if (r < 0) missing.push(i);
    else if ((takenBy[r] as number) >= 0) throw twiceInFam(takenBy[r] as number, i);
    else takenBy[r] = i;
  });
  // People without a row may be named twice in the .fam too: that is said first, as above.
  const unmatched = new Map<string, number>();
  for (const i of missing) {
    const p = fam[i] as FamPerson;
    const key = keyOf(p.fid, p.iid);
    const first = unmatched.get(key);
    if (first !== undefined) throw twiceInFam(first, i);
    unmatched.set(key, i);
  }
  if (missing.length > 0) {
    const p = fam[missing[0] as number] as FamPerson;
    throw errors.invalid(
      pheno.file,
      `individual ${JSON.stringify(label(byFid ? p.fid : undefined, p.iid))} (line ${(missing[0] as number) + 1} of ${famFile})`,
      "on a row (every genotyped person needs phenotypes)",
      described(`no row; ${missing.length} of ${fam.length} people have none`),
    );
  }
  if (fam.length < pheno.iid.length) {
    const r = takenBy.findIndex((i) => i < 0);
    throw errors.invalid(
      pheno.file,
      `individual ${JSON.stringify(label(pheno.fid?.[r], pheno.iid[r] as string))} (row ${r + 2})`,
      `a person of ${famFile}`,
      described(`a row for someone not genotyped; ${pheno.iid.length - fam.length} such rows`),
    );
  }
  return rows;
}
