import { existsSync, readFileSync } from "node:fs";
import { getCore } from "../core/load.js";
import { type Frame, frame } from "../data/frame.js";
import { described, errors } from "../errors.js";
import { type NumericTable, openNumericTable } from "../io/numeric-reader.js";
import { type BimVariant, readBed, readBim, readFam } from "../io/plink/fileset.js";
import { joinPeople } from "../io/plink/join.js";
import { type FitRoles, fitRoles } from "./fit-roles.js";

/** The --impute-missing choices: mean (of the variant's other genotypes). */
const IMPUTE = ["mean"] as const;

/** The flags only --bfile reads: refused without it rather than silently ignored. */
export function refuseBfileFlags(values: Record<string, unknown>): void {
  const given = ["pheno", "variants", "impute-missing"].find((flag) => values[flag] !== undefined);
  if (given !== undefined) throw errors.invalid("fit", `--${given}`, "used with --bfile", described("no --bfile"));
}

/**
 * `fit --bfile PREFIX --pheno FILE`: the phenotype table's columns and the chosen variants'
 * dosages (copies of A1), one row per person in .fam order, and their roles. The instruments are
 * the variants; every other role comes from the phenotype table's columns, as from a data file.
 */
export async function readBfileInput(
  positionals: readonly string[],
  ids: readonly string[],
  values: Record<string, unknown>,
  checkSize: (n: number, roles: FitRoles) => void,
): Promise<{ file: string; data: Frame; roles: FitRoles }> {
  const prefix = values.bfile as string;
  if (positionals.length > 0)
    throw errors.invalid("fit", "arguments", "a data file or --bfile, not both", positionals.join(" "));
  if (values.instruments !== undefined)
    throw errors.invalid(
      "fit",
      "--instruments",
      "left out with --bfile (choose variants with --variants)",
      values.instruments,
    );
  const phenoFile = values.pheno as string | undefined;
  if (phenoFile === undefined)
    throw errors.missing("fit", "--pheno", "a table of phenotypes by FID and IID with --bfile");
  const impute = values["impute-missing"] as string | undefined;
  if (impute !== undefined && !(IMPUTE as readonly string[]).includes(impute))
    throw errors.unknownId("fit", "--impute-missing", impute, IMPUTE);
  const pheno = await openNumericTable(phenoFile);
  let input: { data: Frame; roles: FitRoles };
  try {
    input = await joinGenotypes(prefix, pheno, ids, values, { impute, checkSize });
  } finally {
    pheno.close();
  }
  return { file: prefix, ...input };
}

/** The phenotype table's roles and columns joined with the .bed's variants, in .fam order. */
async function joinGenotypes(
  prefix: string,
  pheno: NumericTable,
  ids: readonly string[],
  values: Record<string, unknown>,
  how: { impute: string | undefined; checkSize: (n: number, roles: FitRoles) => void },
): Promise<{ data: Frame; roles: FitRoles }> {
  const { impute } = how;
  const phenoFile = pheno.file;
  if (!pheno.names.includes("IID")) throw errors.missingColumn(phenoFile, "IID", pheno.names);
  const fam = readFam(`${prefix}.fam`);
  const bim = readBim(`${prefix}.bim`);
  const chosen = chooseVariants(`${prefix}.bim`, bim, values.variants as string | undefined);
  const names = pheno.names.filter((name) => name !== "FID" && name !== "IID");
  const variantIds = chosen.map((j) => (bim[j] as BimVariant).id);
  const clash = variantIds.find((id) => names.includes(id));
  if (clash !== undefined)
    throw errors.invalid(
      phenoFile,
      `column ${JSON.stringify(clash)}`,
      "a name no variant has",
      described("a variant id"),
    );
  const roles = fitRoles(prefix, [...names, ...variantIds], ids, values, variantIds);
  // The sizes are known now, before the phenotypes and genotypes are read.
  how.checkSize(fam.length, roles);
  const idNames = pheno.names.includes("FID") ? ["FID", "IID"] : ["IID"];
  const wanted = roles.wanted.filter((name) => !variantIds.includes(name));
  const { frame: phenoColumns, text } = await pheno.readWithText(wanted, idNames);
  const [fid, iid] = idNames.length === 2 ? text : [undefined, text[0]];
  const order = joinPeople(fam, `${prefix}.fam`, { file: phenoFile, fid, iid: iid as string[] });
  // One block in the core, the variants first and end to end, as the fit places its data: the
  // genotypes are decoded there and the phenotypes joined there, and the fit reads them in place.
  const n = fam.length;
  const core = getCore();
  const V = variantIds.length;
  const ptr = core.alloc(n * (V + phenoColumns.names.length));
  const missing = readBed(`${prefix}.bed`, n, bim.length, chosen, core, ptr);
  const column = (slot: number) => core.view(ptr + slot * n * 8, n);
  const entries: Array<[string, Float64Array, boolean]> = variantIds.map((id, k) => {
    const g = column(k);
    return [id, g, fillMissing(`${prefix}.bed`, id, g, fam, { impute, missing: missing[k] as number })];
  });
  phenoColumns.names.forEach((name, k) => {
    const c = phenoColumns.columns[k] as Float64Array;
    const out = column(V + k);
    for (let i = 0; i < n; i++) out[i] = c[order[i] as number] as number;
    entries.push([name, out, phenoColumns.integer[k] as boolean]);
  });
  return { data: frame(entries), roles };
}

/** The .bim indices of the --variants (ids, or a file of whitespace-separated ids), or all of them. */
function chooseVariants(bimFile: string, bim: readonly BimVariant[], given: string | undefined): number[] {
  const ids =
    given === undefined
      ? bim.map((v) => v.id)
      : existsSync(given)
        ? readFileSync(given, "utf8").split(/\s+/).filter(Boolean)
        : given
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
  if (ids.length === 0) throw errors.invalid("fit", "--variants", "at least one variant id", given ?? "");
  const at = new Map<string, number>();
  bim.forEach((v, j) => {
    const first = at.get(v.id);
    if (first !== undefined && ids.includes(v.id))
      throw errors.invalid(
        bimFile,
        `variant ${JSON.stringify(v.id)}`,
        "on one line",
        described(`lines ${first + 1} and ${j + 1}`),
      );
    at.set(v.id, j);
  });
  const seen = new Set<string>();
  return ids.map((id) => {
    const j = at.get(id);
    if (j === undefined)
      throw errors.invalid(
        bimFile,
        `variant ${JSON.stringify(id)} (--variants)`,
        "listed",
        described(`not among its ${bim.length} variants`),
      );
    if (seen.has(id)) throw errors.invalid("fit", "--variants", "each variant once", id);
    seen.add(id);
    return j;
  });
}

/**
 * Refuses a variant's missing genotypes (NaN; `how.missing` of them), or with `how.impute` "mean"
 * replaces them by the mean dosage of the people genotyped. Returns whether every dosage is now a
 * whole number.
 */
function fillMissing(
  bedFile: string,
  id: string,
  g: Float64Array,
  fam: readonly { fid: string; iid: string }[],
  how: { impute: string | undefined; missing: number },
): boolean {
  if (how.missing === 0) return true;
  const { impute } = how;
  let sum = 0;
  let seen = 0;
  let first = -1;
  for (let i = 0; i < g.length; i++) {
    const v = g[i] as number;
    if (Number.isNaN(v)) {
      if (first < 0) first = i;
    } else {
      sum += v;
      seen++;
    }
  }
  if (first < 0) return true;
  const missing = g.length - seen;
  const person = fam[first] as { fid: string; iid: string };
  if (impute === undefined || seen === 0)
    throw errors.invalid(
      bedFile,
      `variant ${JSON.stringify(id)}`,
      seen === 0 ? "genotyped in someone" : "genotyped in every person (or use --impute-missing mean)",
      described(`${missing} missing, the first for ${person.fid} ${person.iid}`),
    );
  const mean = sum / seen;
  for (let i = 0; i < g.length; i++) if (Number.isNaN(g[i])) g[i] = mean;
  return Number.isInteger(mean);
}
